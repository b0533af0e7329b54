package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.analyzer.xmpp.Ns;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * The domains (case-folded) that stamped a delay on {@code message} as a server stamps it, with
     * its bare domain: usually none. Read from the message alone, so where it was parsed (see
     * {@code ElementFacts}); {@link #heldByServer} then needs only its addressee.
     */
    public static List<String> serverStamps(XmlElement message) {
        List<String> stamps = List.of();
        for (XmlElement c : message.children()) {
            String ns = c.namespace();
            if (Ns.DELAY.equals(ns) || Ns.LEGACY_DELAY.equals(ns)) {
                Jid stamper = Jid.parse(c.attribute("from"));
                if (stamper != null && stamper.local() == null && stamper.resource() == null) {
                    stamps = stamps.isEmpty() ? new ArrayList<>(1) : stamps;
                    stamps.add(stamper.domainKey());
                }
            }
        }
        return stamps;
    }

    /**
     * Whether a message whose delays were stamped by {@code serverStamps} (see {@link #serverStamps}),
     * to {@code toBare} (case-folded), comes out of its addressee's server's storage.
     */
    public static boolean heldByServer(List<String> serverStamps, String toBare) {
        if (toBare == null || serverStamps.isEmpty()) {
            return false;
        }
        return serverStamps.contains(toBare.substring(toBare.indexOf('@') + 1));
    }
}
