package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.LoopbackBlock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recorder whose store falls behind pauses the relay; nothing is dropped, and it all flows once it catches up. */
class RecorderBackpressureTest {
    @TempDir
    Path tmp;

    @Test
    void aStalledStoreHoldsTheRelayBackInsteadOfDroppingOrBuffering() throws Exception {
        int total = 16 << 20;
        LoopbackBlock block = LoopbackBlock.random();
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong atServer = new AtomicLong();
        try (CaptureStore store = CaptureStore.open(tmp.resolve("c")); ServerSocket upstream = new ServerSocket()) {
            upstream.bind(new InetSocketAddress(block.address(2), 0));
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket s = upstream.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[65536];
                    for (int n; atServer.get() < total && (n = in.read(buf)) >= 0; ) {
                        atServer.addAndGet(n);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Recorder recorder = Recorder.start(store, false, 1 << 20);
            recorder.beforeEachBatch = () -> { // a store that stops taking writes (a full or stuck disk)
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            Route route = Route.parse(block.host(12) + ":0=" + block.host(2) + ":" + upstream.getLocalPort(), TlsMode.PASSTHROUGH);
            try (ProxyServer proxy = ProxyServer.start(new ProxyOptions(List.of(route), false, null), recorder);
                 Socket client = new Socket()) {
                client.connect(proxy.boundAddresses().get(0), 10_000);
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        OutputStream out = client.getOutputStream();
                        byte[] chunk = new byte[32 * 1024];
                        for (int sent = 0; sent < total; sent += chunk.length) {
                            out.write(chunk);
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                long stalled = awaitStable(atServer);
                assertTrue(recorder.isBehind(), "the recorder reports it is behind");
                assertTrue(stalled < 8 << 20, "the relay paused near the recorder's 1 MiB limit, but "
                        + (stalled >> 20) + " MiB went through");
                release.countDown();
                writer.get(60, TimeUnit.SECONDS);
                server.get(60, TimeUnit.SECONDS);
                assertEquals(total, atServer.get());
            } finally {
                release.countDown();
                recorder.close();
            }
            long stored;
            try (var reader = store.newReader()) {
                AtomicLong sum = new AtomicLong();
                reader.replay(CaptureSink.ofChunks(c -> {
                    if (c.direction() == Direction.TO_SERVER) {
                        sum.addAndGet(c.length());
                    }
                }));
                stored = sum.get();
            }
            assertEquals(total, stored, "every byte relayed is in the store");
        }
    }

    private static long awaitStable(AtomicLong counter) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 100; i++) {
            Thread.sleep(200);
            long now = counter.get();
            if (now == last && now > 0) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the relay never paused: " + counter.get() + " bytes through");
    }
}
