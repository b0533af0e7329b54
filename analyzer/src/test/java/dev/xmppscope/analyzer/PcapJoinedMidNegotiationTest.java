package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.capture.pcap.Tshark;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures that begin at a step of the negotiation, as a capture started by hand or a ring
 * buffer's later file does: cut by tshark from a real session (Smack on a real Prosody, captured
 * by dumpcap) at the frame where that step begins. They must read as what they are, connections
 * joined part-way, with what can still be known of them.
 */
class PcapJoinedMidNegotiationTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;

    /** bob logged in without TLS, alice with STARTTLS; both then leave. */
    static Path session;
    static String bob;

    @BeforeAll
    static void captureARealSession() throws Exception {
        session = tmp.resolve("session.pcapng");
        try (Federation fed = Federation.aliceAndBobUnrelayed().start(tmp.resolve("servers"))) {
            InetSocketAddress c2s = fed.server("a.example").c2s();
            Tshark.Capture capture = Tshark.capture(Tshark.trafficOf(c2s), session, false);
            try (XmppClient plain = XmppClient.options("a.example", c2s).resource("phone").login("bob", "bob-secret")) {
                bob = plain.jid().toString();
                try (XmppClient tls = XmppClient.options("a.example", c2s).startTls(fed.server("a.example").certificate().trustManager())
                        .login("alice", "alice-secret")) {
                    assertTrue(tls.isSecureConnection());
                }
            } finally {
                capture.stop();
            }
        }
    }

    /** Begun at the stream restart after SASL: the header there is that restart, and the client is known once it binds. */
    @Test
    void aCaptureBegunAtTheRestartAfterSaslIsAConnectionJoinedAuthenticated() throws Exception {
        ConnectionView c = onlyConnection(cutAtClientDataAfter("xmpp.success", "restart"));
        assertEquals("c2s", c.kind());
        assertEquals(bob, c.jid(), "the client is named by the JID it binds");
        assertNull(c.error());
        assertNull(c.kindInferred(), "read from the header");
        List<String> titles = steps.stream().map(NegotiationStep::title).toList();
        assertEquals("Client restarts its stream to a.example, already authenticated", titles.get(0), titles.toString());
        assertTrue(titles.contains("The capture began at the stream's restart after authentication: the connection's opening, its TLS"
                + " and its login are not in it"), titles.toString());
    }

    /** Begun at the ClientHello that follows {@code <proceed/>}: STARTTLS joined part-way, not Direct TLS. */
    @Test
    void aCaptureBegunAtTheClientHelloAfterProceedIsStartTlsNotDirectTls() throws Exception {
        ConnectionView c = onlyConnection(cutAtClientDataAfter("xmpp.proceed", "hello"));
        assertEquals("starttls-passthrough", c.tls());
        assertEquals("c2s", c.kind());
        assertTrue(c.kindInferred() != null, "no header says it");
        assertEquals("a.example", c.streamTo(), "named by its ClientHello's SNI");
        assertTrue(steps.stream().noneMatch(s -> s.title().contains("directly")), steps.toString());
    }

    private List<NegotiationStep> steps;

    private ConnectionView onlyConnection(Path pcap) {
        try (CaptureStore store = CaptureStore.open(tmp.resolve(pcap.getFileName() + "-db"))) {
            CaptureFiles.importInto(store, pcap, ProgressBar.NONE, sink -> sink);
            try (Analyzer a = BulkAnalysisTest.analyzedAfresh(store, true)) {
                assertEquals(1, a.connections().size(), a.connections().toString());
                ConnectionView c = a.connections().get(0);
                steps = a.negotiation(c.id());
                return c;
            }
        }
    }

    /**
     * The session's TCP connection in which tshark decodes {@code element} (from the server), from
     * the first frame after it in which the client sends data on: what a capture begun there holds.
     */
    private static Path cutAtClientDataAfter(String element, String name) throws Exception {
        String[] at = tshark(session, "-Y", element, "-T", "fields", "-e", "tcp.stream", "-e", "frame.number").lines().findFirst()
                .orElseThrow(() -> new AssertionError("tshark finds no " + element)).trim().split("\\s+");
        String stream = at[0];
        String first = tshark(session, "-Y", "tcp.stream == " + stream + " && frame.number > " + at[1] + " && tcp.len > 0"
                + " && tcp.dstport == 5222", "-T", "fields", "-e", "frame.number").lines().findFirst().orElseThrow().trim();
        Path cut = tmp.resolve(name + ".pcapng");
        tshark(session, "-Y", "tcp.stream == " + stream + " && frame.number >= " + first, "-w", cut.toString());
        return cut;
    }

    private static String tshark(Path file, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/tshark", "-r", file.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("tshark " + String.join(" ", args) + " failed");
        }
        return out;
    }
}
