package dev.xmppscope.proxy;

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
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a real server will not produce on demand, injected with raw sockets on loopback: the
 * proxy passes each one on the way it happened and records when and why the connection ended.
 */
class ProxyFaultTest {
    private static final byte[] HEADER = RawXmppPeer.CLIENT_HEADER.getBytes(StandardCharsets.UTF_8);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;
    final LoopbackBlock block = LoopbackBlock.random();

    private RecordingProxy proxyTo(InetSocketAddress upstream) {
        String route = block.host(12) + ":0=" + upstream.getAddress().getHostAddress() + ":" + upstream.getPort();
        return RecordingProxy.start(tmp, List.of(route), TlsMode.PASSTHROUGH, true, false);
    }

    private ConnectionRecord onlyClosedConnection(RecordingProxy proxy) {
        return proxy.awaitCapture(c -> c.connections.size() == 1 && c.connections.get(0).closed() != null,
                "one closed connection").connections.get(0);
    }

    @Test
    void upstreamRefusingClosesTheClientCleanlyWithTheReason() throws Exception {
        InetSocketAddress nobody = block.socket(2, freePort(block));
        try (RecordingProxy proxy = proxyTo(nobody); Socket client = connect(proxy)) {
            client.getOutputStream().write(HEADER); // already sent when the refusal comes: must not turn into RST
            assertEquals(-1, client.getInputStream().read(), "a clean end of stream, not a reset");
            ConnectionRecord r = onlyClosedConnection(proxy);
            assertEquals(CloseReason.UPSTREAM_UNREACHABLE, r.closed().reason());
            assertEquals("upstream " + nobody.getAddress().getHostAddress() + ":" + nobody.getPort()
                    + " refused the connection", r.closed().detail());
        }
    }

    @Test
    void anInterceptedServerEndingInsideItsFeaturesStillHasEverythingItSentRelayed() throws Exception {
        String partialFeatures = "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + "<mechanism>SCRAM-SHA-1-PLUS</mechanism><mechanism>SCRAM";
        TestCertificates.Issued serverCert = TestCertificates.selfSigned(RawXmppPeer.DOMAIN);
        try (ServerSocket upstream = listen()) {
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket raw = upstream.accept(); Socket tls = RawXmppPeer.serverStartTls(raw, serverCert.serverContext())) {
                    RawXmppPeer.readUntil(tls.getInputStream(), RawXmppPeer.CLIENT_HEADER);
                    RawXmppPeer.write(tls.getOutputStream(), RawXmppPeer.SERVER_HEADER + partialFeatures);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            String route = block.host(12) + ":0=" + block.host(2) + ":" + upstream.getLocalPort();
            try (RecordingProxy proxy = RecordingProxy.start(tmp, List.of(route), TlsMode.INTERCEPT, true, false);
                 Socket raw = connect(proxy)) {
                SSLContext clientCtx = TestCertificates.clientContext(TestCertificates.trustManager(proxy.ca().certificate()));
                Socket tls = RawXmppPeer.clientStartTls(raw, clientCtx);
                RawXmppPeer.write(tls.getOutputStream(), RawXmppPeer.CLIENT_HEADER);
                String got;
                try {
                    got = new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (SSLException e) {
                    throw new AssertionError("the client's TLS stream did not end cleanly", e);
                }
                server.get(10, TimeUnit.SECONDS);
                tls.close(); // the client's side of the half-closed connection
                assertEquals(RawXmppPeer.SERVER_HEADER + partialFeatures, got,
                        "the features held back for -PLUS stripping reach the client, unchanged, when the server ends");
                ConnectionRecord r = onlyClosedConnection(proxy);
                RecordingProxy.Capture c = proxy.capture();
                assertEquals(1, c.events(r.id(), EventKind.HELD_FEATURES_RELAYED).size(), "the release is recorded");
            }
        }
    }

    @Test
    void anUpstreamResetMidStreamIsPassedOnAsAReset() throws Exception {
        try (ServerSocket upstream = listen()) {
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket s = upstream.accept()) {
                    s.getInputStream().readNBytes(HEADER.length);
                    s.getOutputStream().write("<stream:stream>".getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                    Thread.sleep(200);
                    s.setSoLinger(true, 0); // close with RST
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (RecordingProxy proxy = proxyTo((InetSocketAddress) upstream.getLocalSocketAddress());
                 Socket client = connect(proxy)) {
                client.getOutputStream().write(HEADER);
                InputStream in = client.getInputStream();
                assertEquals("<stream:stream>", new String(in.readNBytes(15), StandardCharsets.UTF_8));
                server.get(10, TimeUnit.SECONDS);
                assertThrows(SocketException.class, () -> {
                    while (in.read() >= 0) {
                        // a reset surfaces as an exception, a clean close as -1
                    }
                }, "the client sees the reset");
                ConnectionRecord r = onlyClosedConnection(proxy);
                assertEquals(CloseReason.SERVER_RESET, r.closed().reason(), r.closed().detail());
                assertTrue(r.closed().detail().startsWith("upstream "), r.closed().detail());
            }
        }
    }

    @Test
    void aVanishingClientIsPassedOnAsAResetToTheServer() throws Exception {
        try (ServerSocket upstream = listen()) {
            CompletableFuture<Throwable> server = CompletableFuture.supplyAsync(() -> {
                try (Socket s = upstream.accept()) {
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    in.readNBytes(HEADER.length);
                    while (in.read() >= 0) {
                        // until the reset
                    }
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            try (RecordingProxy proxy = proxyTo((InetSocketAddress) upstream.getLocalSocketAddress())) {
                Socket client = connect(proxy);
                client.getOutputStream().write(HEADER);
                Thread.sleep(200);
                client.setSoLinger(true, 0);
                client.close(); // RST
                Throwable seen = server.get(15, TimeUnit.SECONDS);
                assertTrue(seen instanceof SocketException, "server saw a reset, got " + seen);
                ConnectionRecord r = onlyClosedConnection(proxy);
                assertEquals(CloseReason.CLIENT_RESET, r.closed().reason(), r.closed().detail());
            }
        }
    }

    @Test
    void halfCloseIsPassedOnAndTheOtherDirectionKeepsFlowing() throws Exception {
        try (ServerSocket upstream = listen()) {
            CompletableFuture<String> server = CompletableFuture.supplyAsync(() -> {
                try (Socket s = upstream.accept()) {
                    byte[] all = s.getInputStream().readAllBytes(); // ends at the client's FIN, passed on by the proxy
                    s.getOutputStream().write("<after-your-fin/>".getBytes(StandardCharsets.UTF_8));
                    s.shutdownOutput();
                    return new String(all, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (RecordingProxy proxy = proxyTo((InetSocketAddress) upstream.getLocalSocketAddress());
                 Socket client = connect(proxy)) {
                client.getOutputStream().write(HEADER);
                client.shutdownOutput();
                String reply = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals("<after-your-fin/>", reply, "data after a half-close still reaches the client");
                assertEquals(RawXmppPeer.CLIENT_HEADER, server.get(10, TimeUnit.SECONDS));
                ConnectionRecord r = onlyClosedConnection(proxy);
                assertEquals(CloseReason.CLIENT_CLOSED, r.closed().reason());
                RecordingProxy.Capture c = proxy.capture();
                assertEquals(2, c.events(r.id(), EventKind.HALF_CLOSED).size(), c.toString());
                assertEquals("<after-your-fin/>", c.text(r.id(), Direction.TO_CLIENT, TlsLayer.PLAIN));
            }
        }
    }

    @Test
    void aServerThatNeverReadsStopsTheClientInsteadOfFillingTheProxysMemory() throws Exception {
        long attempt = 48L << 20;
        try (ServerSocket upstream = smallBufferedListener()) {
            CompletableFuture<Socket> accepted = acceptLater(upstream);
            try (RecordingProxy proxy = proxyTo((InetSocketAddress) upstream.getLocalSocketAddress());
                 Socket client = smallBufferedClient(proxy)) {
                AtomicLong written = new AtomicLong();
                CompletableFuture<Void> writer = flood(client, attempt, written);
                Socket server = accepted.get(10, TimeUnit.SECONDS);
                long stalledAt = awaitStall(written);
                assertFalse(writer.isDone(), "the client is blocked, not finished");
                assertTrue(stalledAt < 24L << 20, "the client could push only socket buffers and the proxy's"
                        + " water mark before being held back, but wrote " + (stalledAt >> 20) + " MiB");
                // now the server reads: everything flows, nothing was lost
                long total = server.getInputStream().readNBytes((int) (attempt + HEADER.length)).length;
                writer.get(60, TimeUnit.SECONDS);
                assertEquals(attempt + HEADER.length, total);
                server.close();
            }
        }
    }

    /**
     * A client that neither reads nor stops writing, in front of a server just as busy, resets: the
     * proxy's next write to it fails, and it closes the server's side, failing the writes it still
     * held for the server. That failure was taken for the server resetting ("upstream ... reset
     * the connection (null)").
     */
    @Test
    void aClientResettingWhileBothSidesAreBackedUpIsTheClientsReset() throws Exception {
        try (ServerSocket upstream = smallBufferedListener()) {
            CompletableFuture<Socket> accepted = acceptLater(upstream);
            try (RecordingProxy proxy = proxyTo((InetSocketAddress) upstream.getLocalSocketAddress());
                 Socket client = smallBufferedClient(proxy)) {
                AtomicLong written = new AtomicLong();
                CompletableFuture<Void> writer = flood(client, Long.MAX_VALUE, written)
                        .exceptionally(resetBelow -> null); // the reset below ends it
                try (Socket server = accepted.get(10, TimeUnit.SECONDS)) {
                    CompletableFuture.runAsync(() -> {
                        byte[] block64k = new byte[64 * 1024];
                        try {
                            while (true) {
                                server.getOutputStream().write(block64k); // for a client that never reads
                            }
                        } catch (IOException e) {
                            // the proxy's reset ends it
                        }
                    });
                    awaitStall(written); // the proxy holds bytes for each side that it has not taken yet
                    Thread.sleep(500);
                    client.setSoLinger(true, 0);
                    client.close(); // RST
                    writer.get(10, TimeUnit.SECONDS);
                    ConnectionRecord r = onlyClosedConnection(proxy);
                    assertEquals(CloseReason.CLIENT_RESET, r.closed().reason(), r.closed().detail());
                    assertTrue(r.closed().detail().matches("client [0-9.]+:\\d+ reset the connection \\(Connection reset.*\\)"),
                            r.closed().detail());
                }
            }
        }
    }

    @Test
    void connectionsOpenWhenTheProxyStopsAreRecordedAsEndedByTheShutdown() throws Exception {
        try (ServerSocket upstream = listen();
             dev.xmppscope.capture.CaptureStore store = dev.xmppscope.capture.CaptureStore.open(tmp.resolve("shutdown"))) {
            Recorder recorder = Recorder.start(store, false);
            Route route = Route.parse(block.host(12) + ":0=" + block.host(2) + ":" + upstream.getLocalPort(), TlsMode.PASSTHROUGH);
            ProxyServer proxy = ProxyServer.start(new ProxyOptions(List.of(route), false, null), recorder);
            try (Socket client = new Socket()) {
                client.connect(proxy.boundAddresses().get(0), 10_000);
                client.setSoTimeout(10_000);
                try (Socket server = upstream.accept()) {
                    client.getOutputStream().write(HEADER);
                    server.getInputStream().readNBytes(HEADER.length); // relayed: the connection is up
                    proxy.close();
                    assertEquals(-1, client.getInputStream().read(), "the client is closed, not left hanging");
                }
            } finally {
                recorder.close();
            }
            try (var reader = store.newReader()) {
                ConnectionRecord r = reader.connections().get(0);
                assertEquals(CloseReason.PROXY_SHUTDOWN, r.closed().reason());
            }
        }
    }

    /** A listener with a small receive buffer, so that a server that does not read backs up soon. */
    private ServerSocket smallBufferedListener() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReceiveBufferSize(64 * 1024);
        s.bind(new InetSocketAddress(block.address(2), 0));
        return s;
    }

    /** A client of {@code proxy} with a small send buffer, so that it is held back soon. */
    private static Socket smallBufferedClient(RecordingProxy proxy) throws IOException {
        Socket client = new Socket();
        client.setSendBufferSize(64 * 1024);
        client.connect(proxy.boundAddresses().get(0), 10_000);
        return client;
    }

    /**
     * Writes a stream header, then 64 KiB blocks until {@code upTo} bytes are {@code written}, on
     * another thread; the future fails with the write's failure.
     */
    private static CompletableFuture<Void> flood(Socket client, long upTo, AtomicLong written) {
        return CompletableFuture.runAsync(() -> {
            byte[] block64k = new byte[64 * 1024];
            try {
                OutputStream out = client.getOutputStream();
                out.write(HEADER);
                while (written.get() < upTo) {
                    out.write(block64k);
                    written.addAndGet(block64k.length);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The next connection {@code upstream} accepts, taken on another thread while the test drives the client. */
    private static CompletableFuture<Socket> acceptLater(ServerSocket upstream) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return upstream.accept();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Waits until the writer stops advancing (held back by TCP), returning how far it got. */
    private static long awaitStall(AtomicLong written) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 100; i++) {
            Thread.sleep(100);
            long now = written.get();
            if (now == last && now > 0) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the writer never stalled: " + written.get() + " bytes written");
    }

    private ServerSocket listen() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(block.address(2), 0));
        return s;
    }

    private static Socket connect(RecordingProxy proxy) throws IOException {
        Socket s = new Socket();
        s.connect(proxy.boundAddresses().get(0), 10_000);
        s.setSoTimeout(15_000);
        return s;
    }

    private static int freePort(LoopbackBlock block) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(block.address(2), 0));
            return s.getLocalPort();
        }
    }
}
