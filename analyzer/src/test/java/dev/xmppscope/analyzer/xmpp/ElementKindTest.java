package dev.xmppscope.analyzer.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.analyzer.xml.ElementReader;
import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xml.XmlParseException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The timeline's one-line summaries of stanzas. */
class ElementKindTest {
    private static final byte[] SCOPE = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aMessageIsSummarizedByItsBodyOnOneLineTrimmedAndCutAtEightyCharacters() throws XmlParseException {
        assertEquals("chat: hi there", summary("<message type='chat'><body>\n  hi there \r\n</body></message>"));
        assertEquals("normal: two lines", summary("<message><body>two\nlines</body></message>"));
        String long80 = "a\nb".repeat(30);
        assertEquals("chat: " + long80.replace('\n', ' ').substring(0, 80) + "…",
                summary("<message type='chat'><body>  " + long80 + "</body></message>"));
        assertEquals("chat: " + "x".repeat(80), summary("<message type='chat'><body>" + "x".repeat(80) + "</body></message>"));
        assertEquals("chat: active", summary("<message type='chat'><active xmlns='http://jabber.org/protocol/chatstates'/></message>"));
        assertEquals("chat:", summary("<message type='chat'><body> </body></message>"));
    }

    @Test
    void aPresenceShowsItsShowAndStatus() throws XmlParseException {
        assertEquals("available (away): out for lunch", summary("<presence><show>away</show><status>\nout for\rlunch\n</status></presence>"));
        assertEquals("unavailable", summary("<presence type='unavailable'/>"));
    }

    private static String summary(String xml) throws XmlParseException {
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        XmlElement e = ElementReader.readElement(SCOPE, b, 0, b.length);
        return ElementKind.of(e).summary();
    }
}
