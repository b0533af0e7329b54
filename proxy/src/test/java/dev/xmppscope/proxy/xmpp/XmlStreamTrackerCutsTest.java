package dev.xmppscope.proxy.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The markup the tracker passes over (comments, CDATA sections, processing instructions,
 * declarations) ends where XML says it does, wherever the stream is cut into reads: look-alike
 * tags inside are not reported, the tags after them are, and none of it depends on the cutting.
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
            "START body d2 [151,157)",
            "END body d2 [190,197)",
            "EMPTY x d2 [248,252)",
            "EMPTY iq d2 [255,260)",
            "END message d1 [262,272)",
            "START presence d1 [272,282)",
            "END presence d1 [289,300)",
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

    /** Feeds {@code b} in pieces cut at {@code cuts}; returns the tags reported. */
    private static List<String> track(byte[] b, int[] cuts) {
        XmlStreamTracker t = new XmlStreamTracker();
        List<String> seen = new ArrayList<>();
        XmlStreamTracker.Listener listener = tag -> seen.add(tag.kind() + " " + tag.localName() + " d" + tag.depth()
                + " [" + tag.start() + "," + tag.end() + ")");
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
