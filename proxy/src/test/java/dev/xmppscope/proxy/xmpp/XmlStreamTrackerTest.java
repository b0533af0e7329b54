package dev.xmppscope.proxy.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class XmlStreamTrackerTest {
    @Test
    void reportsDepthNamespaceAndOffsetsAcrossStreamRestarts() {
        String header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams' to='a.example'>";
        String s = header + "<!-- hi > there --><message to='b' a='x>y'><body><![CDATA[<not-a-tag>]]></body></message>"
                + header + "<iq/>";
        List<String> seen = new ArrayList<>();
        XmlStreamTracker t = new XmlStreamTracker();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i += 3) { // three bytes at a time
            t.feed(b, i, Math.min(b.length, i + 3), tag -> seen.add(tag.kind() + " " + tag.localName() + " d" + tag.depth()
                    + " " + tag.namespace()));
        }
        assertEquals(List.of(
                "START stream d0 http://etherx.jabber.org/streams",
                "START message d1 jabber:client",
                "START body d2 jabber:client",
                "END body d2 jabber:client",
                "END message d1 jabber:client",
                "START stream d0 http://etherx.jabber.org/streams",
                "EMPTY iq d1 jabber:client"), seen);
        assertEquals(b.length, t.offset());
    }

    @Test
    void aSkippedElementIsPassedOverWithItsTrickyContentWhereverTheReadsAreCut() {
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
        String s = header + "<message a='x>y' b=\"</message>\"><body><!-- </message> --><![CDATA[</message><iq>]]>"
                + "<?pi </message>?><e/><e a='/'>t</e></body></message><iq id='1'/>";
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long iqStart = s.indexOf("<iq id='1'/>");
        for (int cut = 0; cut <= b.length; cut++) {
            List<String> seen = new ArrayList<>();
            XmlStreamTracker t = new XmlStreamTracker();
            XmlStreamTracker.Listener l = new XmlStreamTracker.Listener() {
                @Override
                public void tag(XmlStreamTracker.Tag tag) {
                    seen.add(tag.kind() + " " + tag.localName() + " d" + tag.depth() + " @" + tag.start());
                    if (tag.localName().equals("message")) {
                        t.skipElement();
                    }
                }

                @Override
                public void text(long from, long to, XmlStreamTracker.Element inside, List<XmlStreamTracker.Element> a) {
                    seen.add("text in " + (inside == null ? null : inside.localName()));
                }
            };
            t.feed(b, 0, cut, l);
            t.feed(b, cut, b.length, l);
            assertEquals(List.of("START stream d0 @0", "START message d1 @" + header.length(), "EMPTY iq d1 @" + iqStart),
                    seen, "cut at " + cut);
            assertEquals(1, t.depth(), "the skipped message was popped");
            assertEquals(b.length, t.offset());
        }
    }

    @Test
    void aSkippedElementEndsOnlyAtItsOwnNameNotAtOneThatSharesItsFirstBytes() {
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
        // look-alikes of the same length: past the first eight bytes (a long name), within them, and
        // a short name whose end tag can end a read before eight bytes of it are there
        String s = header + "<stream:features><stream:featurex>t</stream:featurex></stream:features>"
                + "<message><massage>t</massage></message><enable><enabla>t</enabla></enable><iq id='1'/>";
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= b.length; cut++) {
            List<String> seen = new ArrayList<>();
            XmlStreamTracker t = new XmlStreamTracker();
            XmlStreamTracker.Listener l = tag -> {
                seen.add(tag.kind() + " " + tag.localName() + " d" + tag.depth());
                if (tag.depth() == 1) {
                    t.skipElement();
                }
            };
            t.feed(b, 0, cut, l);
            t.feed(b, cut, b.length, l);
            assertEquals(List.of("START stream d0", "START features d1", "START message d1", "START enable d1", "EMPTY iq d1"),
                    seen, "cut at " + cut);
            assertEquals(1, t.depth(), "cut at " + cut);
        }
    }

    @Test
    void aHaltedTrackerIgnoresEverythingAfter() {
        XmlStreamTracker t = new XmlStreamTracker();
        List<String> seen = new ArrayList<>();
        byte[] b = "<a/><b/><c/>".getBytes(StandardCharsets.UTF_8);
        t.feed(b, tag -> {
            seen.add(tag.localName());
            if (tag.localName().equals("b")) {
                t.halt();
            }
        });
        t.feed(b, tag -> seen.add(tag.localName()));
        assertEquals(List.of("a", "b"), seen);
        assertTrue(t.halted());
    }
}
