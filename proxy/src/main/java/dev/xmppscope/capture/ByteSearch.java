package dev.xmppscope.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds bytes in what was recorded, eight at a time (SWAR: one 64-bit load and a few arithmetic
 * operations per word), for the code that reads every recorded byte: the secret redactor on the
 * relay's threads, the pcap importer looking for {@code <proceed} in all a server sent.
 */
public final class ByteSearch {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private ByteSearch() {
    }

    /** The eight bytes from {@code at} as one word, first byte lowest (the caller knows they are there). */
    public static long word(byte[] bytes, int at) {
        return (long) LONGS.get(bytes, at);
    }

    /** A word of eight bytes {@code b}: XORed with a {@link #word}, it zeroes the bytes equal to {@code b}. */
    public static long repeated(int b) {
        return ONES * (b & 0xff);
    }

    /**
     * High bit set in each byte of {@code x} that is zero. Bits above the first zero byte may be
     * false positives (borrows), the lowest set bit never is.
     */
    public static long zeroBytes(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /** The first index of {@code b} in {@code bytes[from, to)}, or -1. */
    public static int indexOf(byte[] bytes, byte b, int from, int to) {
        long pattern = repeated(b);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long hits = zeroBytes(word(bytes, i) ^ pattern);
            if (hits != 0) {
                return i + (Long.numberOfTrailingZeros(hits) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The first index of either {@code a} or {@code b} in {@code bytes[from, to)}, or -1. */
    public static int indexOfEither(byte[] bytes, byte a, byte b, int from, int to) {
        long patternA = repeated(a);
        long patternB = repeated(b);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = word(bytes, i);
            // each one's lowest hit is true, so the lowest of both is
            long hits = zeroBytes(w ^ patternA) | zeroBytes(w ^ patternB);
            if (hits != 0) {
                return i + (Long.numberOfTrailingZeros(hits) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == a || bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The first index of {@code part} (not empty) in {@code in}, or -1. */
    public static int indexOf(byte[] in, byte[] part) {
        int last = in.length - part.length;
        for (int i = indexOf(in, part[0], 0, in.length); i >= 0 && i <= last; i = indexOf(in, part[0], i + 1, in.length)) {
            int k = 1;
            while (k < part.length && in[i + k] == part[k]) {
                k++;
            }
            if (k == part.length) {
                return i;
            }
        }
        return -1;
    }
}
