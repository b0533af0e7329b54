package dev.xmppscope.replay.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureReader;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
        Path file = tmp.resolve("session.xscap");
        try (Federation fed = Federation.builder("a.example").user("a.example", "alice", "recorded-secret").start(tmp.resolve("rec"));
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.PASSTHROUGH, true, false)) {
            try (XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).resource("desk")
                    .login("alice", "recorded-secret")) {
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
        CaptureSource source = CaptureFiles.open(recorded);
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter writer = store.newWriter()) {
            return new SessionReplayer(Duration.ofSeconds(5), false).replay(source, 1, fed.server("a.example").c2s(),
                    "alice@a.example", "another-secret", writer, 7);
        }
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
