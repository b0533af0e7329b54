package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.LoopbackBlock;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How many threads relay: one per core unless told, and one is enough for many connections. */
class ProxyThreadsTest {
    @TempDir
    Path tmp;
    final LoopbackBlock block = LoopbackBlock.random();

    private CaptureStore store;
    private Recorder recorder;

    @AfterEach
    void closeRecording() {
        if (recorder != null) {
            recorder.close();
            store.close();
        }
    }

    /** A real recorder into an H2 file in the test's directory. */
    private Recorder recorder() {
        store = CaptureStore.open(tmp.resolve("capture"));
        recorder = Recorder.start(store, false);
        return recorder;
    }

    private Route routeTo(ServerSocket upstream) {
        return Route.parse(block.host(12) + ":0=" + block.host(2) + ":" + upstream.getLocalPort(), TlsMode.PASSTHROUGH);
    }

    @Test
    void oneEventLoopPerCoreByDefault() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, block.address(2));
             ProxyServer proxy = ProxyServer.start(new ProxyOptions(List.of(routeTo(upstream)), false, null), recorder())) {
            assertEquals(Runtime.getRuntime().availableProcessors(), proxy.ioThreads());
        }
    }

    @Test
    void oneThreadRelaysSeveralConnectionsAtOnce() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, block.address(2));
             ProxyServer proxy = ProxyServer.start(new ProxyOptions(List.of(routeTo(upstream)), false, null, List.of(), 1),
                     recorder())) {
            assertEquals(1, proxy.ioThreads());
            List<Socket> clients = new ArrayList<>();
            List<Socket> servers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket c = new Socket();
                    c.connect(proxy.boundAddresses().get(0), 10_000);
                    c.setSoTimeout(10_000);
                    clients.add(c);
                    Socket s = upstream.accept();
                    s.setSoTimeout(10_000);
                    servers.add(s);
                }
                for (int i = 0; i < 3; i++) { // all three open at once, each relayed both ways
                    byte[] up = ("<stream:stream to='c" + i + "'>").getBytes(StandardCharsets.UTF_8);
                    byte[] down = ("<stream:stream from='s" + i + "'>").getBytes(StandardCharsets.UTF_8);
                    clients.get(i).getOutputStream().write(up);
                    assertArrayEquals(up, servers.get(i).getInputStream().readNBytes(up.length));
                    servers.get(i).getOutputStream().write(down);
                    assertArrayEquals(down, clients.get(i).getInputStream().readNBytes(down.length));
                }
                // recorded before relayed; what JitYield waits for before the compiler yields
                assertTrue(proxy.readsRelayed() >= 6, "every read of both directions counts: " + proxy.readsRelayed());
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
                for (Socket s : servers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aNegativeThreadCountIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProxyOptions(List.of(Route.parse("127.0.0.1:1=127.0.0.2:2", TlsMode.PASSTHROUGH)), false, null, List.of(), -1));
        assertEquals("--io-threads must be 1 or more (or 0: one per core), not -1", e.getMessage());
    }
}
