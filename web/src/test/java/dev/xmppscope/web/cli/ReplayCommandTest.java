package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.xmppscope.replay.ReplayDiff;
import dev.xmppscope.replay.ReplayDiffStore;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.TestCertificates;
import dev.xmppscope.testing.XmppClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * {@code xmppscope replay} against real Prosody where the replay cannot succeed: a wrong password
 * (it stops at the SASL failure, exit 4), a room password the capture holds masked (said before
 * it starts), a connection the capture lacks and a server that is down (nothing is written).
 * The recorded session: bob logs in with PLAIN and joins alice's password-protected room.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayCommandTest {
    private static final String ROOM_SECRET = "room-secret-" + UUID.randomUUID();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;

    private Path recorded;

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeAll
    void recordBobJoiningALockedRoom() throws Exception {
        recorded = tmp.resolve("session.xscap");
        try (Federation fed = servers().start(tmp.resolve("rec"));
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.PASSTHROUGH, true, false)) {
            EntityBareJid room = JidCreate.entityBareFrom("locked@conference.a.example");
            try (XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).login("alice", "alice-pw")) {
                MultiUserChat owned = MultiUserChatManager.getInstanceFor(alice.connection()).getMultiUserChat(room);
                owned.create(Resourcepart.from("alice")).getConfigFormManager().setRoomSecret(ROOM_SECRET).submitConfigurationForm();
                try (XmppClient bob = XmppClient.options("a.example", fed.relayC2s("a.example")).saslMechanism("PLAIN")
                        .login("bob", "bob-pw")) {
                    MultiUserChatManager.getInstanceFor(bob.connection()).getMultiUserChat(room).join(Resourcepart.from("bob"), ROOM_SECRET);
                }
            }
            proxy.awaitCapture(c -> c.connections.size() == 2 && c.connections.stream().allMatch(r -> r.closed() != null),
                    "two closed sessions");
            CaptureFiles.export(proxy.store(), recorded, Map.of(), ProgressBar.NONE);
        }
    }

    private static Federation.Builder servers() {
        return Federation.builder("a.example").user("a.example", "alice", "alice-pw").user("a.example", "bob", "bob-pw")
                .configure((domain, cfg) -> cfg.muc("conference." + domain));
    }

    private Run replayBob(InetSocketAddress server, String password, Path db, String... more) throws Exception {
        Path passwordFile = Files.writeString(tmp.resolve("password-" + UUID.randomUUID()), password + "\n");
        List<String> args = new java.util.ArrayList<>(List.of("replay", recorded.toString(), "--to",
                server.getAddress().getHostAddress() + ":" + server.getPort(), "--user", "bob@a.example",
                "--password-file", passwordFile.toString(), "--db", db.toString(), "--timeout", "5"));
        args.addAll(List.of(more.length == 0 ? new String[] {"--connection", "2"} : more));
        return run(args.toArray(String[]::new));
    }

    private static void eachChunk(Path db, long connection, Consumer<Chunk> each) {
        try (CaptureStore store = CaptureStore.open(db); CaptureReader r = store.newReader()) {
            r.replayConnection(connection, new CaptureSink() {
                public void opened(ConnectionOpened o) { }
                public void chunk(Chunk ch) { each.accept(ch); }
                public void event(ConnectionEvent e) { }
                public void closed(ConnectionClosed cl) { }
            });
        }
    }

    @Test
    void aWrongPasswordStopsAtTheSaslFailureAndSaysSo() throws Exception {
        Path db = tmp.resolve("wrong");
        Run r;
        try (Federation fed = servers().start(tmp.resolve("wrong-servers"))) {
            r = replayBob(fed.server("a.example").c2s(), "not-bobs-password", db);
        }
        assertEquals(ReplayCommand.AUTHENTICATION_FAILED, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("xmppscope: authentication failed (not-authorized): check --user and the password"), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(1).equals("authentication failed (not-authorized): check --user and the password"),
                "the cause comes first: " + r.out());
        assertFalse(r.out().contains("masked secret"), "the room's password was not sent, and the report does not say it was");
        assertFalse(r.out().contains("waited") || r.out().contains("no answer within"), "nothing was waited for in vain: " + r.out());
        assertTrue(r.out().contains("- <success xmlns=urn:ietf:params:xml:ns:xmpp-sasl>\n+ <failure xmlns=urn:ietf:params:xml:ns:xmpp-sasl> not-authorized"), r.out());
        assertTrue(lines.size() < 12, "a short diff, up to the login: " + r.out());

        StringBuilder sent = new StringBuilder();
        eachChunk(db, 2, ch -> {
            if (ch.direction() == Direction.TO_SERVER) {
                sent.append(new String(ch.bytes(), StandardCharsets.UTF_8));
            }
        });
        assertTrue(sent.toString().contains("mechanism='PLAIN'"), sent.toString());
        assertFalse(sent.toString().contains("<bind") || sent.toString().contains("<presence"),
                "nothing is sent to a stream that is not authenticated: " + sent);
        assertTrue(sent.toString().endsWith("</stream:stream>"), "the stream is closed: " + sent);
    }

    @Test
    void aMaskedRoomPasswordIsNamedBeforeTheReplayAndInTheStoredDiff() throws Exception {
        Path db = tmp.resolve("masked");
        Run r;
        try (Federation fed = servers().start(tmp.resolve("masked-servers"))) {
            r = replayBob(fed.server("a.example").c2s(), "bob-pw", db);
        }
        String note = "connection 2 holds 1 masked secret (password in a stanza (MUC: joining a room, an invitation)) in <presence ";
        assertTrue(r.err().startsWith("note: " + note), r.err());
        assertTrue(r.err().contains("re-sent masked, as '*', so the server will refuse it"), r.err());
        assertTrue(r.out().contains("note: " + note), "the report says it too: " + r.out());
        // the capture's connection 2 is copied into the new database as its connection 1, and the replay is its 2
        assertTrue(r.out().startsWith("replayed the capture's connection 2 (the replay is connection 2 of the database it is"
                + " recorded into)\n"), r.out());
        assertTrue(r.out().contains("recorded: the capture's connection 2 as connection 1 (as recorded) and the replay as"
                + " connection 2 (now) in " + CaptureStore.dataFile(db)), r.out());
        try (CaptureStore store = CaptureStore.open(db)) {
            List<ReplayDiff> diffs = new ReplayDiffStore(store).list();
            assertEquals(1, diffs.size());
            assertTrue(diffs.get(0).notes().stream().anyMatch(n -> n.startsWith(note)), diffs.get(0).notes().toString());
        }
        // the rebuilt PLAIN login keeps its user in the recording, as the proxy's does
        Run negotiation = run("show", db.toString(), "--negotiation", "2", "--no-pager");
        assertTrue(negotiation.out().contains("Client authenticates with PLAIN as bob"), negotiation.out() + negotiation.err());
    }

    /** bob's login over STARTTLS, recorded through an intercepting proxy into {@code starttls}; {@code fed} stays up. */
    private static void recordStartTls(Federation fed, Path starttls) {
        try (RecordingProxy proxy = RecordingProxy.start(tmp.resolve("tls-proxy-" + UUID.randomUUID()), fed.relayRoutes(),
                TlsMode.INTERCEPT, true, false)) {
            try (XmppClient bob = XmppClient.options("a.example", fed.relayC2s("a.example"))
                    .startTls(TestCertificates.trustManager(proxy.ca().certificate())).login("bob", "bob-pw")) {
                assertTrue(bob.isSecureConnection());
            }
            proxy.awaitCapture(c -> c.connections.size() == 1 && c.connections.get(0).closed() != null, "bob's session");
            CaptureFiles.export(proxy.store(), starttls, Map.of(), ProgressBar.NONE);
        }
    }

    /** A STARTTLS session replayed to a server whose certificate the replay was not told to accept. */
    @Test
    void anUntrustedServerCertificateEndsTheReplayAndItsRecordingSaysWhyAndWhere() throws Exception {
        Path starttls = tmp.resolve("starttls.xscap");
        Path db = tmp.resolve("untrusted");
        Run r;
        try (Federation fed = servers().start(tmp.resolve("tls-servers"))) {
            recordStartTls(fed, starttls);
            InetSocketAddress server = fed.server("a.example").c2s(); // Prosody's own certificate: self-signed
            r = run("replay", starttls.toString(), "--connection", "1", "--to",
                    server.getAddress().getHostAddress() + ":" + server.getPort(), "--user", "bob@a.example", "--password-file",
                    Files.writeString(tmp.resolve("tls-password"), "bob-pw\n").toString(), "--db", db.toString(), "--timeout", "5");
        }
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("(use --insecure to accept any certificate of a test server)"), r.err());
        assertTrue(r.err().contains("the replay up to there is recorded as connection 2 in " + CaptureStore.dataFile(db)
                + ": xmppscope show " + db + " --negotiation 2"), "the database it wrote is not left to be found: " + r.err());
        Run negotiation = run("show", db.toString(), "--negotiation", "2", "--no-pager");
        assertTrue(negotiation.out().contains("TLS_FAILED") && negotiation.out().contains("TLS handshake failed"),
                negotiation.out());
        assertFalse(negotiation.out().contains("stalled") || negotiation.out().contains("replay finished"),
                "the recording says why it ended: " + negotiation.out());
    }

    /**
     * A server that will not start TLS, or answers nothing at all: the replay of a STARTTLS session
     * stops there, never sending its login in the clear, and does not wait out every later step.
     */
    @Test
    void aServerThatDoesNotStartTlsGetsNothingMoreAndASilentOneEndsTheReplayEarly() throws Exception {
        Path starttls = tmp.resolve("starttls-refused.xscap");
        try (Federation fed = servers().start(tmp.resolve("refusing-servers"))) {
            recordStartTls(fed, starttls);
        }
        String refuse = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " from='a.example' id='f1' version='1.0'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
                + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";
        for (boolean silent : new boolean[] {false, true}) {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                    StringBuilder got = new StringBuilder();
                    boolean answered = false;
                    try (Socket s = server.accept()) {
                        s.setSoTimeout(15_000);
                        InputStream in = s.getInputStream();
                        byte[] buf = new byte[4096];
                        for (int n; (n = in.read(buf)) > 0; ) {
                            got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                            if (!silent && got.indexOf("<starttls") >= 0) {
                                s.getOutputStream().write(("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
                                        .getBytes(StandardCharsets.UTF_8));
                            } else if (!silent && !answered && got.indexOf("<stream:stream") >= 0) {
                                s.getOutputStream().write(refuse.getBytes(StandardCharsets.UTF_8));
                                answered = true;
                            }
                        }
                    } catch (IOException e) {
                        // the replay hung up: what it sent is in got
                    }
                    return got.toString();
                });
                long start = System.nanoTime();
                Run r = run("replay", starttls.toString(), "--connection", "1", "--to", "127.0.0.1:" + server.getLocalPort(),
                        "--user", "bob@a.example", "--password-file",
                        Files.writeString(tmp.resolve("refused-password"), "bob-pw\n").toString(), "--db",
                        tmp.resolve("refused-" + silent).toString(), "--timeout", "2");
                long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
                String sent = received.get(20, TimeUnit.SECONDS);
                assertEquals(1, r.exit(), r.out() + r.err());
                assertFalse(sent.contains("<auth"), "no login crossed without TLS (silent " + silent + "): " + sent);
                assertTrue(r.err().contains(silent
                        ? "the server sent no stream features within 2 s of the stream header: is --to an XMPP server's c2s port?"
                        : "the server answered <starttls/> with <failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>: the"
                                + " replay stops there rather than send the rest of the session, its login included, without"
                                + " the TLS the recorded client had"), r.err());
                assertTrue(seconds < 8, "one wait of --timeout, not one per step: " + seconds + " s");
            }
        }
    }

    /** A session recorded over Direct TLS (XEP-0368) is replayed over Direct TLS, to the server's Direct TLS port. */
    @Test
    void aDirectTlsSessionIsReplayedOverDirectTls() throws Exception {
        Path direct = tmp.resolve("direct.xscap");
        Path db = tmp.resolve("direct-replay");
        Run r;
        try (Federation fed = servers().start(tmp.resolve("direct-servers"))) {
            try (RecordingProxy proxy = RecordingProxy.start(tmp.resolve("direct-proxy"), fed.relayRoutes(), TlsMode.INTERCEPT,
                    true, false)) {
                try (XmppClient bob = XmppClient.options("a.example", fed.relayDirectTls("a.example"))
                        .directTls(TestCertificates.trustManager(proxy.ca().certificate())).login("bob", "bob-pw")) {
                    assertTrue(bob.jid().toString().startsWith("bob@a.example/"));
                }
                proxy.awaitCapture(c -> c.connections.size() == 1 && c.connections.get(0).closed() != null, "bob's session");
                CaptureFiles.export(proxy.store(), direct, Map.of(), ProgressBar.NONE);
            }
            InetSocketAddress server = fed.server("a.example").directTls();
            r = run("replay", direct.toString(), "--connection", "1", "--to",
                    server.getAddress().getHostAddress() + ":" + server.getPort(), "--user", "bob@a.example", "--password-file",
                    Files.writeString(tmp.resolve("direct-password"), "bob-pw\n").toString(), "--db", db.toString(),
                    "--timeout", "5", "--insecure");
        }
        assertTrue(r.exit() == 0 || r.exit() == 3, r.out() + r.err());
        assertFalse(r.out().contains("in vain") || r.out().contains("closed the stream before"),
                "the server understood the replay: " + r.out());
        Run negotiation = run("show", db.toString(), "--negotiation", "2", "--no-pager");
        String steps = negotiation.out();
        assertTrue(steps.contains("Client starts with TLS directly (XEP-0368)") && steps.contains("Authentication succeeded")
                && steps.contains("Bound to bob@a.example/"), steps + negotiation.err());
    }

    @Test
    void aConnectionTheCaptureLacksIsRefusedWithTheIdsItHasAndNothingIsWritten() throws Exception {
        Path db = tmp.resolve("no-such");
        Run r = replayBob(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5222), "bob-pw", db, "--connection", "99");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("no connection 99 in " + recorded + " (its connections: 1-2; 'xmppscope show " + recorded
                + "' lists them)"), r.err());
        assertFalse(Files.exists(CaptureStore.dataFile(db)) || Files.exists(CaptureStore.payloadFile(db)), "a capture was created");
    }

    @Test
    void aServerThatIsDownIsFoundBeforeAnythingIsWritten() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // nothing listens there once it is closed
        }
        Path db = tmp.resolve("down");
        Run r = replayBob(new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort), "bob-pw", db);
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("cannot connect to 127.0.0.1:" + closedPort), r.err());
        assertFalse(Files.exists(CaptureStore.dataFile(db)) || Files.exists(CaptureStore.payloadFile(db)), "a capture was created");
    }
}
