package dev.xmppscope.analyzer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.stream.StreamEvent.ElementParsed;
import dev.xmppscope.analyzer.stream.StreamEvent.StreamClosed;
import dev.xmppscope.analyzer.stream.StreamEvent.StreamFailed;
import dev.xmppscope.analyzer.stream.StreamEvent.StreamOpened;
import dev.xmppscope.analyzer.stream.StreamEvent.Unparsed;
import dev.xmppscope.testing.Damage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Streams damaged at random (bytes dropped, inserted, repeated; markup characters and split UTF-8
 * among them), read whole and in random pieces: the parser never throws, tells the same story
 * whatever the pieces (the same elements, and the same failure at the same offset with the same
 * reason), and accounts for every byte it was given up to what it still waits for.
 */
class StreamParserMutationsTest {
    private static final String C2S = StreamParserTest.SMACK_TO_PROSODY.replace("</stream:stream>", "")
            + "<message id='q' to='c@a.example'><body><![CDATA[a <b> & ]] c]]></body><!-- note --><x xmlns='urn:x'"
            + " a=\"1 > 0\"><y/><y>t&#233;xt</y></x></message>\n"
            + "<iq type='get' id='v1'><query xmlns='jabber:iq:version'/></iq><?pi keep?>"
            + "<presence><status>caf\u00e9 \u2615</status><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v='/></presence>"
            + "</stream:stream>";
    /** Server to server: a dialback prefix declared on the header, a restart, keepalives. */
    private static final String S2S = "\uFEFF <?xml version='1.0'?>\n<stream:stream xmlns='jabber:server' xmlns:db='jabber:server:dialback'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='a.example' to='b.example' version='1.0'>"
            + "<db:result from='a.example' to='b.example'>k3y</db:result> \n "
            + "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' id='r'>"
            + "<message from='alice@a.example/phone' to='bob@b.example' type='chat'><body>&lt;hi&gt;</body></message>"
            + "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>";
    /** A component (XEP-0114): its handshake, then stanzas in its own namespace. */
    private static final String COMPONENT = "<stream:stream xmlns='jabber:component:accept'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='c.a.example'><handshake>0a1b</handshake>"
            + "<iq type='result' id='d' from='c.a.example'><query xmlns='http://jabber.org/protocol/disco#info'>"
            + "<identity category='x' type='y' name=\"a 'b'\"/></query></iq>";

    @Test
    void aDamagedStreamReadsTheSameInAnyPiecesAndEveryByteIsAccountedFor() {
        List<byte[]> originals = List.of(StreamParserTest.utf8(C2S), StreamParserTest.utf8(S2S), StreamParserTest.utf8(COMPONENT));
        for (int seed = 0; seed < 1500; seed++) {
            Random random = new Random(seed);
            byte[] damaged = Damage.of(originals.get(seed % originals.size()), random);
            List<String> whole = story(new StreamParser().feed(damaged, 1L), damaged.length);
            for (int trial = 0; trial < 4; trial++) {
                int max = trial == 0 ? 1 : trial == 1 ? 7 : 200;
                StreamParser parser = new StreamParser();
                List<StreamEvent> events = new ArrayList<>();
                for (int at = 0; at < damaged.length; ) {
                    int end = Math.min(damaged.length, at + 1 + random.nextInt(max));
                    events.addAll(parser.feed(Arrays.copyOfRange(damaged, at, end), 1L));
                    at = end;
                }
                int seen = seed;
                assertEquals(whole, story(events, damaged.length), () -> "seed " + seen + ", pieces of at most " + max
                        + " bytes; the stream:\n" + new String(damaged, StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * The events as a story: what each says, and where (the runs of unparsed bytes, reported per
     * piece, joined), after checking that they follow each other without overlap.
     */
    private static List<String> story(List<StreamEvent> events, int length) {
        List<String> out = new ArrayList<>();
        long next = 0;
        long unparsedFrom = -1;
        for (StreamEvent e : events) {
            long after = next;
            assertTrue(e.offset() >= after, () -> "events in order, without overlap: " + e + " after " + after);
            if (e instanceof Unparsed u) {
                unparsedFrom = unparsedFrom < 0 ? u.offset() : unparsedFrom;
                next = u.offset() + u.size();
                continue;
            }
            if (e instanceof StreamOpened o) {
                out.add((o.restart() ? "restart@" : "opened@") + o.offset() + "+" + o.size());
                next = o.offset() + o.size();
            } else if (e instanceof ElementParsed p) {
                out.add(p.element().name() + "@" + p.offset() + "+" + p.size());
                next = p.offset() + p.size();
            } else if (e instanceof StreamClosed c) {
                out.add("closed@" + c.offset() + "+" + c.size());
                next = c.offset() + c.size();
            } else if (e instanceof StreamFailed f) {
                out.add("failed@" + f.offset() + ": " + f.reason());
                next = f.offset();
            }
        }
        if (unparsedFrom >= 0) {
            assertEquals(length, next, "after a failure every byte is reported unparsed");
            out.add("unparsed@" + unparsedFrom + "-" + next);
        }
        return out;
    }
}
