package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.Ns;
import java.util.HashSet;
import java.util.Set;

/**
 * Tells which stanzas are sent to a chat room (XEP-0045), whose copies of them to each occupant then
 * join their route: a groupchat message to a bare JID; a join (a presence with the MUC {@code <x/>})
 * to an occupant JID (room/nick); and, once a room is known, any presence to one of its occupant
 * JIDs (leaving it, a change of status). A presence to any other full JID is directed to a client.
 */
public final class ChatRooms {
    /** Rooms remembered at most: a capture that names more (a hostile one) stops adding, not memory. */
    static final int MAX_ROOMS = 100_000;

    private final Set<String> rooms = new HashSet<>();

    /** Whether a stanza of {@code kind} and {@code type}, sent to {@code to} (bare: {@code toBare}), goes to a room. */
    public boolean sentToRoom(String kind, String type, String to, String toBare, XmlElement stanza) {
        if (to == null || toBare == null) {
            return false;
        }
        boolean occupant = to.indexOf('/') >= 0;
        if (kind.equals("message")) {
            return !occupant && "groupchat".equals(type) && remember(toBare);
        }
        if (!kind.equals("presence") || !occupant) {
            return false;
        }
        return joins(stanza) ? remember(toBare) : rooms.contains(toBare);
    }

    private static boolean joins(XmlElement presence) {
        for (XmlElement c : presence.children()) {
            if (Ns.MUC.equals(c.namespace()) && c.name().equals("x")) {
                return true;
            }
        }
        return false;
    }

    private boolean remember(String room) {
        if (rooms.size() < MAX_ROOMS) {
            rooms.add(room);
        }
        return true;
    }
}
