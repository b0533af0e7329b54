package dev.xmppscope.analyzer.model;

import java.util.List;

/**
 * The path one stanza took across the mesh: the same stanza seen on several links, in order. Mostly a
 * chain; a tree where the stanza fans out (a presence broadcast to each contact, a room's copies of a
 * message to each occupant): each hop names the hop it continues.
 *
 * @param hops        in the order of the route's tree: each hop after the one it continues, the branches where a
 *                    server copied the stanza in the order they left it, each branch whole before the next;
 *                    a route that does not fan out is in time order (e.g. alice's c2s, the s2s a→b stream, bob's c2s)
 * @param confidence  0..1: how sure the match is (1 = same id, type, bare from/to and payload digest)
 * @param explanation what the match was based on, in words
 */
public record StanzaRoute(List<Hop> hops, double confidence, String explanation) {

    /**
     * One link the stanza crossed.
     *
     * @param stanzaRef  the element seen on this link
     * @param connection the link's connection
     * @param source     graph node id of the sender on this link
     * @param target     graph node id of the receiver on this link
     * @param at         epoch nanoseconds when it crossed
     * @param heldNanos  how long the sending server held it since the hop it continues, or null for the first hop
     *                   and for a presence {@link #REPLAYED} out of a server's cache, a room's copy {@link #FROM_HISTORY}
     *                   or a room's {@link #TO_NEWCOMER} copy (a new delivery, not a hold)
     * @param after      the index in {@code hops} of the hop this one continues (it left the node that hop
     *                   reached), or null for the first hop
     * @param how        what made this hop, where it is more than relaying the stanza on: {@link #ROOM_COPY},
     *                   {@link #ROOM_INVITATION}, {@link #ROOM_DECLINE}, {@link #CARBON}, {@link #FROM_STORAGE} or
     *                   {@link #RESENT}, {@link #REPLAYED}, {@link #FROM_HISTORY} or {@link #TO_NEWCOMER}; else null
     * @param linkOpened the sending server had no stream on this link when the stanza reached it: it opened
     *                   this hop's connection then, and {@code heldNanos} includes setting it up (DNS, TCP,
     *                   TLS, dialback), which the first message to a server always waits for
     * @param to         where the route fans out, whom this branch is for: the stanza's 'to' on this link (a
     *                   room's copies to alice and to dave cross the same link to a.example); else null
     */
    public record Hop(String stanzaRef, long connection, String source, String target, long at, Long heldNanos,
                      Integer after, String how, boolean linkOpened, String to) {

        public Hop(String stanzaRef, long connection, String source, String target, long at, Long heldNanos, Integer after,
                   String how) {
            this(stanzaRef, connection, source, target, at, heldNanos, after, how, false, null);
        }

        public Hop(String stanzaRef, long connection, String source, String target, long at, Long heldNanos, Integer after,
                   String how, String to) {
            this(stanzaRef, connection, source, target, at, heldNanos, after, how, false, to);
        }

        /** This hop, said to have waited for its link to be opened. */
        public Hop withLinkOpened() {
            return new Hop(stanzaRef, connection, source, target, at, heldNanos, after, how, true, to);
        }

        /** This hop, continuing hop {@code after} (the index of that hop, where the route lists it). */
        public Hop withAfter(Integer after) {
            return new Hop(stanzaRef, connection, source, target, at, heldNanos, after, how, linkOpened, to);
        }

        /** A chat room's copy of what was sent to it, to one occupant (XEP-0045). */
        public static final String ROOM_COPY = "room copy";
        /** A chat room passing on an invitation sent to it, as a message of its own to the invitee (XEP-0045 §7.8.2). */
        public static final String ROOM_INVITATION = "the room's invitation";
        /** A chat room passing on an invitee's decline sent to it, as a message of its own to the inviter. */
        public static final String ROOM_DECLINE = "the room's decline";
        /** A copy for another client of the sender or the addressee (XEP-0280). */
        public static final String CARBON = "carbon";
        /** Delivered out of the addressee's server's offline storage (XEP-0160). */
        public static final String FROM_STORAGE = "from offline storage";
        /** Delivered again, on another stream (a resumed session, XEP-0198). */
        public static final String RESENT = "delivered again";
        /**
         * A presence its sender's server sent again out of its cache (stamped with a delay from its own domain) to
         * someone who asked later: a contact's probe, a subscription approved, its user's new resource.
         */
        public static final String REPLAYED = "replayed from the server's cache";
        /** A chat room's copy of a message out of its history, to an occupant who joined after it was sent. */
        public static final String FROM_HISTORY = "from the room's history";
        /**
         * A chat room's copy of an occupant's presence to someone who joined after it came: the room
         * tells each newcomer who is there already. A new delivery, not a hold.
         */
        public static final String TO_NEWCOMER = "newcomer's copy";
    }
}
