package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.capture.pcap.Tshark;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
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

    /** bob logged in without TLS, alice with STARTTLS, then a client whose STARTTLS ClientHello offers xmpp-client (ALPN). */
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
                startTlsOfferingXmppAlpn(c2s, fed.server("a.example").certificate().trustManager());
            } finally {
                capture.stop();
            }
        }
    }

    /** Begun at the stream restart after SASL: the header there is that restart, and the client is known once it binds. */
    @Test
    void aCaptureBegunAtTheRestartAfterSaslIsAConnectionJoinedAuthenticated() throws Exception {
        ConnectionView c = onlyConnection(cutAtClientDataAfter("xmpp.success", 0, "restart"));
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
        ConnectionView c = onlyConnection(cutAtClientDataAfter("xmpp.proceed", 0, "hello"));
        assertEquals("starttls-passthrough", c.tls());
        assertEquals("c2s", c.kind());
        assertTrue(c.kindInferred() != null, "no header says it");
        assertEquals("a.example", c.streamTo(), "named by its ClientHello's SNI");
        assertTrue(steps.stream().noneMatch(s -> s.title().contains("directly")), steps.toString());
    }

    /**
     * The same, from a client that offers xmpp-client (ALPN) in its STARTTLS handshake, as Direct TLS
     * needs: on 5222, the port for STARTTLS, it is still STARTTLS joined part-way, and the doubt is said.
     */
    @Test
    void aStartTlsClientHelloOfferingXmppAlpnOnTheStartTlsPortIsStartTlsWithTheDoubtSaid() throws Exception {
        ConnectionView c = onlyConnection(cutAtClientDataAfter("xmpp.proceed", 1, "hello-alpn"));
        assertEquals("starttls-passthrough", c.tls());
        assertEquals("c2s", c.kind());
        assertEquals("a.example", c.streamTo(), "named by its ClientHello's SNI");
        assertTrue(steps.stream().noneMatch(s -> s.title().contains("directly")), steps.toString());
        assertTrue(steps.stream().anyMatch(s -> s.title().equals("Client's TLS ClientHello asks for a.example (SNI) and offers"
                + " xmpp-client (ALPN)")), steps.toString());
        assertTrue(steps.stream().anyMatch(s -> s.detail().contains("its ClientHello offers xmpp-client (ALPN), as Direct TLS needs"
                + " and STARTTLS clients may also send: read as STARTTLS on 5222, the port for it, though Direct TLS there cannot be"
                + " ruled out")), steps.toString());
    }

    /**
     * Begun after alice's STARTTLS handshake (only TLS records: no ClientHello, so no SNI) beside
     * bob's whole login: her server is the one bob bound to at the same address, and her client is
     * one whose login is inside TLS, not an unauthenticated one.
     */
    @Test
    void aClientJoinedInsideTlsGoesToTheServerAnotherClientBoundToAtItsAddress() throws Exception {
        String alice = streamOf("xmpp.proceed");
        String ciphertext = Tshark.firstApplicationData(session, alice, 5222);
        Path cut = tmp.resolve("inside-tls.pcapng");
        Tshark.read(session, "-Y", "(tcp.stream == " + alice + " && frame.number >= " + ciphertext + ") || tcp.stream == "
                + streamOf("xmpp.success"), "-w", cut.toString());
        try (CaptureStore store = CaptureStore.open(tmp.resolve("inside-tls-db"))) {
            CaptureFiles.importInto(store, cut, ProgressBar.NONE, sink -> sink);
            try (Analyzer a = BulkAnalysisTest.analyzedAfresh(store, true)) {
                ConnectionView c = a.connections().stream().filter(v -> v.jid() == null).findFirst().orElseThrow();
                assertEquals("a.example", c.streamTo(), a.connections().toString());
                assertTrue(c.kindInferred().endsWith("; its ends named by the addresses they are at: " + c.server().replace(":5222", "")
                        + " serves a.example (a stream authenticated there)"), c.kindInferred());
                String client = a.graph().edges().stream().filter(e -> e.connections().contains(c.id())).map(GraphEdge::source)
                        .findFirst().orElseThrow(() -> new AssertionError("not drawn: " + a.graph()));
                assertEquals("client " + c.client() + " (inside TLS)", a.graph().nodes().stream().filter(n -> n.id().equals(client))
                        .findFirst().orElseThrow().label());
                assertEquals("server:a.example", a.graph().edges().stream().filter(e -> e.connections().contains(c.id())).findFirst()
                        .orElseThrow().target());
            }
        }
    }

    private static String streamOf(String element) throws Exception {
        return Tshark.read(session, "-Y", element, "-T", "fields", "-e", "tcp.stream").lines().findFirst().orElseThrow().trim();
    }

    /**
     * A client that starts TLS on a real Prosody with {@code <starttls/>} and offers xmpp-client
     * (ALPN) in its ClientHello, as some do; it reads the features inside TLS, then leaves.
     */
    private static void startTlsOfferingXmppAlpn(InetSocketAddress c2s, X509TrustManager trust) throws Exception {
        String header = "<?xml version='1.0'?><stream:stream to='a.example' version='1.0' xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams'>";
        try (Socket plain = new Socket(c2s.getAddress(), c2s.getPort())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(header.getBytes(StandardCharsets.UTF_8));
            readUntil(plain.getInputStream(), "</stream:features>");
            plain.getOutputStream().write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".getBytes(StandardCharsets.UTF_8));
            readUntil(plain.getInputStream(), "<proceed");
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "a.example", c2s.getPort(), true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setApplicationProtocols(new String[] {"xmpp-client"});
                parameters.setServerNames(List.of(new SNIHostName("a.example")));
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                tls.getOutputStream().write(header.getBytes(StandardCharsets.UTF_8));
                readUntil(tls.getInputStream(), "</stream:features>");
                tls.getOutputStream().write("</stream:stream>".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder read = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (read.indexOf(marker) < 0) {
            int n = in.read(buffer);
            if (n < 0) {
                fail("the server closed the stream before " + marker + ": " + read);
            }
            read.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
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
     * The session's TCP connection in which tshark decodes {@code element} (from the server) for the
     * {@code nth} time (from 0), from the first frame after it in which the client sends data on:
     * what a capture begun there holds.
     */
    private static Path cutAtClientDataAfter(String element, int nth, String name) throws Exception {
        String[] at = Tshark.read(session, "-Y", element, "-T", "fields", "-e", "tcp.stream", "-e", "frame.number").lines().skip(nth)
                .findFirst().orElseThrow(() -> new AssertionError("tshark finds no " + element + " #" + nth)).trim().split("\\s+");
        String stream = at[0];
        String first = Tshark.read(session, "-Y", "tcp.stream == " + stream + " && frame.number > " + at[1] + " && tcp.len > 0"
                + " && tcp.dstport == 5222", "-T", "fields", "-e", "frame.number").lines().findFirst().orElseThrow().trim();
        Path cut = tmp.resolve(name + ".pcapng");
        Tshark.read(session, "-Y", "tcp.stream == " + stream + " && frame.number >= " + first, "-w", cut.toString());
        return cut;
    }
}
