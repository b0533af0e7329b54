package dev.xmppscope.analyzer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.stream.StreamEvent.ElementParsed;
import dev.xmppscope.analyzer.stream.StreamEvent.StreamClosed;
import dev.xmppscope.analyzer.stream.StreamEvent.StreamFailed;
import dev.xmppscope.analyzer.stream.StreamEvent.StreamOpened;
import dev.xmppscope.analyzer.stream.StreamEvent.Unparsed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamParserTest {

    /** What Smack 4.4 sends to Prosody on a plaintext c2s stream (SASL PLAIN, redacted), in one piece. */
    static final String SMACK_TO_PROSODY = "<?xml version='1.0' encoding='UTF-8'?>"
            + "<stream:stream xmlns='jabber:client' to='a.example' xmlns:stream='http://etherx.jabber.org/streams'"
            + " version='1.0' from='alice@a.example' xml:lang='en'>"
            + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>****************</auth>"
            + "<stream:stream xmlns='jabber:client' to='a.example' xmlns:stream='http://etherx.jabber.org/streams'"
            + " version='1.0' from='alice@a.example' xml:lang='en'>"
            + "<iq id='b1' type='set'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>phone</resource></bind></iq>"
            + " \n"
            + "<message to='bob@b.example' id='m1' type='chat'><body>h\u00e9llo \uD83D\uDE00 bob &amp; co</body></message>"
            + "<presence id='p1'/>"
            + "</stream:stream>";

    @Test
    void aWholeC2sStreamGivesHeaderRestartElementsAndClose() {
        List<StreamEvent> events = new StreamParser().feed(utf8(SMACK_TO_PROSODY), 1000L);

        assertEquals(List.of("opened", "auth", "restart", "iq", "message", "presence", "closed"), names(events));
        StreamOpened header = (StreamOpened) events.get(0);
        assertEquals("jabber:client", header.header().contentNamespace());
        assertEquals("a.example", header.header().attribute("to"));
        assertEquals("en", header.header().attribute("xml:lang"));
        ElementParsed message = (ElementParsed) events.get(4);
        assertEquals("jabber:client", message.element().namespace());
        assertEquals("h\u00e9llo \uD83D\uDE00 bob & co", message.element().childText("body", "jabber:client"));
        assertEquals(message.xml(), new String(Arrays.copyOfRange(utf8(SMACK_TO_PROSODY), (int) message.offset(),
                (int) message.offset() + message.size()), StandardCharsets.UTF_8), "offset and size point at the element's bytes");
        assertTrue(message.xml().startsWith("<message ") && message.xml().endsWith("</message>"));
        assertEquals(1000L, message.at());
    }

    @Test
    void anyChunkingGivesTheSameEventsOffsetsAndSizes() {
        byte[] bytes = utf8(SMACK_TO_PROSODY);
        List<String> whole = described(new StreamParser().feed(bytes, 1L));
        for (int chunk : new int[] {1, 2, 3, 7, 64}) {
            StreamParser parser = new StreamParser();
            List<StreamEvent> events = new ArrayList<>();
            for (int i = 0; i < bytes.length; i += chunk) {
                events.addAll(parser.feed(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk)), 1L));
            }
            assertEquals(whole, described(events), "chunks of " + chunk + " bytes (UTF-8 characters split across them)");
        }
    }

    @Test
    void emptyTagsWithSpacesAndAttributesAreFramedAlikeUnderAnyChunking() {
        String s = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<presence id='p1' /><presence\n  id = \"p2\"\t/><message id='m'><x:y xmlns:x='urn:x' a='/' b=\"/>\" />"
                + "<body>a/b &gt; c</body></message><iq id='i' type='get'  ><ping xmlns='urn:xmpp:ping'/></iq>";
        byte[] bytes = utf8(s);
        List<StreamEvent> whole = new StreamParser().feed(bytes, 1L);
        assertEquals(List.of("opened", "presence", "presence", "message", "iq"), names(whole));
        for (int chunk = 1; chunk <= 12; chunk++) {
            StreamParser parser = new StreamParser();
            List<StreamEvent> events = new ArrayList<>();
            for (int i = 0; i < bytes.length; i += chunk) {
                events.addAll(parser.feed(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk)), 1L));
            }
            assertEquals(described(whole), described(events), "chunks of " + chunk + " bytes");
        }
    }

    @Test
    void theTimeOfAnElementIsTheTimeOfTheChunkThatCompletedIt() {
        StreamParser parser = new StreamParser();
        parser.feed(utf8("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><message><bo"), 10L);
        List<StreamEvent> events = parser.feed(utf8("dy>hi</body></message>"), 20L);
        assertEquals(20L, events.get(0).at());
    }

    @Test
    void s2sStreamsReadDialbackWithItsDeclaredPrefix() {
        String s2s = "<?xml version='1.0'?><stream:stream xmlns:db='jabber:server:dialback' from='a.example' to='b.example'"
                + " xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:server' version='1.0'>"
                + "<db:result from='a.example' to='b.example'>f00d</db:result>"
                + "<message from='alice@a.example/phone' to='bob@b.example' type='chat' id='m1'><body>x</body></message>";
        List<StreamEvent> events = new StreamParser().feed(utf8(s2s), 1L);
        assertEquals("jabber:server", ((StreamOpened) events.get(0)).header().contentNamespace());
        ElementParsed result = (ElementParsed) events.get(1);
        assertTrue(result.element().is("result", "jabber:server:dialback"));
        assertEquals("f00d", result.element().text());
        assertEquals("jabber:server", ((ElementParsed) events.get(2)).element().namespace());
    }

    @Test
    void componentStreamsAreRead() {
        String comp = "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='conference.a.example'>"
                + "<handshake>aaee</handshake>";
        List<StreamEvent> events = new StreamParser().feed(utf8(comp), 1L);
        assertEquals("jabber:component:accept", ((StreamOpened) events.get(0)).header().contentNamespace());
        assertTrue(((ElementParsed) events.get(1)).element().is("handshake", "jabber:component:accept"));
    }

    @Test
    void billionLaughsIsRefusedBeforeAnyEntityIsExpanded() {
        String lol = "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;'>"
                + "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;'>]><stream:stream xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams'><message><body>&lol3;</body></message>";
        List<StreamEvent> events = new StreamParser().feed(utf8(lol), 1L);
        StreamFailed failed = assertInstanceOf(StreamFailed.class, events.get(0));
        assertEquals(21, failed.offset());
        assertEquals("unparseable from offset 21: a DOCTYPE (XMPP forbids DTDs and entity declarations, RFC 6120 §11.1)",
                failed.message());
        Unparsed rest = assertInstanceOf(Unparsed.class, events.get(1));
        assertEquals(utf8(lol).length - 21, rest.size());
    }

    @Test
    void anExternalEntityInsideTheStreamIsRefused() {
        String xxe = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<message><!DOCTYPE m [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><body>&x;</body></message>";
        List<StreamEvent> events = new StreamParser().feed(utf8(xxe), 1L);
        StreamFailed failed = assertInstanceOf(StreamFailed.class, events.get(1));
        assertTrue(failed.reason().contains("DOCTYPE"), failed.reason());
    }

    @Test
    void anUndeclaredEntityReferenceIsAnErrorNotAnExpansion() {
        String bad = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<message><body>&x;</body></message>";
        List<StreamEvent> events = new StreamParser().feed(utf8(bad), 1L);
        StreamFailed failed = assertInstanceOf(StreamFailed.class, events.get(1));
        assertTrue(failed.message().startsWith("unparseable from offset 85: "), failed.message());
        assertTrue(failed.reason().contains("x"), failed.reason());
    }

    @Test
    void hundredThousandDeepNestingStopsAtTheDepthLimit() {
        StreamParser parser = new StreamParser();
        parser.feed(utf8("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"), 1L);
        byte[] opens = utf8("<a>".repeat(100_000));
        List<StreamEvent> events = parser.feed(opens, 2L);
        StreamFailed failed = assertInstanceOf(StreamFailed.class, events.get(0));
        assertEquals(85, failed.offset());
        assertEquals("elements nested deeper than 256 levels", failed.reason());
        assertTrue(parser.failed());
    }

    @Test
    void aFiftyMegabyteTextNodeIsCutOffAtTheSizeLimitWithBoundedMemory() {
        StreamParser parser = new StreamParser(0, 1024 * 1024, 256);
        parser.feed(utf8("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><message><body>"), 1L);
        byte[] text = new byte[64 * 1024];
        Arrays.fill(text, (byte) 'A');
        List<StreamEvent> all = new ArrayList<>();
        for (int i = 0; i < 50 * 16; i++) {
            all.addAll(parser.feed(text, 2L + i));
            assertTrue(parser.bufferCapacity() <= 1024 * 1024 + text.length, "never buffers past the limit");
        }
        StreamFailed failed = (StreamFailed) all.stream().filter(e -> e instanceof StreamFailed).findFirst().orElseThrow();
        assertEquals("unparseable from offset 85: element larger than 1048576 bytes", failed.message());
        long unparsed = all.stream().filter(e -> e instanceof Unparsed).mapToLong(e -> ((Unparsed) e).size()).sum();
        assertEquals(50L * 1024 * 1024 + 15, unparsed, "every byte from the failed element on is accounted as unparsed");
    }

    @Test
    void notXmlAtAllIsReportedAsNotAnXmppStream() {
        List<StreamEvent> events = new StreamParser().feed(utf8("GET / HTTP/1.1\r\n"), 1L);
        assertEquals("unparseable from offset 0: text before the stream header (not an XMPP stream?)",
                ((StreamFailed) events.get(0)).message());
        events = new StreamParser().feed(utf8("<html><body>"), 1L);
        assertTrue(((StreamFailed) events.get(0)).reason().startsWith("not an XMPP stream"));
    }

    @Test
    void mismatchedTagsAreNotWellFormed() {
        String bad = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<message><body>x</bod></message><presence/>";
        List<StreamEvent> events = new StreamParser().feed(utf8(bad), 1L);
        assertEquals(List.of("opened", "failed", "unparsed"), names(events));
        assertEquals(bad.length() - 85, ((Unparsed) events.get(2)).size());
    }

    /**
     * A message whose end tag does not match fails as soon as that end tag comes (counting depth
     * alone took it for still open until the client's next bytes completed it, after the server
     * had answered), with the parser's own words for what is wrong.
     */
    @Test
    void aMismatchedEndTagFailsAsSoonAsItComes() {
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
        String bad = "<message to='bob@b.example' type='chat' id='bad2'><body>only bad</message>";
        StreamParser p = new StreamParser();
        p.feed(utf8(header), 1_000L);
        List<StreamEvent> events = p.feed(utf8(bad), 2_000L);
        assertEquals(List.of("failed", "unparsed"), names(events));
        assertEquals("unparseable from offset 85: Unexpected close tag </message>; expected </body>.",
                ((StreamFailed) events.get(0)).message());
        assertEquals(bad.length(), ((Unparsed) events.get(1)).size());
        assertEquals(List.of("unparsed"), names(p.feed(utf8("</stream:stream>"), 3_000L)));
        // deeper, split anywhere, and with whitespace before the '>': the same at every cut
        String deep = "<iq type='set' id='d'><query xmlns='jabber:iq:roster'><item jid='a@b'><group>g</item ></query></iq>";
        for (int cut = 1; cut < deep.length(); cut++) {
            StreamParser q = new StreamParser();
            q.feed(utf8(header), 1L);
            List<StreamEvent> all = new ArrayList<>(q.feed(utf8(deep.substring(0, cut)), 2L));
            all.addAll(q.feed(utf8(deep.substring(cut)), 3L));
            assertEquals("unparseable from offset 85: Unexpected close tag </item>; expected </group>.",
                    ((StreamFailed) all.stream().filter(e -> e instanceof StreamFailed).findFirst().orElseThrow()).message(), "cut " + cut);
        }
        String fine = "<iq type='set' id='d'><query xmlns='jabber:iq:roster'><item jid='a@b'><group>g</group ></item></query></iq>";
        assertEquals(List.of("iq"), names(new StreamParser().feed(utf8(header + fine), 1L)).subList(1, 2), "matching names pass");
    }

    /**
     * An element the framer cannot fault (an undeclared prefix) fails when the chunk that
     * completes it comes: the bytes not parsed start with it all the same, dated when its first
     * byte came.
     */
    @Test
    void anElementThatFailsInALaterChunkIsDatedAndShownFromWhereItBegan() {
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
        String first = "<message to='bob@b.example'><x:bo";
        String second = "dy>hi</x:body></message>";
        StreamParser p = new StreamParser();
        p.feed(utf8(header), 1_000L);
        assertEquals(List.of(), p.feed(utf8(first), 2_000L));
        List<StreamEvent> events = p.feed(utf8(second), 3_000L);
        assertEquals(List.of("failed", "unparsed"), names(events));
        StreamFailed failed = (StreamFailed) events.get(0);
        assertEquals(header.length(), failed.offset());
        assertEquals(2_000L, failed.at(), "when the element's first bytes came");
        Unparsed rest = (Unparsed) events.get(1);
        assertEquals(2_000L, rest.at());
        assertEquals(first.length() + second.length(), rest.size());
        assertEquals(first, new String(rest.head(), StandardCharsets.UTF_8), "the bytes that came before the failing chunk");
        assertEquals(4_000L, ((Unparsed) p.feed(utf8(" "), 4_000L).get(0)).at(), "later bytes keep their own time");
    }

    /** At the stream's end, an element begun and never completed is reported, with its first bytes; a complete stream reports nothing. */
    @Test
    void theEndOfAStreamReportsAnElementLeftIncomplete() {
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
        String open = "<iq id='x1' type=\"get><ping xmlns='urn:xmpp:ping'/></iq>";
        StreamParser p = new StreamParser();
        p.feed(utf8(header + "<presence/>"), 1_000L);
        assertEquals(List.of(), p.feed(utf8(open), 2_000L), "a quote never closed: the framer waits");
        assertEquals(List.of(), p.feed(utf8("<presence/>"), 3_000L));
        List<StreamEvent> end = p.endOfStream();
        assertEquals(List.of("failed", "unparsed"), names(end));
        Unparsed rest = (Unparsed) end.get(1);
        assertEquals(header.length() + "<presence/>".length(), rest.offset());
        assertEquals(open.length() + "<presence/>".length(), rest.size());
        assertEquals(2_000L, rest.at());
        assertEquals(open + "<presence/>", new String(rest.head(), StandardCharsets.UTF_8));
        assertTrue(p.failed());
        assertEquals(List.of(), p.endOfStream(), "once");

        StreamParser whole = new StreamParser();
        whole.feed(utf8(header + "<presence/></stream:stream>"), 1L);
        assertEquals(List.of(), whole.endOfStream(), "nothing left over");
    }

    @Test
    void keepalivesCommentsAndQuotedBracketsDoNotConfuseFraming() {
        String s = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>  \n "
                + "<message id='a>b' to=\"x/>y\"><body><![CDATA[</message>]]></body><!-- </message> --></message>\n";
        List<StreamEvent> events = new StreamParser().feed(utf8(s), 1L);
        assertEquals(List.of("opened", "message"), names(events));
        ElementParsed m = (ElementParsed) events.get(1);
        assertEquals("a>b", m.element().attribute("id"));
        assertEquals("</message>", m.element().childText("body", "jabber:client"));
    }

    @Test
    void aFailedStreamDoesNotAffectAnother() {
        StreamParser bad = new StreamParser();
        StreamParser good = new StreamParser();
        bad.feed(utf8("<!DOCTYPE x>"), 1L);
        assertTrue(bad.failed());
        assertFalse(good.feed(utf8(SMACK_TO_PROSODY), 1L).stream().anyMatch(e -> e instanceof StreamFailed));
    }

    static List<String> names(List<StreamEvent> events) {
        List<String> out = new ArrayList<>();
        for (StreamEvent e : events) {
            if (e instanceof StreamOpened o) {
                out.add(o.restart() ? "restart" : "opened");
            } else if (e instanceof ElementParsed p) {
                out.add(p.element().name());
            } else if (e instanceof StreamClosed) {
                out.add("closed");
            } else if (e instanceof StreamFailed) {
                out.add("failed");
            } else {
                out.add("unparsed");
            }
        }
        return out;
    }

    static List<String> described(List<StreamEvent> events) {
        List<String> out = new ArrayList<>();
        for (StreamEvent e : events) {
            String xml = e instanceof ElementParsed p ? p.xml() : e instanceof StreamOpened o ? o.xml() : "";
            out.add(e.getClass().getSimpleName() + "@" + e.offset() + ":" + xml);
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
