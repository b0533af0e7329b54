package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.testing.RecordingProxy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** A proxy killed with SIGKILL leaves a capture that opens and holds all but the last fraction of a second. */
class RecorderDurabilityTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void afterKillMinus9TheCaptureOpensAndHoldsEverythingOlderThanHalfASecond() throws Exception {
        Path db = tmp.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DurabilityChild.class.getName(), db.toString()).redirectErrorStream(true).start();
        AtomicInteger lastSent = new AtomicInteger(-1);
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("SENT ")) {
                        lastSent.set(Integer.parseInt(line.substring(5)));
                    } else {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                    }
                }
            } catch (java.io.IOException e) {
                synchronized (output) {
                    output.append("reader: ").append(e).append('\n');
                }
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (lastSent.get() < 100) {
                assertTrue(child.isAlive() && System.nanoTime() < deadline, "child never got going: " + output);
                Thread.sleep(20);
            }
            Thread.sleep(300);
            int durable = lastSent.get(); // sent at least half a second before the kill
            Thread.sleep(500);
            assertTrue(child.isAlive(), "child died on its own: " + output);
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
            child.waitFor(10, TimeUnit.SECONDS);

            try (CaptureStore store = CaptureStore.open(db)) {
                RecordingProxy.Capture c = captureOf(store);
                String up = c.text(1, Direction.TO_SERVER, TlsLayer.PLAIN);
                for (int i = 0; i <= durable; i++) {
                    assertTrue(up.contains("<message id='m" + i + "'/>"), "message m" + i + " of " + durable
                            + " sent >= 0.5 s before the kill is missing; stored up to: "
                            + up.substring(Math.max(0, up.length() - 80)));
                }
                assertTrue(c.connection(1).isOpen(), "the connection was never seen to close");
            }
        } finally {
            child.destroyForcibly();
        }
    }

    private static RecordingProxy.Capture captureOf(CaptureStore store) {
        RecordingProxy.Capture c = new RecordingProxy.Capture();
        try (var r = store.newReader()) {
            c.connections.addAll(r.connections());
            r.replay(new dev.xmppscope.capture.CaptureSink() {
                public void opened(dev.xmppscope.capture.ConnectionOpened o) { }
                public void chunk(dev.xmppscope.capture.Chunk ch) { c.chunks.add(ch); }
                public void event(dev.xmppscope.capture.ConnectionEvent e) { c.events.add(e); }
                public void closed(dev.xmppscope.capture.ConnectionClosed x) { }
            });
        }
        return c;
    }
}
