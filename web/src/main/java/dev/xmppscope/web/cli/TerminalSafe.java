package dev.xmppscope.web.cli;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Text off the wire made safe to print to a terminal: a stanza is written by whoever sent it, and
 * an escape sequence in its body (ESC [ ...) would move the cursor, retitle the window or hide
 * lines of the output. Control characters (C0 but tab and, where asked, newline; DEL; C1) print
 * as {@code \x1b}, and bidirectional overrides, which can make text read otherwise than it is, as
 * {@code \u202e}.
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
            String e = escapeOf(c, keepNewlines);
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
        return isBidiControl(c) ? String.format("\\u%04x", (int) c) : null;
    }

    /** The C1 controls: 0x9b is a CSI, as ESC [ is, on terminals that take 8-bit controls. */
    private static boolean isC1(int c) {
        return c >= 0x80 && c <= 0x9f;
    }

    /** The bidirectional embeddings, overrides and isolates, which reorder how a line reads. */
    private static boolean isBidiControl(int c) {
        return c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
    }

    /**
     * For JSON printed to a terminal: JSON escapes C0 controls itself; this adds DEL, C1 and the
     * bidirectional overrides, as JSON escapes ({@code \u009b}), so a parser reads the same text.
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
            if (isC1(ch) || isBidiControl(ch)) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
