package dev.xmppscope.analyzer.route;

import java.util.Objects;

/**
 * A stanza seen on one link, with what survives server rewriting.
 *
 * @param ref        the stanza's ref
 * @param connection the link
 * @param source     graph node id of the sender on this link
 * @param target     graph node id of the receiver on this link
 * @param at         epoch nanoseconds
 * @param kind       message, presence or iq
 * @param type       the type, normalized (a message without type is "normal", a presence "available")
 * @param id         the id attribute, or null
 * @param fromBare   bare sender (from the attribute, or the c2s stream's bound identity), or null
 * @param toBare     bare recipient (likewise), or null
 * @param from       the full sender (case-folded, from the attribute or the c2s stream's bound identity), or null:
 *                   what tells a presence without id or payload from another's
 * @param to         the full addressee (case-folded, from the attribute or the c2s stream's bound identity), or
 *                   null: it tells apart the copies a server fans out over one link (a room's to alice and to
 *                   dave, both through a.example), and a presence without id or payload from another's
 * @param digest     {@link PayloadDigest} of the payload ({@link PayloadDigest#ofInvitation} of an invitation)
 * @param delivered  whether this hop brings the stanza to the entity that handles it (the client
 *                   bound to its full 'to', for instance), so that only a resend can follow
 * @param copying    whether it is sent to a chat room, a room's copy, an invitation through a room, a
 *                   carbon, a server's replay of a presence it cached, or none of those
 * @param fromStore  whether its addressee's server delivers it out of offline storage ({@link OfflineStorage}):
 *                   a message of {@link Copying#NONE}, or an invitation (or decline) a room passed on
 */
public record Sighting(String ref, long connection, String source, String target, long at, String kind, String type,
                       String id, String fromBare, String toBare, String from, String to, long digest,
                       boolean delivered, Copying copying, boolean fromStore) {

    /** A sighting whose full 'from' and 'to' are not told. */
    public Sighting(String ref, long connection, String source, String target, long at, String kind, String type,
                    String id, String fromBare, String toBare, long digest, boolean delivered, Copying copying,
                    boolean fromStore) {
        this(ref, connection, source, target, at, kind, type, id, fromBare, toBare, null, null, digest, delivered, copying,
                fromStore);
    }

    /**
     * What the copies of one stanza share on every link. Its hash is computed once: a key is looked
     * up at every node its route reaches.
     */
    static final class Key {
        /** A stanza's copies on each link it crossed. */
        static final byte SAME = 0;
        /** A broadcast (no 'to') and its copies to each recipient. */
        static final byte BROADCAST = 1;
        /** A stanza to a chat room and the room's copies of it to each occupant (XEP-0045). */
        static final byte ROOM = 2;

        private final String kind;
        private final String type;
        private final String id;
        private final String fromBare;
        private final String toBare;
        private final byte shape;
        private final long digest;
        private final int hash;

        Key(String kind, String type, String id, String fromBare, String toBare, byte shape, long digest) {
            this.kind = kind;
            this.type = type;
            this.id = id;
            this.fromBare = fromBare;
            this.toBare = toBare;
            this.shape = shape;
            this.digest = digest;
            int h = Long.hashCode(digest) * 31 + shape;
            for (String part : new String[] {kind, type, id, fromBare, toBare}) {
                h = h * 31 + Objects.hashCode(part);
            }
            this.hash = h;
        }

        /** A 64-bit hash of this key at {@code node}, for tables that hold no objects. */
        long wideHash(String node) {
            long h = digest ^ (shape * 0x5bd1e9955bd1e995L);
            h = mix(h, kind);
            h = mix(h, type);
            h = mix(h, id);
            h = mix(h, fromBare);
            h = mix(h, toBare);
            return mix(h, node);
        }

        private static long mix(long h, String part) {
            long x = (h ^ Objects.hashCode(part)) * 0x9E3779B97F4A7C15L;
            return x ^ (x >>> 29);
        }

        boolean room() {
            return shape == ROOM;
        }

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof Key k && k.hash == hash && k.digest == digest && k.shape == shape
                    && Objects.equals(k.id, id) && Objects.equals(k.toBare, toBare) && Objects.equals(k.fromBare, fromBare)
                    && Objects.equals(k.type, type) && Objects.equals(k.kind, kind);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * A key at a graph node: the open routes of that stanza that have reached the node. Node ids
     * are shared strings, so comparing them is mostly a reference check.
     */
    static final class Slot {
        private final Key key;
        private final String node;
        private final int hash;

        Slot(Key key, String node) {
            this.key = key;
            this.node = node;
            this.hash = key.hash * 31 + Objects.hashCode(node);
        }

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof Slot s && s.hash == hash && Objects.equals(s.node, node) && s.key.equals(key);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    Key key() {
        return new Key(kind, type, id, sender(), distinctive() ? toBare : to, Key.SAME, digest);
    }

    /** The key of a broadcast (no 'to'): its copies to each recipient match it whatever their 'to'. */
    Key broadcastKey() {
        return new Key(kind, type, id, sender(), null, Key.BROADCAST, digest);
    }

    /** Who sent it, as its key names them: the bare JID, or the full one (as the addressee) where nothing else tells copies apart. */
    private String sender() {
        return distinctive() ? fromBare : from;
    }

    /** Sent to a chat room for it to copy or pass on. */
    boolean toRoom() {
        return copying == Copying.TO_ROOM || copying == Copying.INVITATION || copying == Copying.DECLINE;
    }

    /** A chat room's copy of what was sent to it, or its passing on an invitation or a decline. */
    boolean roomCopy() {
        return copying == Copying.FROM_ROOM || copying == Copying.ROOM_HISTORY || copying == Copying.TO_NEWCOMER
                || copying == Copying.ROOM_INVITATION || copying == Copying.ROOM_DECLINE;
    }

    boolean carbon() {
        return copying == Copying.CARBON;
    }

    /** A presence its sender's server sends again out of its cache ({@link PresenceCache}), or relays on such. */
    boolean replay() {
        return copying == Copying.REPLAY;
    }

    /** The key a room's copies of this stanza find it by: the room is its 'to'. */
    Key roomKey() {
        return new Key(kind, type, id, toBare, null, Key.ROOM, digest);
    }

    /** The key of the stanza this copy repeats, if a room sent it: the room is its 'from'. */
    Key copyKey() {
        return new Key(kind, type, id, fromBare, null, Key.ROOM, digest);
    }

    /** Whether the stanza carries enough to be told apart from others (an id, or a payload). */
    boolean distinctive() {
        return id != null || digest != PayloadDigest.EMPTY;
    }

    /**
     * Whether its copies can be found at all: by an id or a payload; or a presence without either
     * (a server's unavailable answer to a probe, a client's bare {@code <presence type='unavailable'/>})
     * by its type, its full sender and its full addressee, within a short window ({@link RouteCorrelator#UNMARKED_WINDOW_NANOS}).
     * A message or IQ without either is not followed: nothing but its addresses would say which is which.
     */
    boolean matchable() {
        return distinctive() || kind.equals("presence") && from != null;
    }
}
