package dev.xmppscope.capture.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopLevelSplitterTest {
    private static final String STREAM = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' to='a.example'>"
            + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"
            + "</stream:features> <message to='b@a.example' id=\"m>1\"><body>a &lt; b, 'quoted' \"x\"</body><!-- <x> -->"
            + "<![CDATA[<not-a-tag>]]></message>\n<presence/><stream:stream xmlns='jabber:client'><r xmlns='urn:xmpp:sm:3'/>"
            + "</stream:stream>";

    @Test
    void headerElementsRestartAndCloseComeOutWhateverTheChunking() {
        List<String> expected = List.of(
                "<stream:stream xmlns='jabber:client' to='a.example'>",
                "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
                "<message to='b@a.example' id=\"m>1\"><body>a &lt; b, 'quoted' \"x\"</body><!-- <x> --><![CDATA[<not-a-tag>]]></message>",
                "<presence/>",
                "<stream:stream xmlns='jabber:client'>",
                "<r xmlns='urn:xmpp:sm:3'/>",
                "</stream:stream>");
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int size : new int[] {bytes.length, 1, 7, 64}) {
            TopLevelSplitter s = new TopLevelSplitter();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < bytes.length; i += size) {
                got.addAll(s.feed(bytes, i, Math.min(size, bytes.length - i)));
            }
            assertEquals(expected, got, "chunks of " + size);
        }
    }

    /** Markup that runs long (a CDATA body of HTML, a comment) ends at its own end marker, whatever '>' and quotes it holds. */
    @Test
    void aLongCdataSectionOrCommentEndsAtItsOwnEndMarker() {
        String html = "<p class=\"x\" title='a>b'>hi</p>".repeat(20_000); // 600 KB of '>' and quotes
        String message = "<message><body><![CDATA[" + html + "]]></body></message>";
        String commented = "<message><!-- " + "a>b 'c' \"d\" ".repeat(20_000) + " --><body/></message>";
        byte[] bytes = ("<stream:stream xmlns='jabber:client'>" + message + commented + "<presence/>").getBytes(StandardCharsets.UTF_8);
        List<String> got = new TopLevelSplitter().feed(bytes, 0, bytes.length);
        assertEquals(List.of("<stream:stream xmlns='jabber:client'>", message, commented, "<presence/>"), got);
    }
}
