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

    /** The first index of {@code b} in {@code bytes[from, to)}, or -1. */
    public static int indexOf(byte[] bytes, byte b, int from, int to) {
        long pattern = ONES * (b & 0xff);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(bytes, i) ^ pattern;
            long hits = (x - ONES) & ~x & HIGHS; // the lowest set bit marks the first zero byte exactly
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
