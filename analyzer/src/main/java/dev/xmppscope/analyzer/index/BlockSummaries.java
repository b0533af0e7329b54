package dev.xmppscope.analyzer.index;

import dev.xmppscope.capture.ByteSearch;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/**
 * What each complete block of {@value #BLOCK} timeline elements holds, made by the first scan
 * that reads the block whole: a Bloom filter of its addresses (full and bare), ids, kinds and
 * types, and the set of its namespaces' numbers ({@link Summary}); and, once a free-text query
 * read all its XML, the trigrams of that ({@link TextSummary}). A later query for any of those
 * passes by the blocks that cannot hold it: a query that matches rare elements read the whole
 * timeline each time (about 0.2 s per million elements, 0.45 s for free text). Kept in memory
 * (8 KB and 16 KB a block, up to {@value #MAX_BYTES} bytes in all: about 20 million elements,
 * beyond which blocks are read as before); a complete block never changes, as the timeline is
 * only appended to.
 */
final class BlockSummaries {
    static final int BLOCK = 4096;
    private static final int BITS = 1 << 16;
    private static final int HASHES = 5;
    static final byte FULL_ADDRESS = 1;
    static final byte BARE_ADDRESS = 2;
    static final byte ID = 3;
    static final byte KIND = 4;
    static final byte TYPE = 5;
    /** What all summaries of one analysis may take: a live capture that runs for weeks must not fill the heap with them. */
    static final long MAX_BYTES = 128L << 20;

    private final Map<Long, Summary> blocks = new ConcurrentHashMap<>();
    private final Map<Long, TextSummary> texts = new ConcurrentHashMap<>();
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();

    BlockSummaries() {
        this(MAX_BYTES);
    }

    /** Summaries that take at most about {@code maxBytes}. */
    BlockSummaries(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** What a query asks of a block's summaries, each null when not made yet: false when no element of the block can pass. */
    interface Test {
        boolean mayHold(Summary terms, TextSummary text);
    }

    /** One block's summary: filled by the scan that reads the block, never changed once {@link #put}. */
    static final class Summary {
        private final long[] terms = new long[BITS / 64];
        /** Bit n: an element uses the namespace numbered n (see {@link NamespaceIds}). */
        private final BitSet namespaces = new BitSet();
        /** An element names a namespace by its URI (the numbers ran out): any namespace may be here. */
        private boolean namedNamespaces;

        long bytes() {
            return terms.length * 8L + namespaces.size() / 8;
        }

        /** Adds the term {@code hash} ({@link #hash}). */
        void addTerm(long hash) {
            for (int i = 0; i < HASHES; i++) {
                int bit = bit(hash, i);
                terms[bit >>> 6] |= 1L << bit;
            }
        }

        void addNamespace(int number) {
            namespaces.set(number);
        }

        void addNamedNamespace() {
            namedNamespaces = true;
        }

        /** False when the block is known not to hold every one of the terms {@code hashes}. */
        boolean mayHoldAll(long[] hashes) {
            for (long h : hashes) {
                if (!mayHold(h)) {
                    return false;
                }
            }
            return true;
        }

        private boolean mayHold(long hash) {
            for (int i = 0; i < HASHES; i++) {
                int bit = bit(hash, i);
                if ((terms[bit >>> 6] & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }

        /** False when no namespace of the block is numbered one that {@code numbered} passes. */
        boolean mayHoldNamespace(IntPredicate numbered) {
            if (namedNamespaces) {
                return true;
            }
            for (int n = namespaces.nextSetBit(0); n >= 0; n = namespaces.nextSetBit(n + 1)) {
                if (numbered.test(n)) {
                    return true;
                }
            }
            return false;
        }
    }

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

    /** False when the block is known to hold nothing that passes {@code test}; true when unknown. */
    boolean mayHold(long block, Test test) {
        Summary terms = blocks.get(block);
        TextSummary text = texts.get(block);
        return (terms == null && text == null) || test.mayHold(terms, text);
    }

    boolean known(long block) {
        return blocks.containsKey(block);
    }

    boolean textKnown(long block) {
        return texts.containsKey(block);
    }

    /** How many blocks have their terms summarized (for tests). */
    int size() {
        return blocks.size();
    }

    /** How many blocks have their text summarized (for tests). */
    int texts() {
        return texts.size();
    }

    /** Whether another block may be summarized: false once the summaries take {@code maxBytes}. */
    boolean hasRoom() {
        return bytes.get() < maxBytes;
    }

    void put(long block, Summary summary) {
        if (blocks.putIfAbsent(block, summary) == null) {
            bytes.addAndGet(summary.bytes());
        }
    }

    void put(long block, TextSummary text) {
        if (texts.putIfAbsent(block, text) == null) {
            bytes.addAndGet(TextSummary.BYTES);
        }
    }

    /** The {@code i}-th of a term's bits: double hashing, the hash's high half as the step. */
    private static int bit(long hash, int i) {
        return (int) ((hash + i * ((hash >>> 32) | 1)) & (BITS - 1));
    }

    /**
     * The term {@code b[from, to)} of kind {@code tag}, hashed eight bytes at a time: the same
     * bytes, from a record or a query, hash alike. A scan that summarizes hashes seven terms a record.
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
