package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.CarriedMessage;

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
        CarriedMessage c = CarriedMessage.in(message);
        return c != null && c.wrapper().carbon() ? c.message() : null;
    }
}
