package dev.xmppscope.analyzer.stream;

import static dev.xmppscope.analyzer.stream.StreamParserTest.names;
import static dev.xmppscope.analyzer.stream.StreamParserTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.stream.StreamEvent.ElementParsed;
import dev.xmppscope.analyzer.stream.StreamEvent.Unparsed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stream joined part way through (a capture begun mid-session, or one that lost bytes) is parsed again where it can be. */
class StreamParserGapTest {
    private static final String HEADER = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
            + " to='a.example' version='1.0'>";
    private static final String M2 = "<message to='bob@b.example' id='m2' type='chat'><body>two</body></message>";
    /** A carbon: a whole message nested in the stanza that carries it. */
    private static final String CARBON = "<message to='alice@a.example/phone' from='alice@a.example' id='carbon'>"
            + "<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
            + "<delay xmlns='urn:xmpp:delay' stamp='2026-12-07T10:00:00Z'/>"
            + "<message from='bob@b.example/x' to='alice@a.example/pc' type='chat' id='inner'><body>hi</body></message>"
            + "</forwarded></received></message>";
    private static final String REST = CARBON + "<r xmlns='urn:xmpp:sm:3'/>\n<presence/>" + M2 + "</stream:stream>";

    @Test
    void aStreamJoinedMidStanzaIsParsedFromItsFirstWholeStanzaWhateverTheChunking() {
        String stream = "llo <b>bob</b></body></message>" + M2 + REST;
        for (int chunk : new int[] {1, 2, 3, 5, 7, 13, 64, 10_000}) {
            List<StreamEvent> events = joined(stream, chunk);

            assertEquals(List.of("message", "message", "r", "presence", "message", "closed"), names(withoutUnparsed(events)),
                    "chunks of " + chunk);
            assertEquals(List.of("m2", "carbon", "m2"), ids(events), "the carbon, not the message nested in it; chunks of " + chunk);
            ElementParsed first = (ElementParsed) withoutUnparsed(events).get(0);
            assertEquals(stream.indexOf(M2), first.offset(), "offsets stay the stream's own");
            assertEquals(M2, first.xml());
            assertEquals("jabber:client", first.element().namespace(), "read in the namespace assumed for the missing header");
            // what was passed over is reported, once, up to the first stanza
            assertEquals(stream.indexOf(M2), unparsedBytes(events), "chunks of " + chunk);
            Unparsed skipped = (Unparsed) events.get(0);
            assertEquals(0, skipped.offset());
            assertTrue(skipped.why().contains("the capture lacks the bytes before"), skipped.why());
        }
    }

    @Test
    void aStreamJoinedInsideACarbonSkipsTheNestedMessage() {
        String stream = CARBON.substring(CARBON.indexOf("<delay")) + M2;
        for (int chunk : new int[] {1, 4, 10_000}) {
            List<StreamEvent> events = joined(stream, chunk);

            assertEquals(List.of("m2"), ids(events), "chunks of " + chunk);
            assertEquals(stream.indexOf(M2), unparsedBytes(events));
        }
    }

    @Test
    void aNestedMessageTakenForAStanzaIsGivenUpAtItsWrapperEndAndTheNextStanzaIsParsed() {
        // joined right at the nested message: nothing before it says it is nested, until </forwarded>
        String stream = CARBON.substring(CARBON.indexOf("<message from='bob")) + M2 + "<presence/>";
        for (int chunk : new int[] {1, 3, 10_000}) {
            List<StreamEvent> events = joined(stream, chunk);

            assertEquals(List.of("inner", "m2"), ids(events), "chunks of " + chunk);
            assertEquals(List.of("message", "message", "presence"), names(withoutUnparsed(events)));
            assertTrue(events.stream().noneMatch(e -> e instanceof StreamEvent.StreamFailed || e instanceof StreamEvent.StreamClosed),
                    "a misreading of where the capture began is no stream failure, nor the stream's close");
            Unparsed misread = (Unparsed) events.stream().filter(e -> e instanceof Unparsed u && u.why() != null
                    && u.why().contains("does not close the stream")).findFirst().orElseThrow();
            assertEquals(stream.indexOf("</forwarded>"), misread.offset(), "the misread end is shown unparsed from its first byte");
            assertTrue(misread.why().contains("parsed again from the next stanza"), misread.why());
        }
    }

    @Test
    void aGapInAParsedStreamCutsTheElementInProgressAndParsingGoesOnAfterIt() {
        StreamParser parser = new StreamParser();
        List<StreamEvent> events = new ArrayList<>(parser.feed(utf8(HEADER + "<message id='cut'><body>some"), 1L));
        parser.gap("jabber:client");
        events.addAll(parser.feed(utf8("thing else</body></message>" + M2), 2L));

        assertEquals(List.of("opened", "unparsed", "unparsed", "message"), names(events));
        Unparsed cut = (Unparsed) events.get(1);
        assertEquals(HEADER.length(), cut.offset());
        assertEquals("<message id='cut'><body>some", new String(cut.head(), StandardCharsets.UTF_8), "shown from its first byte");
        assertEquals(1L, cut.at(), "dated when it began to come");
        assertTrue(cut.why().startsWith("cut short"), cut.why());
        assertEquals("m2", ((ElementParsed) events.get(3)).element().attribute("id"));
    }

    /** A snap length cuts every segment: one gap after another, the parser still seeking when the next comes. */
    @Test
    void aGapWhileStillSeekingAfterTheLastReportsEachByteOnceAtItsTime() {
        StreamParser parser = new StreamParser();
        List<StreamEvent> events = new ArrayList<>(parser.feed(utf8(HEADER.substring(0, 40)), 1L));
        parser.gap("jabber:client");
        events.addAll(parser.feed(utf8("e='x'>no stanza starts in here <mess"), 2L));
        parser.gap("jabber:client");
        events.addAll(parser.feed(utf8(M2), 3L));

        assertEquals("message", names(events).get(names(events).size() - 1));
        long next = 0;
        for (StreamEvent e : events) {
            if (e instanceof Unparsed u) {
                assertEquals(next, u.offset(), "reported once each, in order: " + events);
                assertTrue(u.at() >= 1L, "dated when it came: " + u);
                next += u.size();
            }
        }
        assertEquals(40 + "e='x'>no stanza starts in here <mess".length(), next, "every byte before the message");
    }

    @Test
    void aStreamThatFailedIsParsedAgainAfterAGap() {
        StreamParser parser = new StreamParser();
        List<StreamEvent> events = new ArrayList<>(parser.feed(utf8(HEADER + "<message><body>bad</message>"), 1L));
        parser.gap("jabber:client");
        events.addAll(parser.feed(utf8("x</body></message>" + M2), 2L));

        assertEquals(List.of("opened", "failed", "unparsed", "unparsed", "message"), names(events));
    }

    @Test
    void anS2sStreamJoinedMidStreamIsReadAsJabberServerWithDialbackInScope() {
        String stream = "</message><db:result from='a.example' to='b.example' type='valid'/>"
                + "<message from='alice@a.example/pc' to='bob@b.example' id='s1'><body>hi</body></message>";
        StreamParser parser = new StreamParser();
        parser.gap("jabber:server");
        List<StreamEvent> events = withoutUnparsed(parser.feed(utf8(stream), 1L));

        assertEquals(List.of("result", "message"), names(events));
        assertEquals("jabber:server:dialback", ((ElementParsed) events.get(0)).element().namespace());
        assertEquals("jabber:server", ((ElementParsed) events.get(1)).element().namespace());
    }

    @Test
    void withoutAGapAStreamWithNoHeaderStillFails() {
        assertEquals(List.of("failed", "unparsed"), names(new StreamParser().feed(utf8(M2), 1L)));
    }

    private static List<StreamEvent> joined(String stream, int chunk) {
        byte[] bytes = utf8(stream);
        StreamParser parser = new StreamParser();
        parser.gap("jabber:client");
        List<StreamEvent> events = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += chunk) {
            events.addAll(parser.feed(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk)), i));
        }
        return events;
    }

    private static List<StreamEvent> withoutUnparsed(List<StreamEvent> events) {
        return events.stream().filter(e -> !(e instanceof Unparsed)).toList();
    }

    private static List<String> ids(List<StreamEvent> events) {
        return events.stream().filter(e -> e instanceof ElementParsed p && p.element().name().equals("message"))
                .map(e -> ((ElementParsed) e).element().attribute("id")).toList();
    }

    /** The unparsed bytes before the first parsed element; checks they are reported back to back from offset 0. */
    private static long unparsedBytes(List<StreamEvent> events) {
        long next = 0;
        for (StreamEvent e : events) {
            if (!(e instanceof Unparsed u)) {
                break;
            }
            assertEquals(next, u.offset(), "reported once each, in order");
            next += u.size();
        }
        return next;
    }
}
