package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The free text of a search: a substring of a stanza's XML, case aside, whatever its script. */
class StanzaFilterTest {

    private static boolean found(String text, String xml) {
        StanzaQuery q = new StanzaQuery(text, null, null, null, null, null, null, null, null, null, 10);
        return StanzaFilter.of(q, Namespaces.shipped(), null, Long.MAX_VALUE).textIn(xml.getBytes(StandardCharsets.UTF_8));
    }

    /** What the search promises: the text in the XML once both are lowercased. */
    private static boolean promised(String text, String xml) {
        return xml.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }

    @Test
    void textThatIsNotAllAsciiIsFoundInAnyCase() {
        String xml = "<message><body>Grüße aus Köln, ΟΔΟΣ 5, 日本語</body></message>";
        for (String text : new String[] {"grüße", "GRÜSSE", "KÖLN", "köln", "οδος", "ς", "日本", "本語</body>", "Ü"}) {
            assertEquals(promised(text, xml), found(text, xml), text);
        }
        assertTrue(found("ΟΔΟΣ 5", xml));
        assertFalse(found("中国", xml), "not there");
        assertFalse(found("köln!", xml), "not there either");
    }

    @Test
    void charactersThatLowercaseLikeAnotherStillMatch() {
        // the Ångström sign lowercases to å, as Å does; a dotted capital I to i and a combining dot
        assertTrue(found("å", "<x>\u212B</x>"));
        assertTrue(found("\u212Bngstr", "<x>ångström</x>"));
        assertTrue(found("i\u0307stanbul", "<x>\u0130stanbul</x>"));
        for (String[] pair : new String[][] {{"å", "<x>\u212B</x>"}, {"i\u0307stanbul", "<x>\u0130stanbul</x>"},
            {"ς", "<x>ΣΟΦΟΣ</x>"}, {"σ", "<x>ΣΟΦΟΣ</x>"}}) {
            assertEquals(promised(pair[0], pair[1]), found(pair[0], pair[1]), pair[0]);
        }
    }

    @Test
    void asciiLettersThatCharactersBeyondAsciiLowercaseIntoStillMatch() {
        assertTrue(found("kelvin", "<x>\u212Aelvin</x>"), "the Kelvin sign lowercases to k");
        assertTrue(found("ki", "<x>K\u0130</x>"), "a dotted capital I lowercases to i and a combining dot");
        assertFalse(found("kix", "<x>K\u0130x</x>"), "the combining dot comes between");
    }

    @Test
    void asciiTextIsFoundInAnyCase() {
        assertTrue(found("HELLO", "<body>hello</body>"));
        assertTrue(found("</Body>", "<body>hello</body>"));
        assertFalse(found("hellos", "<body>hello</body>"));
    }

    /**
     * Short texts in short XML, at every offset and near every end (the search reads eight bytes
     * at a time), among characters beyond ASCII, two of which lowercase into ASCII letters.
     */
    @Test
    void asciiTextIsFoundWhereverItStartsAndEnds() {
        Random random = new Random(11);
        for (int n = 0; n < 20_000; n++) {
            String xml = randomText(random, "aAkKiI</>1\u212A\u0130\u0307é", random.nextInt(40));
            String text = randomText(random, "aAkKiI</>1", 1 + random.nextInt(4));
            assertEquals(promised(text, xml), found(text, xml), () -> "'" + text + "' in '" + xml + "'");
        }
    }

    private static String randomText(Random random, String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
