package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.capture.pcap.Tshark;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.SlixmppClient;
import dev.xmppscope.testing.XmppClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture started while a session was under way, as anyone reaching for tcpdump does: dumpcap
 * starts after two Smack clients have logged in to a real Prosody, so the pcap holds neither
 * stream header nor negotiation. Its stanzas must still be read, its clients named and its
 * messages routed, on both of the analyzer's paths.
 */
class MidStreamPcapTest {
    private static final int MESSAGES = 3;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void aPcapBegunAfterTheClientsLoggedInShowsTheirStanzasClientsAndRoutes() throws Exception {
        Path pcap = tmp.resolve("mid-session.pcapng");
        String alice;
        String bob;
        List<String> bodies = new ArrayList<>();
        try (Federation fed = Federation.aliceAndBobUnrelayed().start(tmp.resolve("servers"))) {
            InetSocketAddress c2s = fed.server("a.example").c2s();
            XmppClient bobClient = XmppClient.options("a.example", c2s).resource("phone").login("bob", "bob-secret");
            XmppClient aliceClient = XmppClient.options("a.example", c2s).resource("laptop").login("alice", "alice-secret");
            alice = aliceClient.jid().toString();
            bob = bobClient.jid().toString();
            Tshark.Capture capture = Tshark.capture(Tshark.trafficOf(c2s), pcap, false);
            try (bobClient; aliceClient) {
                // a client is named by what its server addresses to it: alice gets one message first
                bobClient.send(alice, "hello alice");
                aliceClient.awaitMessage("hello alice", Duration.ofSeconds(10));
                for (int i = 0; i < MESSAGES; i++) {
                    String body = "sent after the capture began, number " + i + " " + "x".repeat(3000 * i);
                    bodies.add(body);
                    aliceClient.send(bob, body);
                    bobClient.awaitMessage(body, Duration.ofSeconds(10));
                }
            } finally {
                capture.stop(); // after both clients closed their streams
            }
        }
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            CaptureFiles.importInto(store, pcap, ProgressBar.NONE, sink -> sink);
            for (boolean ahead : new boolean[] {true, false}) {
                try (Analyzer a = BulkAnalysisTest.analyzedAfresh(store, ahead)) {
                    String path = ahead ? "parsed ahead" : "parsed as it came";
                    assertEquals(0, a.failures(), path);

                    assertEquals(List.of(alice, bob), a.connections().stream().map(ConnectionView::jid).sorted().toList(),
                            "each client named by the JID its server addresses it by; " + path);
                    for (ConnectionView c : a.connections()) {
                        assertEquals("c2s", c.kind(), path);
                        assertNull(c.error(), "a capture begun late is no failure of the connection; " + path);
                        assertTrue(a.negotiation(c.id()).get(0).title().startsWith("The capture began after this connection opened"),
                                a.negotiation(c.id()).get(0).title());
                    }
                    long aliceConn = a.connections().stream().filter(c -> alice.equals(c.jid())).findFirst().orElseThrow().id();
                    List<StanzaSummary> sent = a.stanzas(StanzaQuery.all(1000)).items().stream()
                            .filter(s -> s.connection() == aliceConn && s.kind().equals("message") && s.to() != null
                                    && s.to().equals(bob))
                            .toList();
                    assertEquals(MESSAGES, sent.size(), "every message alice sent is read whole; " + path);
                    for (StanzaSummary s : sent) {
                        assertEquals("ok", s.parseStatus(), path);
                        StanzaRoute route = a.route(s.ref()).orElseThrow(() -> new AssertionError("no route for " + s.summary()));
                        assertEquals(List.of("client:" + alice, "server:a.example", "client:" + bob),
                                List.of(route.hops().get(0).source(), route.hops().get(0).target(), route.hops().get(1).target()),
                                "alice → a.example → bob; " + path);
                    }
                }
            }
        }
    }

    /**
     * A capture begun on an idle stream: slixmpp sends a whitespace keepalive every second, and
     * those spaces come before the first whole stanza. They are whitespace between stanzas, which
     * XMPP allows (RFC 6120 4.6.1), not bytes that could not be parsed.
     */
    @Test
    void theWhitespaceKeepalivesOfAnIdleStreamBeforeItsFirstStanzaAreNotListedAsUnparsed() throws Exception {
        Path pcap = tmp.resolve("idle.pcapng");
        try (Federation fed = Federation.aliceAndBobUnrelayed().start(tmp.resolve("servers"))) {
            InetSocketAddress c2s = fed.server("a.example").c2s();
            Process alice = SlixmppClient.of(tmp.resolve("slixmpp"), "alice@a.example", "alice-secret", c2s, SlixmppClient.Mode.PLAIN)
                    .idle(Duration.ofSeconds(4), Duration.ofSeconds(1)).send("bob@a.example", "after a while").start();
            Tshark.Capture capture;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(alice.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null && !line.startsWith("SESSION"); line = out.readLine()) {
                    assertNull(line.startsWith("FAILED") ? line : null, "slixmpp logs in");
                }
                capture = Tshark.capture(Tshark.trafficOf(c2s), pcap, false);
                try {
                    out.transferTo(Writer.nullWriter());
                    assertTrue(alice.waitFor(30, TimeUnit.SECONDS), "slixmpp ends");
                } finally {
                    capture.stop();
                }
            } finally {
                alice.destroyForcibly();
            }
        }
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            CaptureFiles.importInto(store, pcap, ProgressBar.NONE, sink -> sink);
            try (Analyzer a = Analyzer.open(store); CaptureReader reader = store.newReader()) {
                a.analyze(reader, done -> { });
                List<StanzaSummary> all = a.stanzas(StanzaQuery.all(1000)).items();
                assertTrue(all.stream().anyMatch(s -> s.kind().equals("message") && "bob@a.example".equals(s.to())),
                        "the message after the idle time: " + all);
                assertEquals(List.of(), all.stream().filter(s -> s.kind().equals("unparsed")).toList(),
                        "nothing unparsed: the keepalives are whitespace between stanzas");
            }
        }
    }
}
