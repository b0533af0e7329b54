package dev.xmppscope.proxy.xmpp;

import static dev.xmppscope.capture.ByteSearch.repeated;
import static dev.xmppscope.capture.ByteSearch.word;
import static dev.xmppscope.capture.ByteSearch.zeroBytes;

/**
 * Reads tag names and tag ends eight bytes at a time (SWAR, as {@link dev.xmppscope.capture.ByteSearch}
 * finds single bytes). The redactor runs over every recorded byte on one thread, and a
 * byte-by-byte loop was most of the recorder's CPU; this keeps it well above what the disk can absorb.
 */
final class ByteScan {
    private static final long GT = repeated('>');
    private static final long QUOT = repeated('"');
    private static final long APOS = repeated('\'');
    private static final long COLON = repeated(':');
    private static final long SPACE = repeated(' ');
    private static final long SLASH = repeated('/');

    private ByteScan() {
    }

    /** The first {@code min(length, 8)} bytes of {@code name} as a word like {@link dev.xmppscope.capture.ByteSearch#word}, the rest zero. */
    static long prefixWord(byte[] name, int length) {
        long w = 0;
        for (int k = Math.min(length, 8) - 1; k >= 0; k--) {
            w = (w << 8) | (name[k] & 0xff);
        }
        return w;
    }

    /** The bits of a {@link dev.xmppscope.capture.ByteSearch#word} that its first {@code min(length, 8)} bytes occupy. */
    static long prefixMask(int length) {
        return length >= 8 ? -1L : (1L << (8 * length)) - 1;
    }

    /** The first index of a byte that ends or quotes inside a tag ({@code > " '}) in {@code bytes[from, to)}, or -1. */
    static int indexOfTagStop(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = word(bytes, i);
            // each term's lowest set bit is exact, so the lowest bit of their union is the first stop byte
            long hits = zeroBytes(word ^ GT) | zeroBytes(word ^ QUOT) | zeroBytes(word ^ APOS);
            if (hits != 0) {
                return i + (Long.numberOfTrailingZeros(hits) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte b = bytes[i];
            if (b == '>' || b == '"' || b == '\'') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the element name starting at {@code from} has a prefix (a {@code ':'} before its
     * end), or may have one (it runs past {@code to}), given its first eight bytes as a
     * {@link dev.xmppscope.capture.ByteSearch#word} (the caller has loaded them to compare the name, and they are all before
     * {@code to}). Most names end within those, so the word usually decides; a tab or line
     * break ending the name is not looked for there, which can only answer true where false was
     * right.
     */
    static boolean nameHasColon(long word, byte[] bytes, int from, int to) {
        long colon = Long.lowestOneBit(zeroBytes(word ^ COLON));
        long end = Long.lowestOneBit(zeroBytes(word ^ GT) | zeroBytes(word ^ SPACE) | zeroBytes(word ^ SLASH));
        if (colon != 0) {
            return end == 0 || Long.compareUnsigned(colon, end) < 0;
        }
        return end == 0 && nameHasColonFrom(bytes, from + 8, to);
    }

    /** Byte by byte from {@code i}, inside a name: whether a colon comes before its end (true if it runs past {@code to}). */
    private static boolean nameHasColonFrom(byte[] bytes, int i, int to) {
        for (; i < to; i++) {
            byte c = bytes[i];
            if (c == ':') {
                return true;
            }
            if (endsName(c)) {
                return false;
            }
        }
        return true;
    }

    /** Whitespace, {@code /} or {@code >}: what ends an element name inside a tag. */
    static boolean endsName(byte b) {
        return isWhitespace(b) || b == '/' || b == '>';
    }

    static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
