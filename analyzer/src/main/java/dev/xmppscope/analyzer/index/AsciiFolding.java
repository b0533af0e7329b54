package dev.xmppscope.analyzer.index;

import dev.xmppscope.capture.ByteSearch;

/**
 * Free text matches where it is in the XML once both are lowercased. ASCII letters fold byte by
 * byte; beyond ASCII only two characters lowercase into ASCII: U+212A (the Kelvin sign) into k and
 * U+0130 (I with a dot) into i and a combining dot (checked over all code points with the JDK). A
 * search on the bytes ({@link StanzaFilter}) and a block's text summary ({@link TextSummary}) treat
 * XML holding either apart.
 */
final class AsciiFolding {
    private AsciiFolding() {
    }

    /** {@code b} in lower case if it is an ASCII capital. */
    static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }

    /**
     * Whether U+212A (E2 84 AA in UTF-8) or U+0130 (C4 B0) starts in {@code b[from, to)}: their
     * first bytes found eight at a time, then the rest checked.
     */
    static boolean holdsOneIntoAscii(byte[] b, int from, int to) {
        for (int i = ByteSearch.indexOfEither(b, (byte) 0xE2, (byte) 0xC4, from, to); i >= 0;
             i = ByteSearch.indexOfEither(b, (byte) 0xE2, (byte) 0xC4, i + 1, to)) {
            if (b[i] == (byte) 0xC4 ? i + 1 < b.length && b[i + 1] == (byte) 0xB0
                    : i + 2 < b.length && b[i + 1] == (byte) 0x84 && b[i + 2] == (byte) 0xAA) {
                return true;
            }
        }
        return false;
    }
}
