package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.XmppClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which domain a replayed stream asks for, against real Prosody: a recorded host-unknown (Smack
 * asking a.example's server for nobody.example) is reproduced as it was, though --user names
 * a.example; a login recorded at a.example and replayed at b.example asks for b.example; either
 * way the report says what was sent other than as recorded, and --stream-to overrides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayStreamToTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;

    private Path recorded;

    record Run(int exit, String out, String err) {
    }

    private static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    /** Connection 1: a stream to nobody.example, refused; connection 2: bob's login at a.example. */
    @BeforeAll
    void recordAHostUnknownAndALogin() {
        recorded = tmp.resolve("sessions.xscap");
        try (Federation fed = Federation.builder("a.example").user("a.example", "bob", "bob-pw").start(tmp.resolve("rec"));
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.PASSTHROUGH, true, false)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> XmppClient.options("nobody.example", fed.relayC2s("a.example")).login("bob", "bob-pw").close());
            assertTrue(refused.getMessage().contains("host-unknown"), refused.getMessage());
            proxy.awaitCapture(c -> c.connections.size() == 1 && c.connections.get(0).closed() != null, "the refused stream");
            try (XmppClient bob = XmppClient.options("a.example", fed.relayC2s("a.example")).saslMechanism("PLAIN")
                    .login("bob", "bob-pw")) {
                bob.send(bob.jid().toString(), "a note to myself"); // the recorded JID in what the client sends
                bob.awaitMessage("a note to myself", Duration.ofSeconds(10));
            }
            proxy.awaitCapture(c -> c.connections.size() == 2 && c.connections.get(1).closed() != null, "bob's session");
            CaptureFiles.export(proxy.store(), recorded, Map.of(), ProgressBar.NONE);
        }
    }

    private Run replay(InetSocketAddress server, String user, String password, Path db, String... more) throws Exception {
        Path passwordFile = Files.writeString(Files.createTempFile(tmp, "password", ""), password + "\n");
        List<String> args = new ArrayList<>(List.of("replay", recorded.toString(), "--to",
                server.getAddress().getHostAddress() + ":" + server.getPort(), "--user", user,
                "--password-file", passwordFile.toString(), "--db", db.toString(), "--timeout", "5"));
        args.addAll(List.of(more));
        return run(args);
    }

    /** What the replay (connection 2 of {@code db}) sent the server. */
    private static String sent(Path db) {
        StringBuilder sent = new StringBuilder();
        try (CaptureStore store = CaptureStore.open(db); CaptureReader r = store.newReader()) {
            r.replayConnection(2, new CaptureSink() {
                public void opened(ConnectionOpened o) { }
                public void chunk(Chunk ch) {
                    if (ch.direction() == Direction.TO_SERVER) {
                        sent.append(new String(ch.bytes(), StandardCharsets.UTF_8));
                    }
                }
                public void event(ConnectionEvent e) { }
                public void closed(ConnectionClosed cl) { }
            });
        }
        return sent.toString();
    }

    @Test
    void aRefusedStreamIsReplayedAskingForTheDomainItAskedForAndReproducesTheRefusal() throws Exception {
        Path kept = tmp.resolve("kept");
        Path overridden = tmp.resolve("overridden");
        Run r;
        Run other;
        try (Federation fed = Federation.builder("a.example").user("a.example", "bob", "bob-pw").start(tmp.resolve("servers"))) {
            InetSocketAddress server = fed.server("a.example").c2s();
            r = replay(server, "bob@a.example", "bob-pw", kept, "--connection", "1");
            other = replay(server, "bob@a.example", "bob-pw", overridden, "--connection", "1", "--stream-to", "a.example");
        }
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("note: the stream's header asks for nobody.example, as recorded, not for --user's domain:"
                + " the recorded server refused that stream (host-unknown) before any login, which is what this replay"
                + " reproduces (--stream-to DOMAIN asks for another)\n"), r.out());
        assertTrue(r.out().contains("the server answered exactly as recorded"), r.out());
        assertTrue(r.out().contains("host-unknown"), "the refusal is among the answers: " + r.out());
        assertTrue(sent(kept).startsWith("<stream:stream") && sent(kept).contains("to='nobody.example'"), sent(kept));

        assertEquals(3, other.exit(), "a.example is served: the answers differ: " + other.out() + other.err());
        assertTrue(other.out().contains("note: the stream's header asked for nobody.example in the recording; it asks for"
                + " a.example now (--stream-to)\n"), other.out());
        assertTrue(sent(overridden).contains("to='a.example'"), sent(overridden));
    }

    @Test
    void aLoginReplayedAtAnotherServerAsksForItAndTheReportSaysWhatWasRewritten() throws Exception {
        Path db = tmp.resolve("elsewhere");
        Run r;
        try (Federation fed = Federation.builder("b.example").user("b.example", "bob", "other-pw").start(tmp.resolve("b"))) {
            r = replay(fed.server("b.example").c2s(), "bob@b.example", "other-pw", db, "--connection", "2");
        }
        assertTrue(r.exit() == 0 || r.exit() == 3, r.out() + r.err());
        assertTrue(r.out().contains("note: the stream's header asked for a.example in the recording; it asks for b.example,"
                + " --user's domain, now (--stream-to DOMAIN asks for another)\n"), r.out());
        assertTrue(r.out().contains("note: bob@a.example in what the client sent is sent as bob@b.example (--user)\n"), r.out());
        assertTrue(sent(db).contains("to='b.example'") && sent(db).contains("to='bob@b.example/"), sent(db));
        Run negotiation = run(List.of("show", db.toString(), "--negotiation", "2", "--no-pager"));
        assertTrue(negotiation.out().contains("Bound to bob@b.example/"), negotiation.out() + negotiation.err());
    }
}
