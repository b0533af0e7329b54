package dev.xmppscope.analyzer.xmpp;

import dev.xmppscope.analyzer.xml.XmlElement;

/**
 * A message carried inside another, {@code <forwarded>} (XEP-0297): a carbon a server sends its
 * user's other clients (XEP-0280), a page of an archive (XEP-0313), or a message a user forwards.
 *
 * @param wrapper how it is carried
 * @param message the carried message, or null when the wrapper holds none
 */
public record CarriedMessage(Wrapper wrapper, XmlElement message) {

    public enum Wrapper {
        SENT_CARBON, RECEIVED_CARBON, ARCHIVE_RESULT, FORWARD;

        public boolean carbon() {
            return this == SENT_CARBON || this == RECEIVED_CARBON;
        }
    }

    /**
     * The message a carbon carries (a server's copy of what its user sent or received, for the
     * user's other clients: a hop of that message's own route), or null if this is no carbon or
     * holds none.
     */
    public XmlElement carbon() {
        return wrapper.carbon() ? message : null;
    }

    /** What {@code message} carries, or null if it carries nothing (the first wrapper among its children counts). */
    public static CarriedMessage in(XmlElement message) {
        for (XmlElement c : message.children()) {
            String ns = c.namespace();
            if (Ns.CARBONS.equals(ns) && (c.name().equals("sent") || c.name().equals("received"))) {
                return new CarriedMessage(c.name().equals("sent") ? Wrapper.SENT_CARBON : Wrapper.RECEIVED_CARBON,
                        forwardedIn(c.child("forwarded", Ns.FORWARD)));
            }
            if (ns.startsWith(Ns.MAM_PREFIX) && c.name().equals("result")) {
                return new CarriedMessage(Wrapper.ARCHIVE_RESULT, forwardedIn(c.child("forwarded", Ns.FORWARD)));
            }
            if (Ns.FORWARD.equals(ns) && c.name().equals("forwarded")) {
                return new CarriedMessage(Wrapper.FORWARD, forwardedIn(c));
            }
        }
        return null;
    }

    /** The message inside {@code <forwarded/>}, or null. */
    private static XmlElement forwardedIn(XmlElement forwarded) {
        if (forwarded == null) {
            return null;
        }
        for (XmlElement m : forwarded.children()) {
            if (m.name().equals("message") && Ns.isStanzaNamespace(m.namespace())) {
                return m;
            }
        }
        return null;
    }
}
