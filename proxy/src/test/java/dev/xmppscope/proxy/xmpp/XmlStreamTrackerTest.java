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
