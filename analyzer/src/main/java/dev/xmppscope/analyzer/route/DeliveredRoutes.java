package dev.xmppscope.analyzer.route;

/**
 * Routes that ended at delivery, remembered for their window so that the same stanza delivered
 * again (resent on a resumed stream, XEP-0198) still joins its route. A delivered route is retired
 * so that the collector no longer copies it; this table keeps it findable for the price of two
 * longs and the first hop's ref. Direct-mapped: a newer route landing on the same slot evicts an
 * older one, whose resend then stays unlinked.
 */
final class DeliveredRoutes {
    private final long[] keys;
    private final long[] deliveredAt;
    private final String[] firstRefs;
    private final int mask;

    /** @param slots a power of two */
    DeliveredRoutes(int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        keys = new long[slots];
        deliveredAt = new long[slots];
        firstRefs = new String[slots];
        mask = slots - 1;
    }

    /**
     * The route starting at {@code firstRef} was delivered at {@code at}; {@code key} is its
     * {@link Sighting.Key#wideHash} at the node a copy would leave from.
     */
    void remember(long key, String firstRef, long at) {
        int slot = slot(key);
        keys[slot] = key;
        deliveredAt[slot] = at;
        firstRefs[slot] = firstRef;
    }

    /** The first hop's ref of the route delivered under {@code key} at most {@code window} before {@code now}, or null. */
    String find(long key, long now, long window) {
        int slot = slot(key);
        String ref = firstRefs[slot];
        return ref != null && keys[slot] == key && now >= deliveredAt[slot] && now - deliveredAt[slot] <= window ? ref : null;
    }

    private int slot(long key) {
        return (int) (key ^ (key >>> 32)) & mask;
    }
}
