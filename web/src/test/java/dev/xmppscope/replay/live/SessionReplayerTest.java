package dev.xmppscope.replay.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.SaslPlainMessage;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.pcap.TopLevelSplitter;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.ConnectionRecord;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.CaptureSource;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.XmppClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Replay against real Prosody: a session Smack had with a.example, recorded by the proxy, is
 * re-sent to a fresh a.example (same answers) and to one whose ping module is disabled (the
 * ping's answer changes from result to error, and the diff says so).
 */
class SessionReplayerTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    /** Records alice logging in (SCRAM), pinging her server, writing to herself, logging out. */
    private Path recordSession() {
        return recordSession("SCRAM-SHA-1");
    }

    private Path recordSession(String mechanism) {
        Path file = tmp.resolve("session-" + mechanism + ".xscap");
        try (Federation fed = Federation.builder("a.example").user("a.example", "alice", "recorded-secret").start(tmp.resolve("rec"));
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.PASSTHROUGH, true, false)) {
            try (XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).resource("desk")
                    .saslMechanism(mechanism).login("alice", "recorded-secret")) {
                assertTrue(PingManager.getInstanceFor(alice.connection()).ping(JidCreate.from("a.example")));
                alice.send(alice.jid().toString(), "a note to myself");
                alice.awaitMessage("a note to myself", Duration.ofSeconds(10));
            } catch (Exception e) {
                throw new AssertionError("recording failed: " + e + "\n" + fed.diagnostics(), e);
            }
            proxy.awaitCapture(c -> c.connections.size() == 1 && c.connections.get(0).closed() != null, "the closed session");
            CaptureFiles.export(proxy.store(), file, Map.of(), ProgressBar.NONE);
        }
        return file;
    }

    private ReplayReport replayTo(Path recorded, Federation fed, Path db) {
        return replayTo(recorded, fed.server("a.example").c2s(), db, c -> { });
    }

    /** Replays into {@code db}; {@code onChunk} sees each chunk of the live session as it is recorded. */
    private ReplayReport replayTo(Path recorded, InetSocketAddress server, Path db, Consumer<Chunk> onChunk) {
        CaptureSource source = CaptureFiles.open(recorded);
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter writer = store.newWriter()) {
            CaptureSink watched = new CaptureSink() {
                public void opened(ConnectionOpened o) { writer.opened(o); }
                public void chunk(Chunk ch) { onChunk.accept(ch); writer.chunk(ch); }
                public void event(ConnectionEvent e) { writer.event(e); }
                public void closed(ConnectionClosed cl) { writer.closed(cl); }
                public void flushed() { writer.flushed(); }
            };
            return new SessionReplayer(Duration.ofSeconds(5), false).replay(source, 1, server,
                    "alice@a.example", "another-secret", watched, 7);
        }
    }

    /** The live session's top-level pieces as stored, in seq order. */
    private static List<Piece> storedPieces(Path db, long connection) {
        List<Piece> pieces = new ArrayList<>();
        Map<String, TopLevelSplitter> splitters = new HashMap<>();
        try (CaptureStore store = CaptureStore.open(db); CaptureReader r = store.newReader()) {
            r.replayConnection(connection, new CaptureSink() {
                public void opened(ConnectionOpened o) { }
                public void chunk(Chunk ch) {
                    TopLevelSplitter s = splitters.computeIfAbsent(ch.direction() + "/" + ch.layer(), k -> new TopLevelSplitter());
                    for (String xml : s.feed(ch.bytes(), 0, ch.bytes().length)) {
                        pieces.add(new Piece(ch.direction(), ch.layer() == TlsLayer.DECRYPTED, xml, ch.atNanos()));
                    }
                }
                public void event(ConnectionEvent e) { }
                public void closed(ConnectionClosed cl) { }
            });
        }
        return pieces;
    }

    @Test
    void aDeterministicSessionReplaysWithAnEmptyDiffAndADisabledModuleShowsUp() {
        Path recorded = recordSession();

        ReplayReport same;
        try (Federation fed = Federation.builder("a.example").user("a.example", "alice", "another-secret").start(tmp.resolve("same"))) {
            same = replayTo(recorded, fed, tmp.resolve("same-db"));
        }
        assertTrue(same.same(), same.text());
        assertTrue(same.diff().size() >= 8, "headers, features, SASL, bind, roster, presence, ping, message: " + same.text());
        assertTrue(same.diff().stream().anyMatch(l -> l.contains("<iq type=result") && l.contains("from=a.example")),
                "the ping's result is among the answers: " + same.text());

        ReplayReport changed;
        try (Federation fed = Federation.builder("a.example").user("a.example", "alice", "another-secret")
                .configure((d, config) -> config.lua("modules_disabled = { \"ping\" }")).start(tmp.resolve("changed"))) {
            changed = replayTo(recorded, fed, tmp.resolve("changed-db"));
        }
        assertFalse(changed.same(), changed.text());
        assertEquals(2, changed.changes(), changed.text());
        assertTrue(changed.diff().stream().anyMatch(l -> l.startsWith("- <iq type=result") && l.contains("from=a.example")), changed.text());
        assertTrue(changed.diff().stream().anyMatch(l -> l.startsWith("+ <iq type=error") && l.contains("service-unavailable")),
                changed.text());
    }

    /**
     * Every answer of the server is stored after, and dated no earlier than, what the client sent
     * to cause it: the stream header after the client's, the SASL outcome after the auth, each IQ
     * answer after its request. Which comes first on a loopback is a race, so the test watches the
     * cause itself through a relay that counts what reached the server: when the recording gets a
     * chunk of the client's, none of it may have been sent yet.
     */
    @Test
    void theLiveSessionIsRecordedBeforeItIsSentSoAnswersComeAfterTheirCause() throws Exception {
        Path recorded = recordSession();
        Path db = tmp.resolve("ordered-db");
        List<String> sentBeforeRecorded = new ArrayList<>();
        try (Federation fed = Federation.builder("a.example").user("a.example", "alice", "another-secret").start(tmp.resolve("o"));
             CountingRelay relay = new CountingRelay(fed.server("a.example").c2s())) {
            replayTo(recorded, relay.address(), db, ch -> {
                if (ch.direction() == Direction.TO_SERVER && ch.layer() == TlsLayer.PLAIN
                        && relay.awaitToServer(ch.offset() + 1, Duration.ofMillis(200))) {
                    sentBeforeRecorded.add(new String(ch.bytes(), StandardCharsets.UTF_8));
                }
            });
        }
        assertEquals(List.of(), sentBeforeRecorded, "chunks the server had before the recording did");

        List<Piece> pieces = storedPieces(db, 7);
        assertTrue(pieces.get(0).direction() == Direction.TO_SERVER && pieces.get(0).isHeader(), "the client opens the stream: " + pieces);
        List<Piece> clientHeaders = pieces.stream().filter(p -> p.direction() == Direction.TO_SERVER && p.isHeader()).toList();
        List<Piece> serverHeaders = pieces.stream().filter(p -> p.direction() == Direction.TO_CLIENT && p.isHeader()).toList();
        assertEquals(clientHeaders.size(), serverHeaders.size(), pieces.toString());
        for (int i = 0; i < serverHeaders.size(); i++) {
            assertAfter(pieces, clientHeaders.get(i), serverHeaders.get(i));
        }
        Piece auth = pieces.stream().filter(p -> p.name().equals("auth")).findFirst().orElseThrow();
        Piece success = pieces.stream().filter(p -> p.name().equals("success")).findFirst().orElseThrow();
        assertAfter(pieces, auth, success);
        int answers = 0;
        for (Piece answer : pieces) {
            String id = answer.attribute("id");
            if (answer.direction() == Direction.TO_CLIENT && answer.name().equals("iq") && id != null) {
                Piece request = pieces.stream().filter(p -> p.direction() == Direction.TO_SERVER && p.name().equals("iq")
                        && id.equals(p.attribute("id"))).findFirst().orElse(null);
                if (request != null) {
                    assertAfter(pieces, request, answer);
                    answers++;
                }
            }
        }
        assertTrue(answers >= 3, "bind, roster and ping are answered: " + pieces);
    }

    private static void assertAfter(List<Piece> pieces, Piece cause, Piece answer) {
        assertTrue(pieces.indexOf(cause) < pieces.indexOf(answer), "stored before what caused it: " + answer.xml()
                + " before " + cause.xml());
        assertTrue(cause.at() <= answer.at(), "dated before what caused it: " + answer.xml() + " at " + answer.at()
                + ", " + cause.xml() + " at " + cause.at());
    }

    /** As the proxy stores it: the PLAIN payload keeps "alice" (the negotiation reads "as alice"), the password is masked. */
    @Test
    void aPlainLoginIsStoredWithItsUsernameAndWithoutItsPassword() {
        Path recorded = recordSession("PLAIN");
        Path db = tmp.resolve("plain-db");
        try (Federation fed = Federation.builder("a.example").user("a.example", "alice", "another-secret").start(tmp.resolve("p"))) {
            assertTrue(replayTo(recorded, fed, db).same());
        }
        List<Chunk> authChunks = new ArrayList<>();
        List<ConnectionEvent> redactions = new ArrayList<>();
        try (CaptureStore store = CaptureStore.open(db); CaptureReader r = store.newReader()) {
            r.replayConnection(7, new CaptureSink() {
                public void opened(ConnectionOpened o) { }
                public void chunk(Chunk ch) {
                    if (new String(ch.bytes(), StandardCharsets.UTF_8).startsWith("<auth ")) {
                        authChunks.add(ch);
                    }
                }
                public void event(ConnectionEvent e) {
                    if (e.kind() == EventKind.SECRET_REDACTED) {
                        redactions.add(e);
                    }
                }
                public void closed(ConnectionClosed cl) { }
            });
        }
        assertEquals(1, authChunks.size());
        Chunk auth = authChunks.get(0);
        String xml = new String(auth.bytes(), StandardCharsets.UTF_8);
        SaslPlainMessage stored = SaslPlainMessage.decode(xml.substring(xml.indexOf('>') + 1, xml.indexOf("</auth>"))
                .getBytes(StandardCharsets.US_ASCII));
        assertTrue(stored != null, "a PLAIN message, only its password masked: " + xml);
        assertEquals("alice", stored.authcid(), xml);
        String decoded = new String(java.util.Base64.getDecoder().decode(xml.substring(xml.indexOf('>') + 1, xml.indexOf("</auth>"))),
                StandardCharsets.UTF_8);
        assertEquals("\0alice\0" + "*".repeat("another-secret".length()), decoded);
        assertTrue(auth.redacted(), "the chunk says it was masked");
        assertEquals(1, redactions.size(), redactions.toString());
        assertEquals(auth.seq(), redactions.get(0).seq(), "the event sits with its chunk");
        assertTrue(redactions.get(0).detail().startsWith("SASL PLAIN password (the username is kept) masked"), redactions.get(0).detail());
    }

    @Test
    void theReplayedSessionIsRecordedWithoutThePassword() throws Exception {
        Path recorded = recordSession();
        try (Federation fed = Federation.builder("a.example").user("a.example", "alice", "another-secret").start(tmp.resolve("s"))) {
            Path db = tmp.resolve("db");
            replayTo(recorded, fed, db);
            try (CaptureStore store = CaptureStore.open(db); CaptureReader r = store.newReader()) {
                ConnectionRecord c = r.connection(7).orElseThrow();
                assertTrue(c.opened().route().startsWith("replay:"), c.opened().route());
                assertTrue(c.closed() != null);
                StringBuilder all = new StringBuilder();
                r.replayConnection(7, new dev.xmppscope.capture.CaptureSink() {
                    public void opened(dev.xmppscope.capture.ConnectionOpened o) { }
                    public void chunk(dev.xmppscope.capture.Chunk ch) { all.append(new String(ch.bytes(), java.nio.charset.StandardCharsets.UTF_8)); }
                    public void event(dev.xmppscope.capture.ConnectionEvent e) { }
                    public void closed(dev.xmppscope.capture.ConnectionClosed cl) { }
                });
                assertTrue(all.toString().contains("a note to myself"), all.toString());
                assertFalse(all.toString().contains("another-secret"));
            }
        }
    }
}
