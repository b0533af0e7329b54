package dev.xmppscope.analyzer.route;

/** How a sighting stands to the copies servers make of a stanza (besides relaying it). */
public enum Copying {
    /** Relayed as it is. */
    NONE,
    /** Sent to a chat room, which sends a copy of it to each occupant, or to the one addressed ({@link ChatRooms}). */
    TO_ROOM,
    /** A chat room's copy of something sent to it, to an occupant ({@link ChatRooms}). */
    FROM_ROOM,
    /**
     * A chat room's copy of a message out of its history (stamped with a delay by the room), to an occupant
     * who joined after it was sent (XEP-0045 §7.2.15), or such a copy relayed on ({@link ChatRooms}).
     */
    ROOM_HISTORY,
    /**
     * A chat room's presence of an occupant, sent to someone who joined after that presence reached
     * it: the room telling a newcomer who is there (XEP-0045 §7.2.3), or such a copy relayed on ({@link ChatRooms}).
     */
    TO_NEWCOMER,
    /**
     * A carbon ({@link dev.xmppscope.analyzer.xmpp.CarriedMessage#carbon()}): the sighting's kind,
     * type, id, addresses and digest are the message it carries.
     */
    CARBON,
    /** A mediated invitation sent to a chat room, which passes it on to the invitee ({@link ChatRooms}). */
    INVITATION,
    /** A chat room's message passing on an invitation sent to it ({@link ChatRooms}). */
    ROOM_INVITATION,
    /** An invitee's decline of a mediated invitation, sent to the chat room, which passes it on to the inviter. */
    DECLINE,
    /** A chat room's message passing on a decline sent to it ({@link ChatRooms}). */
    ROOM_DECLINE,
    /**
     * A presence its sender's server sends again, out of its cache, to someone who asks later (a
     * contact's probe, its user's new resource), or such a presence relayed on ({@link PresenceCache}).
     */
    REPLAY
}
