package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.analyzer.xmpp.Ns;

/**
 * Tells a message that its addressee's server held while they were offline and delivers now
 * (XEP-0160): it carries a delay (XEP-0203, or the legacy XEP-0091) stamped by that server. Such a
 * message may come minutes or days after it was sent, long past the window in which hops are
 * matched, so {@link RouteCorrelator} keeps the routes that ended at a server for it. A delay from
 * anyone else (a chat room's history, a client's own) is not storage.
 */
public final class OfflineStorage {
    private OfflineStorage() {
    }

    /** Whether {@code message}, to {@code toBare} (case-folded), comes out of its addressee's server's storage. */
    public static boolean heldByServer(XmlElement message, String toBare) {
        if (toBare == null) {
            return false;
        }
        String domain = toBare.substring(toBare.indexOf('@') + 1);
        for (XmlElement c : message.children()) {
            String ns = c.namespace();
            if (Ns.DELAY.equals(ns) || Ns.LEGACY_DELAY.equals(ns)) {
                Jid stamper = Jid.parse(c.attribute("from")); // a server stamps it as its bare domain
                if (stamper != null && stamper.local() == null && stamper.resource() == null
                        && stamper.domainKey().equals(domain)) {
                    return true;
                }
            }
        }
        return false;
    }
}
