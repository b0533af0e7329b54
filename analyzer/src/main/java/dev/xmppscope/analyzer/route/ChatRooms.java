package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.analyzer.xmpp.MucInvite;
import dev.xmppscope.analyzer.xmpp.Ns;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tells which stanzas are sent to a chat room (XEP-0045) and which are a room's copies of them, so
 * that the copies join the route of what they copy. Sent to a room: a groupchat message to a bare
 * JID; a join (a presence with the MUC {@code <x/>}) to an occupant JID (room/nick); and, once the
 * room is known, any presence to one of its occupant JIDs (leaving, a change of status) and a
 * private message to one. A presence or message to any other full JID goes to a client. A room's
 * copy: a message or presence from a room known so far, but an error (the room's bounce); a message the room
 * stamped with a delay of its own is a copy out of its history, sent to someone who joined later. A mediated invitation (XEP-0045 §7.8.2), and
 * an invitee's decline of one, is sent to a room's bare JID too ({@link MucInvite}), and the room
 * passes it on.
 */
public final class ChatRooms {
    /** Rooms remembered at most: a capture that names more (a hostile one) stops adding, not memory. */
    static final int MAX_ROOMS = 100_000;

    private final Set<String> rooms = new HashSet<>();
    /** Presences sent to occupant JIDs, counted: the order in which they reached rooms ({@link #toNewcomer}). */
    private long presences;
    /** By occupant JID: the count of the latest presence sent to it. */
    private final Map<String, Long> lastPresenceTo = bounded();
    /** By room and the full JID of whoever joined it: the count of their latest join. */
    private final Map<String, Long> joined = bounded();

    private static Map<String, Long> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > MAX_ROOMS;
            }
        };
    }

    /**
     * The chat-room service a presence comes from when a room sent it, else null: one from an
     * occupant JID (room@service/nick) carrying the MUC {@code <x/>} with an {@code <item/>} (the
     * occupant's affiliation and role), which only a room sends.
     */
    public static String serviceOf(XmlElement presence, String from) {
        XmlElement x = presence.child("x", Ns.MUC_USER);
        if (x == null || x.child("item", Ns.MUC_USER) == null || from == null) {
            return null;
        }
        Jid occupant = Jid.parse(from);
        return occupant.isValid() && occupant.local() != null && occupant.hasResource() ? occupant.domainKey() : null;
    }

    /**
     * How a stanza of {@code kind} and {@code type}, from {@code fromBare} to {@code to} (bare:
     * {@code toBare}), carrying {@code invite} (or null), stands to a room's copies of it.
     */
    public Copying copying(String kind, String type, String to, String toBare, String fromBare, XmlElement stanza,
                           MucInvite invite) {
        if (!kind.equals("message") && !kind.equals("presence")) {
            return Copying.NONE;
        }
        if (sentToRoom(kind, type, to, toBare, stanza)) {
            return Copying.TO_ROOM;
        }
        if (invite != null && !"groupchat".equals(type) && !"error".equals(type)) {
            if (invite.to() != null && to != null && toBare != null && to.indexOf('/') < 0) {
                remember(toBare);
                return invite.decline() ? Copying.DECLINE : Copying.INVITATION;
            }
            if (invite.from() != null && fromBare != null && rooms.contains(fromBare)) {
                return invite.decline() ? Copying.ROOM_DECLINE : Copying.ROOM_INVITATION;
            }
        }
        // an error from the room is its bounce of what was sent to it (paired as a bounce), not a copy to occupants
        if (fromBare == null || !rooms.contains(fromBare) || "error".equals(type)) {
            return Copying.NONE;
        }
        return kind.equals("message") && stampedBy(stanza, fromBare) ? Copying.ROOM_HISTORY : Copying.FROM_ROOM;
    }

    /**
     * For a presence that {@link #copying} said is sent to a room ({@code TO_ROOM}) or a room's copy
     * ({@code FROM_ROOM}), from {@code fromKey} to {@code toKey}: remembers the order in which
     * presences and joins reach the room, and says {@link Copying#TO_NEWCOMER} for a copy of an
     * occupant's presence to someone who joined after it came. The room sends a newcomer every
     * occupant's current presence, with the id and payload the occupant sent: it joined that
     * presence's route as a copy held since then. Called for each sighting, in capture order.
     */
    public Copying presence(Copying copying, String roomBare, String fromKey, String toKey, XmlElement presence) {
        if (copying == Copying.TO_ROOM && toKey != null) {
            lastPresenceTo.put(toKey, ++presences);
            if (fromKey != null && joins(presence)) {
                joined.put(roomBare + " " + fromKey, presences);
            }
        } else if (copying == Copying.FROM_ROOM && fromKey != null && toKey != null) {
            Long newcomer = joined.get(roomBare + " " + toKey);
            Long occupant = lastPresenceTo.get(fromKey);
            if (newcomer != null && occupant != null && newcomer > occupant) {
                return Copying.TO_NEWCOMER;
            }
        }
        return copying;
    }

    /** Whether the room {@code roomBare} stamped a delay (XEP-0203) on {@code message}: a copy out of its history. */
    private static boolean stampedBy(XmlElement message, String roomBare) {
        for (XmlElement c : message.children()) {
            if (Ns.DELAY.equals(c.namespace()) && c.name().equals("delay")) {
                Jid stamper = Jid.parse(c.attribute("from"));
                if (stamper != null && roomBare.equals(stamper.bareKey())) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean sentToRoom(String kind, String type, String to, String toBare, XmlElement stanza) {
        if (to == null || toBare == null) {
            return false;
        }
        boolean occupant = to.indexOf('/') >= 0;
        boolean groupchat = "groupchat".equals(type);
        if (kind.equals("message")) {
            // to the room itself, or a private message to one occupant through it (XEP-0045 §7.5)
            return occupant ? !groupchat && rooms.contains(toBare) : groupchat && remember(toBare);
        }
        if (!occupant) {
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
