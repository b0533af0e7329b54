package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionRecord;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.LoopbackBlock;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * An intercepted Direct TLS connection (XEP-0368) whose upstream certificate is checked, not
 * accepted blindly: a client that sends no SNI (slixmpp connecting to an IP literal) still gets
 * through when the certificate chains to {@code --upstream-ca}, and an upstream that fails the
 * check is named as the culprit, not the client.
 */
class DirectTlsUpstreamTest {
    private static final byte[] HELLO = "<message><body>through direct TLS</body></message>".getBytes(StandardCharsets.UTF_8);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private final TestCertificates.Issued serverCert = TestCertificates.selfSigned(RawXmppPeer.DOMAIN);

    @Test
    void aClientWithoutSniGetsThroughWhenTheUpstreamChainsToTheGivenCa() throws Exception {
        withUpstream(route -> RecordingProxy.trusting(tmp, List.of(route), TlsMode.INTERCEPT,
                List.of(serverCert.certificate())), (proxy, upstream) -> {
            CompletableFuture<byte[]> atServer = CompletableFuture.supplyAsync(() -> serveOnce(upstream));
            try (Socket raw = connect(proxy)) {
                // the client checks by hand that the certificate it is shown names its domain
                SSLSocket tls = RawXmppPeer.clientTls(raw, clientTrusting(proxy.ca().certificate()), false);
                tls.getOutputStream().write(HELLO);
                tls.getOutputStream().flush();
                assertArrayEquals(HELLO, tls.getInputStream().readNBytes(HELLO.length), "the upstream's echo");
            }
            assertArrayEquals(HELLO, atServer.get(20, TimeUnit.SECONDS));
            RecordingProxy.Capture c = proxy.awaitCapture(cap -> cap.connections.size() == 1
                    && cap.connections.get(0).closed() != null, "the closed connection");
            long id = c.connections.get(0).id();
            assertEquals(2, c.events(id, EventKind.TLS_ESTABLISHED).size(), c.toString());
            assertTrue(new String(c.bytes(id, Direction.TO_SERVER, TlsLayer.DECRYPTED), StandardCharsets.UTF_8)
                    .contains("through direct TLS"), c.toString());
        });
    }

    @Test
    void anUpstreamItDoesNotTrustIsBlamedOnTheUpstreamNotOnTheClient() throws Exception {
        X509Certificate someoneElse = TestCertificates.selfSigned("other.example").certificate();
        for (boolean sni : new boolean[] {true, false}) {
            withUpstream(route -> RecordingProxy.trusting(tmp.resolve("sni-" + sni), List.of(route), TlsMode.INTERCEPT,
                    List.of(someoneElse)), (proxy, upstream) -> {
                CompletableFuture.runAsync(() -> {
                    try (Socket s = upstream.accept()) {
                        RawXmppPeer.serverTls(s, serverCert.serverContext());
                    } catch (IOException expected) {
                        // the proxy refuses this server's certificate mid-handshake
                    }
                });
                try (Socket raw = connect(proxy)) {
                    assertThrows(IOException.class, () -> RawXmppPeer.clientTls(raw, clientTrusting(proxy.ca().certificate()), sni));
                }
                ConnectionRecord r = proxy.awaitCapture(cap -> cap.connections.size() == 1
                        && cap.connections.get(0).closed() != null, "the closed connection").connections.get(0);
                String why = r.closed().detail();
                assertEquals(CloseReason.TLS_FAILED, r.closed().reason(), why);
                assertTrue(why.contains("upstream") && why.contains("--upstream-ca"), "sni " + sni + ": " + why);
                assertFalse(why.contains("trust xmppscope's CA"), "the client did nothing wrong (sni " + sni + "): " + why);
                assertTrue(proxy.capture().events(r.id(), EventKind.TLS_FAILED).stream()
                        .allMatch(e -> e.direction() == Direction.TO_SERVER), "only the upstream's TLS failed");
            });
        }
    }

    /** A proxy made by {@code proxy} on a route to a fresh upstream socket, handed to {@code test} with that socket. */
    private void withUpstream(Function<String, RecordingProxy> proxy, ProxyTest test) throws Exception {
        LoopbackBlock block = LoopbackBlock.random();
        try (ServerSocket upstream = new ServerSocket()) {
            upstream.bind(new InetSocketAddress(block.address(2), 0));
            upstream.setSoTimeout(20_000);
            try (RecordingProxy p = proxy.apply(block.host(12) + ":0=" + block.host(2) + ":" + upstream.getLocalPort())) {
                test.run(p, upstream);
            }
        }
    }

    private interface ProxyTest {
        void run(RecordingProxy proxy, ServerSocket upstream) throws Exception;
    }

    /** Accepts one connection speaking TLS from its first byte and echoes what the client sent. */
    private byte[] serveOnce(ServerSocket upstream) {
        try (Socket raw = upstream.accept()) {
            raw.setSoTimeout(20_000);
            SSLSocket tls = RawXmppPeer.serverTls(raw, serverCert.serverContext());
            byte[] got = tls.getInputStream().readNBytes(HELLO.length);
            tls.getOutputStream().write(got);
            tls.getOutputStream().flush();
            return got;
        } catch (IOException e) {
            throw new IllegalStateException("upstream peer: " + e, e);
        }
    }

    private static Socket connect(RecordingProxy proxy) throws IOException {
        Socket raw = new Socket();
        raw.connect(proxy.boundAddresses().get(0), 10_000);
        raw.setSoTimeout(20_000);
        return raw;
    }

    private static SSLContext clientTrusting(X509Certificate ca) {
        return TestCertificates.clientContext(TestCertificates.trustManager(ca));
    }
}
