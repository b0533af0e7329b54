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
 * <p>Each way a stanza can go (a c2s stream's direction, a pair of domains) remembers the latest
 * stanzas with an id sent that way, in a ring of longs: no object per stanza, and no ref kept
 * alive for the collector to copy, since nearly all of them never bounce. A ring holds
 * {@value #FIRST_PER_WAY} at first and doubles, up to {@value #MAX_PER_WAY}, when it would overwrite
 * a stanza still within {@link #WINDOW_NANOS}: a client that sends a few stanzas a second while a
 * server gives up on another (a minute or two) sent hundreds since the one bounced, and a ring of
 * 64 had forgotten it. Written in order, a ring costs the caches one line per few stanzas; one
 * table for all ways (128 Ki slots, 3 MB) took a fifth more CPU per analysis: writing every
 * message to a random place in it evicted what the rest of the analysis was using.
 */
public final class Bounces {
    /** Stanzas a way's ring holds at first. */
    static final int FIRST_PER_WAY = 16;
    /** Stanzas a way's ring may grow to: a bounce of one sent earlier than that stays unpaired. */
    static final int MAX_PER_WAY = 1024;
    /** Ways remembered; the least recently used is dropped beyond this (16 MB in first rings). */
    static final int MAX_WAYS = 40_000;
    /** Slots all grown rings may hold beyond their first ones (48 MB): a ring grows no more past it. */
    static final long GROWN_SLOTS = 2L << 20;
    /**
     * How late a bounce may come: a server that cannot reach another bounces what it held for it
     * when it gives up connecting, which takes up to a minute or two.
     */
    static final long WINDOW_NANOS = 180_000_000_000L;

    private final Map<Long, long[]> ways = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
            if (size() <= MAX_WAYS) {
                return false;
            }
            grownSlots -= capacity(eldest.getValue()) - FIRST_PER_WAY;
            return true;
        }
    };
    private long grownSlots;
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

    /** A ring: slots of (key, when sent, row key), then where the next is written. */
    private void remember(long way, long key, long at, long row) {
        long[] ring = ways.computeIfAbsent(way, w -> new long[3 * FIRST_PER_WAY + 1]);
        int capacity = capacity(ring);
        int slot = (int) ring[3 * capacity];
        boolean stillWanted = ring[slot + 2] != 0 && at - ring[slot + 1] <= WINDOW_NANOS;
        if (stillWanted && capacity < MAX_PER_WAY && grownSlots + capacity <= GROWN_SLOTS) {
            ring = grown(ring);
            ways.put(way, ring);
            grownSlots += capacity;
            capacity *= 2;
            slot = (int) ring[3 * capacity];
        }
        ring[slot] = key;
        ring[slot + 1] = at;
        ring[slot + 2] = row;
        ring[3 * capacity] = (slot + 3) % (3 * capacity);
    }

    /** A full ring twice as large, its stanzas oldest first, the next written after them. */
    private static long[] grown(long[] ring) {
        int capacity = capacity(ring);
        int next = (int) ring[3 * capacity];
        long[] bigger = new long[6 * capacity + 1];
        System.arraycopy(ring, next, bigger, 0, 3 * capacity - next);
        System.arraycopy(ring, 0, bigger, 3 * capacity - next, next);
        bigger[6 * capacity] = 3 * capacity;
        return bigger;
    }

    /** Slots the grown rings hold beyond their first ones (for tests). */
    long grownSlots() {
        return grownSlots;
    }

    private static int capacity(long[] ring) {
        return (ring.length - 1) / 3;
    }

    /** The slot of the latest stanza sent under {@code key} within the window before {@code at}, or -1. */
    private static int find(long[] ring, long key, long at) {
        int capacity = capacity(ring);
        int next = (int) ring[3 * capacity];
        for (int k = 1; k <= capacity; k++) {
            int slot = Math.floorMod(next - 3 * k, 3 * capacity);
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
