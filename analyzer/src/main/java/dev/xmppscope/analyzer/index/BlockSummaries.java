package dev.xmppscope.analyzer.index;

import dev.xmppscope.capture.ByteSearch;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each complete block of {@value #BLOCK} timeline elements holds: a Bloom filter of its
 * addresses (full and bare) and ids, made by the first scan that reads the block whole. A later
 * query for a JID or an id passes by the blocks that cannot hold it: a query that matches rare
 * elements read the whole timeline each time (about 0.2 s per million elements). Kept in memory
 * (8 KB a block); a complete block never changes, as the timeline is only appended to.
 */
final class BlockSummaries {
    static final int BLOCK = 4096;
    private static final int BITS = 1 << 16;
    private static final int HASHES = 5;
    static final byte FULL_ADDRESS = 1;
    static final byte BARE_ADDRESS = 2;
    static final byte ID = 3;

    private final Map<Long, long[]> blocks = new ConcurrentHashMap<>();

    static long block(long seq) {
        return seq / BLOCK;
    }

    /** Whether {@code seq} is where a scan in this direction enters its block. */
    static boolean entersBlock(long seq, boolean forward) {
        return seq % BLOCK == (forward ? 0 : BLOCK - 1);
    }

    /** Whether {@code seq} is where a scan in this direction leaves its block. */
    static boolean leavesBlock(long seq, boolean forward) {
        return entersBlock(seq, !forward);
    }

    /** False when the block is known not to hold every one of the terms {@code hashes} ({@link #hash}); true when unknown. */
    boolean mayHold(long block, long[] hashes) {
        long[] bits = blocks.get(block);
        if (bits == null) {
            return true;
        }
        for (long h : hashes) {
            if (!contains(bits, h)) {
                return false;
            }
        }
        return true;
    }

    boolean known(long block) {
        return blocks.containsKey(block);
    }

    int size() {
        return blocks.size();
    }

    void put(long block, long[] bits) {
        blocks.putIfAbsent(block, bits);
    }

    static long[] newBits() {
        return new long[BITS / 64];
    }

    /** Adds the term {@code hash} to a block's bits. */
    static void add(long[] bits, long hash) {
        for (int i = 0; i < HASHES; i++) {
            int bit = bit(hash, i);
            bits[bit >>> 6] |= 1L << bit;
        }
    }

    private static boolean contains(long[] bits, long hash) {
        for (int i = 0; i < HASHES; i++) {
            int bit = bit(hash, i);
            if ((bits[bit >>> 6] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The {@code i}-th of a term's bits: double hashing, the hash's high half as the step. */
    private static int bit(long hash, int i) {
        return (int) ((hash + i * ((hash >>> 32) | 1)) & (BITS - 1));
    }

    /**
     * The term {@code b[from, to)} of kind {@code tag}, hashed eight bytes at a time: the same
     * bytes, from a record or a query, hash alike. A scan that summarizes hashes five terms a record.
     */
    static long hash(byte tag, byte[] b, int from, int to) {
        long h = (tag + 1L) * 0x9E3779B97F4A7C15L ^ (to - from);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = (h ^ ByteSearch.word(b, i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        long last = 0;
        for (int shift = 0; i < to; i++, shift += 8) {
            last |= (b[i] & 0xFFL) << shift;
        }
        h = (h ^ last) * 0x94D049BB133111EBL;
        return h ^ (h >>> 29);
    }
}
