package dev.xmppscope.analyzer.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.analyzer.stream.StreamParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One kept reader parses element after element exactly as a reader per element would. */
class ContinuousReaderTest {
    private static final byte[] SCOPE = ("<w xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
            + " xmlns:x='urn:example:ü'>").getBytes(StandardCharsets.UTF_8);
    private static final List<String> STANZAS = List.of(
            "<message to='bob@b.example' id='1'><body>hello</body></message>",
            "<message id='2'><body>gr\u00fc\u00dfe, \u20ac and \ud83d\ude00 <![CDATA[<raw> & ]]> &amp; &lt;</body></message>",
            "<presence><x:c x:v='ü'/><show>away</show></presence>",
            "<iq type='get' id='3'><query xmlns='jabber:iq:roster'/></iq>",
            "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");

    @Test
    void oneReaderServesEveryElementWithTheSameTreesAsAReaderEach() throws Exception {
        ContinuousReader r = new ContinuousReader(SCOPE, new ContinuousReader.OpenReaders(4));
        for (int round = 0; round < 50; round++) {
            for (String s : STANZAS) {
                byte[] b = ("  " + s + "  ").getBytes(StandardCharsets.UTF_8); // bytes around the frame are not fed
                XmlElement e = r.readElement(b, 2, b.length - 4);
                assertEquals(ElementReader.readElement(SCOPE, b, 2, b.length - 4).toString(), e.toString());
            }
        }
        assertEquals(1, r.readersStarted());
    }

    @Test
    void aRunOfElementsWithWhitespaceBetweenIsReadTooAndTheReaderStays() throws Exception {
        ContinuousReader r = new ContinuousReader(SCOPE, new ContinuousReader.OpenReaders(4));
        byte[] run = String.join("\n ", STANZAS).getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 3; round++) {
            List<XmlElement> got = r.readElements(run, 0, run.length, STANZAS.size());
            assertEquals(ElementReader.readElements(SCOPE, run, 0, run.length, STANZAS.size()).toString(), got.toString());
        }
        assertEquals(1, r.readersStarted());
    }

    @Test
    void badBytesGetTheSameAnswerAsAloneAndLeaveNothingBehindForTheNextElement() throws Exception {
        ContinuousReader r = new ContinuousReader(SCOPE, new ContinuousReader.OpenReaders(4));
        byte[] good = STANZAS.get(0).getBytes(StandardCharsets.UTF_8);
        String goodTree = ElementReader.readElement(SCOPE, good, 0, good.length).toString();
        r.readElement(good, 0, good.length);
        // errors, and a frame holding more than one element (a framer/parser disagreement: the rest is ignored, as alone)
        for (String bad : List.of("<message><body>&nbsp;</body></message>", "<message><body></message>", "<a b='1' b='2'/>",
                "<unbound:x/>", "<message/><extra/>", "<message/>trailing text", "<message")) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            assertEquals(outcome(() -> ElementReader.readElement(SCOPE, b, 0, b.length)),
                    outcome(() -> r.readElement(b, 0, b.length)), bad);
            assertEquals(goodTree, r.readElement(good, 0, good.length).toString(), "after " + bad);
        }
    }

    private interface Parse {
        XmlElement run() throws XmlParseException;
    }

    private static String outcome(Parse p) {
        try {
            return "element " + p.run();
        } catch (XmlParseException e) {
            return "error " + e.getMessage();
        }
    }

    @Test
    void theLeastRecentlyUsedReadersAreClosedBeyondTheBound() throws Exception {
        ContinuousReader.OpenReaders open = new ContinuousReader.OpenReaders(2);
        byte[] b = STANZAS.get(0).getBytes(StandardCharsets.UTF_8);
        ContinuousReader first = new ContinuousReader(SCOPE, open);
        ContinuousReader second = new ContinuousReader(SCOPE, open);
        ContinuousReader third = new ContinuousReader(SCOPE, open);
        first.readElement(b, 0, b.length);
        second.readElement(b, 0, b.length);
        third.readElement(b, 0, b.length);
        assertEquals(2, open.size());
        first.readElement(b, 0, b.length); // closed as the eldest: starts again
        assertEquals(2, first.readersStarted());
        second.readElement(b, 0, b.length); // closed in turn when first came back
        assertEquals(2, second.readersStarted());
        assertEquals(1, third.readersStarted());
        assertEquals(2, open.size());
    }

    /** A closed connection's streams (or the plaintext layer STARTTLS replaced) must not keep a place among the open readers. */
    @Test
    void aStreamParserHandsItsReaderBackWhenItsStreamEnded() {
        ContinuousReader.OpenReaders open = new ContinuousReader.OpenReaders(4);
        StreamParser parser = new StreamParser(0, StreamParser.DEFAULT_MAX_ELEMENT_BYTES, StreamParser.DEFAULT_MAX_DEPTH, open);
        parser.feed(("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                + STANZAS.get(0)).getBytes(StandardCharsets.UTF_8), 1);
        assertEquals(1, open.size(), "the stream's reader stays open between chunks");
        parser.releaseReader();
        assertEquals(0, open.size());
        parser.feed(STANZAS.get(1).getBytes(StandardCharsets.UTF_8), 2);
        assertEquals(1, open.size(), "more bytes start another");
    }
}
