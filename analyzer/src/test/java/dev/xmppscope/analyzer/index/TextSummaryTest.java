package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A block's text summary never rules out a block that holds the text a search looks for (the
 * text in the XML once both are lowercased), whatever the case, script, length or alignment; and
 * it rules out most blocks that lack it, or it would be no use.
 */
class TextSummaryTest {
    /** Letters of both cases, digits, markup, letters beyond ASCII (two that lowercase into ASCII, rarely). */
    private static final String[] PIECES = {"a", "b", "c", "k", "i", "A", "B", "K", "I", "Z", "z", "0", "7", "<", ">", "/",
        "'", "=", " ", "ü", "Ü", "ß", "Σ", "ς", "日", "本", "Ⱦ", "é", "\u212B"};

    private static final String[] WORDS = ("the of and to in is you that it he was for on are as with his they at be this have"
            + " from or one had by word but not what all were we when your can said there use an each which she do how their if"
            + " will up other about out many then them these so some her would make like him into time has look two more write go"
            + " see number no way could people my than first water been call who oil its now find long down day did get come made"
            + " may part meeting tomorrow lunch deploy server restart logs error ping").split(" ");

    private static String xml(Random random, int length, boolean foldsIntoAscii) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        if (foldsIntoAscii) {
            sb.insert(random.nextInt(sb.length() + 1), random.nextBoolean() ? "\u212A" : "\u0130");
        }
        return sb.toString();
    }

    private static TextSummary summary(List<String> xmls) {
        TextSummary s = new TextSummary();
        for (String x : xmls) {
            s.add(x.getBytes(StandardCharsets.UTF_8));
        }
        return s;
    }

    private static boolean mayHold(TextSummary s, String text) {
        return s.mayHold(TextSummary.required(text.toLowerCase(Locale.ROOT)));
    }

    @Test
    void aBlockThatHoldsTheTextIsNeverRuledOut() {
        Random random = new Random(20261207);
        for (int block = 0; block < 300; block++) {
            List<String> xmls = new ArrayList<>();
            for (int k = 0; k < 1 + random.nextInt(6); k++) {
                xmls.add(xml(random, random.nextInt(60), random.nextInt(40) == 0));
            }
            TextSummary s = summary(xmls);
            for (int q = 0; q < 200; q++) {
                // a piece of one XML, at any place, in any case (the search lowercases it)
                String x = xmls.get(random.nextInt(xmls.size()));
                int from = random.nextInt(x.length() + 1);
                int to = Math.min(x.length(), from + 1 + random.nextInt(20));
                String piece = x.substring(from, to);
                String text = random.nextBoolean() ? piece.toUpperCase(Locale.ROOT) : piece;
                String lower = text.toLowerCase(Locale.ROOT);
                boolean held = xmls.stream().anyMatch(xml -> xml.toLowerCase(Locale.ROOT).contains(lower));
                assertTrue(!held || mayHold(s, text), () -> "'" + text + "' is in " + xmls);
            }
        }
    }

    @Test
    void theKelvinSignAndTheDottedCapitalIMatchLettersTheTextHasInAscii() {
        assertTrue(mayHold(summary(List.of("<x>\u212Aelvin</x>")), "kelvin"));
        assertTrue(mayHold(summary(List.of("<x>D\u0130ZZY</x>")), "dizzy"));
        assertTrue(mayHold(summary(List.of("<x>\u0130nfinite loop</x>")), "infinite"));
        assertFalse(mayHold(summary(List.of("<x>Kelvin</x>")), "zebra"), "nothing like it, and no such character");
    }

    @Test
    void mostBlocksThatLackTheTextAreRuledOut() {
        Random random = new Random(7);
        List<String> xmls = new ArrayList<>();
        for (int i = 0; i < BlockSummaries.BLOCK; i++) { // a block of chat messages
            StringBuilder body = new StringBuilder();
            for (int k = 0; k < 6 + random.nextInt(8); k++) {
                body.append(WORDS[random.nextInt(WORDS.length)]).append(k % 5 == 4 ? ". " : " ");
            }
            xmls.add("<message xmlns='jabber:client' from='user" + random.nextInt(1000) + "@a.example/phone' to='bob@b.example'"
                    + " id='" + Long.toHexString(random.nextLong()) + "' type='chat'><body>" + body + "</body>"
                    + "<request xmlns='urn:xmpp:receipts'/></message>");
        }
        TextSummary s = summary(xmls);
        int ruledOut = 0;
        int absent = 0;
        for (int q = 0; q < 1000; q++) {
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < 8; k++) {
                text.append((char) ('a' + random.nextInt(26)));
            }
            String t = text.toString();
            if (xmls.stream().noneMatch(x -> x.contains(t))) {
                absent++;
                ruledOut += mayHold(s, t) ? 0 : 1;
            }
        }
        assertTrue(ruledOut > absent * 0.9, ruledOut + " of " + absent + " absent texts ruled out");
        assertTrue(mayHold(s, xmls.get(17).substring(110, 129)), "a piece of one is not");
        assertTrue(mayHold(s, "ab"), "text of two bytes cannot be ruled out");
    }
}
