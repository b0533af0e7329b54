package dev.xmppscope.analyzer.route;

/**
 * Stanzas seen lately, by a 64-bit key, for the price of two longs and a ref each: a direct-mapped
 * table, where a newer entry landing on the same slot evicts an older one. The route correlator
 * keeps the routes it retired at delivery here, so that the same stanza delivered again (resent on
 * a resumed stream, XEP-0198) still joins its route, without the collector copying the route;
 * {@link Bounces} keeps the stanzas an error may yet bounce.
 */
final class RecentRefs {
    private final long[] keys;
    private final long[] seenAt;
    private final String[] refs;
    private final int mask;

    /** @param slots a power of two */
    RecentRefs(int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        keys = new long[slots];
        seenAt = new long[slots];
        refs = new String[slots];
        mask = slots - 1;
    }

    /** {@code ref} was seen at {@code at} under {@code key}. */
    void remember(long key, String ref, long at) {
        int slot = slot(key);
        keys[slot] = key;
        seenAt[slot] = at;
        refs[slot] = ref;
    }

    /** The ref seen under {@code key} at most {@code window} before {@code now}, or null. */
    String find(long key, long now, long window) {
        int slot = slot(key);
        String ref = refs[slot];
        return ref != null && keys[slot] == key && now >= seenAt[slot] && now - seenAt[slot] <= window ? ref : null;
    }

    /** When the ref {@link #find} just gave for {@code key} was seen. */
    long when(long key) {
        return seenAt[slot(key)];
    }

    private int slot(long key) {
        return (int) (key ^ (key >>> 32)) & mask;
    }
}
