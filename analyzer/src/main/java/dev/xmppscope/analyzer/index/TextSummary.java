package dev.xmppscope.analyzer.index;

import dev.xmppscope.capture.ByteSearch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The three-byte sequences (trigrams) a block's XML holds at even positions, ASCII letters folded
 * to lower case, as a hashed bit set: a free-text query passes by a block that lacks its text's
 * trigrams at both alignments. A search for rare text read every element's XML each time (about
 * 0.45 s per million elements). Only even positions, to halve the hashing, which costs the first
 * search about 0.7 ns a byte of XML even so: the text then needs four bytes, not three, to rule a block out.
 *
 * <p>Why this is sound: the search looks for the text in the XML once both are lowercased. An
 * element matches only if its XML, folded, holds each run of ASCII characters of the text at one
 * place, so each run's trigrams at even offsets, or those at odd ones, are at even positions of
 * the XML. Only two characters beyond ASCII lowercase into ASCII ({@link AsciiFolding}); a block
 * whose XML holds either may hold any text. Runs are taken one by one, as lowercasing may change
 * the byte length of what is between them.
 */
final class TextSummary {
    /** 16 KB a block. */
    private static final int LOG_BITS = 17;
    private static final int BITS = 1 << LOG_BITS;
    static final int BYTES = BITS / 8;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final long[] trigrams = new long[BITS / 64];
    /** Some XML holds U+212A or U+0130: any text may match in this block. */
    private boolean foldsIntoAscii;

    /** Adds an element's XML. */
    void add(byte[] xml) {
        int n = xml.length;
        long carry = 0; // the two bytes before i, folded, in the low 16 bits (none before the first)
        int i = 0;
        // eight bytes at a time, folded at once: byte by byte, this took twice as long
        for (; i + 8 <= n; i += 8) {
            long w = ByteSearch.word(xml, i);
            if ((w & HIGH_BITS) != 0 && !foldsIntoAscii) {
                foldsIntoAscii = AsciiFolding.holdsOneIntoAscii(xml, i, i + 8);
            }
            w = lowercased(w);
            long x = w << 16 | carry; // the bytes from i - 2 to i + 5
            set(x & 0xFFFFFF); // the trigram at i - 2 (before the first word: none, a harmless extra bit)
            set(x >>> 16 & 0xFFFFFF); // at i
            set(x >>> 32 & 0xFFFFFF); // at i + 2
            set(w >>> 32 & 0xFFFFFF); // at i + 4
            carry = w >>> 48;
        }
        if (!foldsIntoAscii) {
            foldsIntoAscii = AsciiFolding.holdsOneIntoAscii(xml, i, n);
        }
        for (long t = carry; i < n; i++, t >>>= 8) { // i is even here
            t |= (AsciiFolding.lower(xml[i]) & 0xFFL) << 16;
            if ((i & 1) == 0) {
                set(t); // the trigram at i - 2
            }
        }
    }

    private void set(long trigram) {
        int bit = bit(trigram);
        trigrams[bit >>> 6] |= 1L << bit;
    }

    /** {@code w}'s ASCII capitals in lower case, eight bytes at once; other bytes as they are. */
    private static long lowercased(long w) {
        long heptets = w & 0x7F7F7F7F7F7F7F7FL;
        long atLeastA = heptets + 0x3F3F3F3F3F3F3F3FL; // high bit set where a byte is 'A' (0x41) or above
        long aboveZ = heptets + 0x2525252525252525L; // ... where it is above 'Z' (0x5A)
        long capitals = atLeastA & ~aboveZ & ~w & HIGH_BITS;
        return w | capitals >>> 2; // 0x80 >>> 2 is the case bit, 0x20
    }

    /** False when the block cannot hold text whose trigrams are {@code runs} ({@link #required}). */
    boolean mayHold(int[][][] runs) {
        if (foldsIntoAscii) {
            return true;
        }
        for (int[][] run : runs) {
            if (!holdsAll(run[0]) && !holdsAll(run[1])) {
                return false;
            }
        }
        return true;
    }

    private boolean holdsAll(int[] bits) {
        for (int bit : bits) {
            if ((trigrams[bit >>> 6] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The trigrams of each run of ASCII bytes in {@code lowercased} (the query's text), as the
     * bits of those at even offsets and of those at odd ones; no runs when it has none of three bytes.
     */
    static int[][][] required(String lowercased) {
        byte[] b = lowercased.getBytes(StandardCharsets.UTF_8);
        List<int[][]> runs = new ArrayList<>();
        for (int start = 0; start < b.length; ) {
            int end = start;
            while (end < b.length && b[end] >= 0) {
                end++;
            }
            if (end - start >= 3) {
                runs.add(alignments(b, start, end));
            }
            start = end + 1;
        }
        return runs.toArray(new int[0][][]);
    }

    private static int[][] alignments(byte[] b, int start, int end) {
        int trigrams = end - start - 2;
        int[][] byParity = {new int[(trigrams + 1) / 2], new int[trigrams / 2]};
        for (int j = 0; j < trigrams; j++) {
            int at = start + j;
            byParity[j & 1][j >> 1] = bit(AsciiFolding.lower(b[at]) | AsciiFolding.lower(b[at + 1]) << 8 | (long) AsciiFolding.lower(b[at + 2]) << 16);
        }
        return byParity;
    }

    /** A trigram's bit: its bytes in order from the lowest, hashed. */
    private static int bit(long trigram) {
        return (int) ((trigram * 0x9E3779B97F4A7C15L) >>> (64 - LOG_BITS));
    }
}
