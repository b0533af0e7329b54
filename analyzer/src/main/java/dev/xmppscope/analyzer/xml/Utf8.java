package dev.xmppscope.analyzer.xml;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Counts the Java characters (UTF-16 units) that UTF-8 bytes decode to, eight ASCII bytes at a time. */
final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGHS = 0x8080808080808080L;

    private Utf8() {
    }

    /**
     * The number of chars {@code bytes[from, from+length)} decode to, if they are valid UTF-8:
     * one per byte that does not continue a sequence, two for a four-byte sequence (a surrogate pair).
     */
    static long chars(byte[] bytes, int from, int length) {
        int end = from + length;
        long n = 0;
        int i = from;
        for (; i + 8 <= end; i += 8) {
            if (((long) LONGS.get(bytes, i) & HIGHS) == 0) {
                n += 8;
            } else {
                for (int k = i; k < i + 8; k++) {
                    n += chars(bytes[k]);
                }
            }
        }
        for (; i < end; i++) {
            n += chars(bytes[i]);
        }
        return n;
    }

    private static int chars(byte b) {
        if ((b & 0xC0) == 0x80) {
            return 0; // continues a sequence
        }
        return (b & 0xF8) == 0xF0 ? 2 : 1;
    }
}
