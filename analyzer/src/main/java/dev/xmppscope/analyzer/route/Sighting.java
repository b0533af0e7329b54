package dev.xmppscope.analyzer.route;

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
 * @param digest     {@link PayloadDigest} of the payload
 */
public record Sighting(String ref, long connection, String source, String target, long at, String kind, String type,
                       String id, String fromBare, String toBare, long digest) {

    /** What the copies of one stanza share on every link (a record: hashing it reuses the strings' cached hashes). */
    record Key(String kind, String type, String id, String fromBare, String toBare, boolean broadcast, long digest) {
    }

    Key key() {
        return new Key(kind, type, id, fromBare, toBare, false, digest);
    }

    /** The key of a broadcast (no 'to'): its copies to each recipient match it whatever their 'to'. */
    Key broadcastKey() {
        return new Key(kind, type, id, fromBare, null, true, digest);
    }

    /** Whether the stanza carries enough to be told apart from others (an id, or a payload). */
    boolean distinctive() {
        return id != null || digest != PayloadDigest.EMPTY;
    }
}
