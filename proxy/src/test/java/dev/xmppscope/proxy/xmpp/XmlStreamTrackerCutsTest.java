package dev.xmppscope.proxy.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The markup the tracker passes over (comments, CDATA sections, processing instructions,
 * declarations) ends where XML says it does, wherever the stream is cut into reads: the tags
 * and text it reports do not depend on the cutting.
 */
class XmlStreamTrackerCutsTest {
    private static final String STREAM = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams'>"
            + "<!-- - a -- b -><fake/> --><message id='m'>t1<body>x<![CDATA[<not/>]]y]><fake/>]]]>z</body>"
            + "<?pi a > b?<fake/>??><!DOCTYPE d [x]><!-x-><![CDAT><x/><!><iq/>t2</message>"
            + "<presence><!----></presence><![CDATA[]]><r/>";

    /** What the whole stream in one read gives. */
    private static final List<String> EXPECTED = List.of(
            "START stream d0 [21,106)",
            "START message d1 [133,149)",
            "TEXT in message: t1",
            "START body d2 [151,157)",
            "TEXT in body: x<![CDATA[<not/>]]y]><fake/>]]]>z",
            "END body d2 [190,197)",
            "EMPTY x d2 [248,252)",
            "EMPTY iq d2 [255,260)",
            "TEXT in message: t2",
            "END message d1 [262,272)",
            "START presence d1 [272,282)",
            "END presence d1 [289,300)",
            "TEXT in stream: <![CDATA[]]>",
            "EMPTY r d1 [312,316)");

    @Test
    void theWholeStreamInOneRead() {
        assertEquals(EXPECTED, track(STREAM.getBytes(StandardCharsets.UTF_8), new int[0]));
    }

    @Test
    void everyCutIntoTwoOrThreeReadsGivesTheSame() {
        byte[] b = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int i = 1; i < b.length; i++) {
            assertEquals(EXPECTED, track(b, new int[]{i}), "cut at " + i);
            for (int j = i + 1; j < b.length; j++) {
                assertEquals(EXPECTED, track(b, new int[]{i, j}), "cuts at " + i + ", " + j);
            }
        }
    }

    /** Feeds {@code b} in pieces cut at {@code cuts}; text ranges that continue each other are joined. */
    private static List<String> track(byte[] b, int[] cuts) {
        XmlStreamTracker t = new XmlStreamTracker();
        List<String> seen = new ArrayList<>();
        long[] lastTextEnd = {-1};
        XmlStreamTracker.Listener listener = new XmlStreamTracker.Listener() {
            @Override
            public void tag(XmlStreamTracker.Tag tag) {
                seen.add(tag.kind() + " " + tag.localName() + " d" + tag.depth() + " [" + tag.start() + "," + tag.end() + ")");
                lastTextEnd[0] = -1;
            }

            @Override
            public void text(long from, long to, XmlStreamTracker.Element inside, List<XmlStreamTracker.Element> ancestors) {
                String piece = new String(b, (int) from, (int) (to - from), StandardCharsets.UTF_8);
                if (lastTextEnd[0] == from) {
                    seen.set(seen.size() - 1, seen.get(seen.size() - 1) + piece);
                } else {
                    seen.add("TEXT in " + (inside == null ? null : inside.localName()) + ": " + piece);
                }
                lastTextEnd[0] = to;
            }
        };
        int from = 0;
        for (int cut : cuts) {
            t.feed(b, from, cut, listener);
            from = cut;
        }
        t.feed(b, from, b.length, listener);
        assertEquals(b.length, t.offset());
        return seen;
    }
}
