package dev.xmppscope.analyzer.index;

import dev.xmppscope.capture.ByteSearch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells, without decoding a stanza's XML, that it cannot hold a search text that is not all
 * ASCII, case aside: the XML's UTF-8 bytes must hold one of the characters that lowercase to the
 * text's first non-ASCII character (Å and the Ångström sign both to å). Decoding and lowercasing
 * every stanza's XML was most of such a search's time; only the stanzas that pass are decoded.
 */
final class NonAsciiProbe {
    private final byte[][] forms;

    private NonAsciiProbe(byte[][] forms) {
        this.forms = forms;
    }

    /**
     * The probe for {@code lowered} (the search text, lowercased as the XML will be), or null when
     * it has no character to probe for: all ASCII, or only marks and characters outside the BMP.
     */
    static NonAsciiProbe of(String lowered) {
        for (int i = 0; i < lowered.length(); i++) {
            char c = lowered.charAt(i);
            // a combining mark may come of lowercasing another character (İ: i and a combining dot)
            if (c < 0x80 || Character.isSurrogate(c) || Character.getType(c) == Character.NON_SPACING_MARK) {
                continue;
            }
            List<byte[]> forms = new ArrayList<>();
            forms.add(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            for (char upper : Uppercases.OF.getOrDefault(c, Uppercases.NONE)) {
                forms.add(String.valueOf(upper).getBytes(StandardCharsets.UTF_8));
            }
            return new NonAsciiProbe(forms.toArray(new byte[0][]));
        }
        return null;
    }

    /** False when {@code xml} cannot hold the search text; true when it may. */
    boolean mayMatch(byte[] xml) {
        for (byte[] form : forms) {
            if (ByteSearch.indexOf(xml, form) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Every BMP character that lowercases to another, by what it lowercases to; built at the first such search. */
    private static final class Uppercases {
        static final char[] NONE = {};
        static final Map<Character, char[]> OF = build();

        private static Map<Character, char[]> build() {
            Map<Character, char[]> of = new HashMap<>();
            for (char c = 0; c < Character.MAX_VALUE; c++) {
                char lower = Character.toLowerCase(c);
                if (lower != c) {
                    add(of, lower, c);
                }
            }
            add(of, 'ς', 'Σ'); // a capital sigma ending a word lowercases to the final form
            return of;
        }

        private static void add(Map<Character, char[]> of, char lower, char upper) {
            char[] known = of.getOrDefault(lower, NONE);
            char[] more = Arrays.copyOf(known, known.length + 1);
            more[known.length] = upper;
            of.put(lower, more);
        }
    }
}
