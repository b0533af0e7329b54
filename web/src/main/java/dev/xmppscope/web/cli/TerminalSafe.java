package dev.xmppscope.web.cli;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Text off the wire made safe to print to a terminal: a stanza is written by whoever sent it, and
 * an escape sequence in its body (ESC [ ...) would move the cursor, retitle the window or hide
 * lines of the output. Control characters (C0 but tab and, where asked, newline; DEL; C1) print
 * as {@code \x1b}, and characters that change how text reads without showing themselves, as
 * {@code \u202e}: bidirectional overrides, embeddings, isolates and marks, zero-width spaces, the
 * byte order mark, line and paragraph separators, the word joiner and invisible operators, as the
 * web UI marks them; a zero-width joiner or non-joiner only beside an ASCII character
 * ({@code al\u200dice}), not inside an emoji or between letters that join.
 */
final class TerminalSafe {

    private TerminalSafe() {
    }

    /** {@code s} on one line: newlines escaped too. Null stays null. */
    static String line(String s) {
        return escape(s, false);
    }

    /** {@code s} keeping its newlines (an XML document). */
    static String text(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean keepNewlines) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String e = isJoiner(c) ? joinerBesideAscii(s, i) : escapeOf(c, keepNewlines);
            if (e != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (e != null) {
                    out.append(e);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    /** How {@code c} is printed when it is not printed as itself, else null. */
    private static String escapeOf(char c, boolean keepNewlines) {
        if (c == '\t' || c == '\n' && keepNewlines) {
            return null;
        }
        if (c < 0x20 || c == 0x7f || isC1(c)) {
            return String.format("\\x%02x", (int) c);
        }
        return isInvisible(c) ? String.format("\\u%04x", (int) c) : null;
    }

    private static boolean isJoiner(char c) {
        return c == 0x200c || c == 0x200d;
    }

    /** A joiner beside an ASCII character escaped: it joins nothing there, and only hides. */
    private static String joinerBesideAscii(String s, int i) {
        boolean ascii = i > 0 && s.charAt(i - 1) < 0x80 || i + 1 < s.length() && s.charAt(i + 1) < 0x80;
        return ascii ? String.format("\\u%04x", (int) s.charAt(i)) : null;
    }

    /** The C1 controls: 0x9b is a CSI, as ESC [ is, on terminals that take 8-bit controls. */
    private static boolean isC1(int c) {
        return c >= 0x80 && c <= 0x9f;
    }

    /**
     * Characters that show nothing themselves and change how a line reads: the bidirectional
     * embeddings, overrides, isolates and marks, zero-width space, the byte order mark, line and
     * paragraph separators, the word joiner and invisible operators.
     */
    private static boolean isInvisible(int c) {
        return c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0x200b || c == 0x200e || c == 0x200f
                || c == 0x061c || c == 0xfeff || c == 0x2028 || c == 0x2029 || c >= 0x2060 && c <= 0x2064;
    }

    /**
     * For JSON printed to a terminal: JSON escapes C0 controls itself; this adds DEL, C1 and the
     * invisible characters above, as JSON escapes ({@code \u009b}), so a parser reads the same text.
     */
    static final class JsonEscapes extends CharacterEscapes {
        private final int[] ascii;

        JsonEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (isC1(ch) || isInvisible(ch)) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
