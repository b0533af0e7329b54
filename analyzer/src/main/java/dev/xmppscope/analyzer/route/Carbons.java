package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.Ns;

/**
 * Message carbons (XEP-0280): a server copies a message its user sent or received to the user's
 * other clients, wrapped as {@code <sent>} or {@code <received>}, each holding the message
 * {@code <forwarded>} (XEP-0297). The copy is a hop of the message's own route.
 */
public final class Carbons {
    private Carbons() {
    }

    /** The message a carbon carries, or null if {@code message} is no carbon. */
    public static XmlElement forwarded(XmlElement message) {
        for (XmlElement c : message.children()) {
            if (Ns.CARBONS.equals(c.namespace()) && (c.name().equals("sent") || c.name().equals("received"))) {
                XmlElement forwarded = child(c, Ns.FORWARD, "forwarded");
                return forwarded == null ? null : child(forwarded, null, "message");
            }
        }
        return null;
    }

    /** The first child named {@code name}, in namespace {@code ns} (any stanza namespace when null). */
    private static XmlElement child(XmlElement parent, String ns, String name) {
        for (XmlElement c : parent.children()) {
            if (c.name().equals(name) && (ns == null ? Ns.isStanzaNamespace(c.namespace()) : ns.equals(c.namespace()))) {
                return c;
            }
        }
        return null;
    }
}
