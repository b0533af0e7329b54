package dev.xmppscope.analyzer.route;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Pairs a message or presence of type error with the stanza it bounces (RFC 6120 §8.3: the error
 * goes back to the sender, with the same id), as {@link IqPairing} pairs an IQ with its answer, in
 * the same ledger. On a c2s stream the error comes back on the same connection the other way;
 * between servers it may come back on the reverse stream, so there the domains are swapped. Sans-io.
 *
 * <p>Each way a stanza can go (a c2s stream's direction, a pair of domains) remembers the last
 * {@value #PER_WAY} stanzas with an id sent that way, in a ring of longs: no object per stanza, and
 * no ref kept alive for the collector to copy, since nearly all of them never bounce. One table for
 * all of them (128 Ki slots, 3 MB) took a fifth more CPU per analysis: writing every message to a
 * random place in it evicted from the caches what the rest of the analysis was using.
 */
public final class Bounces {
    /** Stanzas remembered per way: a bounce of one sent earlier than that stays unpaired. */
    static final int PER_WAY = 64;
    /** Ways remembered; the least recently used is dropped beyond this (64 MB at most). */
    static final int MAX_WAYS = 40_000;
    /**
     * How late a bounce may come: a server that cannot reach another bounces what it held for it
     * when it gives up connecting, which takes up to a minute or two.
     */
    static final long WINDOW_NANOS = 180_000_000_000L;

    private final Map<Long, long[]> ways = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
            return size() > MAX_WAYS;
        }
    };
    private final LongFunction<String> refOf;
    private final IqLedger ledger;

    /** {@code refOf} gives the ref of a row key (see {@code StanzaIndex}). */
    public Bounces(IqLedger ledger, LongFunction<String> refOf) {
        this.ledger = ledger;
        this.refOf = refOf;
    }

    /**
     * @param row        the stanza's row key, which {@code refOf} turns into {@code ref}
     * @param c2s        whether {@code connection} is a c2s stream (else the stanza is between servers)
     * @param fromDomain the sending domain (between servers only)
     * @param toDomain   the receiving domain (between servers only)
     * @return the bounced stanza's ref, when {@code ref} is its bounce
     */
    public String observe(String ref, long row, long connection, boolean c2s, boolean toServer, long at, String kind,
                          String type, String id, String fromDomain, String toDomain) {
        if (id == null) {
            return null;
        }
        boolean bounce = "error".equals(type);
        // the way it went: on a c2s stream its direction, between servers its two domains (swapped for the bounce)
        long way = c2s ? connection * 2 + (toServer != bounce ? 1 : 0)
                : bounce ? mix(Objects.hashCode(toDomain), Objects.hashCode(fromDomain)) | Long.MIN_VALUE
                : mix(Objects.hashCode(fromDomain), Objects.hashCode(toDomain)) | Long.MIN_VALUE;
        long key = mix(kind.hashCode(), id.hashCode()) ^ id.length();
        if (!bounce) {
            remember(way, key, at, row);
            return null;
        }
        long[] ring = ways.get(way);
        int slot = ring == null ? -1 : find(ring, key, at);
        if (slot < 0) {
            return null;
        }
        long sentAt = ring[slot + 1];
        String bounced = refOf.apply(ring[slot + 2]); // "CONNECTION-DIRECTION-INDEX"
        long bouncedConnection = Long.parseLong(bounced, 0, bounced.indexOf('-'), 10);
        ledger.put(bounced, new IqPairing.IqInfo(ref, at - sentAt, true, sentAt, bouncedConnection));
        ledger.put(ref, new IqPairing.IqInfo(bounced, null, false, at, connection));
        return bounced;
    }

    /** A ring: {@value #PER_WAY} slots of (key, when sent, row key), then the next slot to write. */
    private void remember(long way, long key, long at, long row) {
        long[] ring = ways.computeIfAbsent(way, w -> new long[3 * PER_WAY + 1]);
        int slot = (int) ring[3 * PER_WAY];
        ring[slot] = key;
        ring[slot + 1] = at;
        ring[slot + 2] = row;
        ring[3 * PER_WAY] = (slot + 3) % (3 * PER_WAY);
    }

    /** The slot of the latest stanza sent under {@code key} within the window before {@code at}, or -1. */
    private static int find(long[] ring, long key, long at) {
        int next = (int) ring[3 * PER_WAY];
        for (int k = 1; k <= PER_WAY; k++) {
            int slot = Math.floorMod(next - 3 * k, 3 * PER_WAY);
            long sentAt = ring[slot + 1];
            if (ring[slot] == key && ring[slot + 2] != 0 && at >= sentAt && at - sentAt <= WINDOW_NANOS) {
                return slot;
            }
        }
        return -1;
    }

    private static long mix(long a, long b) {
        long h = (a * 0x9E3779B97F4A7C15L) ^ b;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 31);
    }
}
