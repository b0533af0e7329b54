package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionRecord;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.LoopbackBlock;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * An intercepted Direct TLS connection (XEP-0368) whose upstream certificate is checked, not
 * accepted blindly: an upstream that fails the check is named as the culprit, not the client.
 */
class DirectTlsUpstreamTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private final TestCertificates.Issued serverCert = TestCertificates.selfSigned(RawXmppPeer.DOMAIN);

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
