package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureRecord;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.LoopbackBlock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live analysis runs beside recording, never in its way: a listener that stops taking data slows
 * neither the relay nor the store, holds a bounded amount in memory, and once it moves again it
 * catches up from the store and sees everything, once, in order.
 */
class RecorderSlowListenerTest {
    private static final String AUTH = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>";

    @TempDir
    Path tmp;

    @Test
    void aStalledListenerSlowsNeitherTheRelayNorTheStoreAndLaterSeesEveryByteInOrder() throws Exception {
        int total = 16 << 20;
        LoopbackBlock block = LoopbackBlock.random();
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong atServer = new AtomicLong();
        StreamCheck heard = new StreamCheck(release);
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
            // the recorder's own limit is 1 MiB: were the listener in its way, the relay would stall at once
            Recorder recorder = Recorder.start(store, false, 1 << 20);
            recorder.addListener(heard, 1 << 20);
            Route route = Route.parse(block.host(12) + ":0=" + block.host(2) + ":" + upstream.getLocalPort(), TlsMode.PASSTHROUGH);
            try (ProxyServer proxy = ProxyServer.start(new ProxyOptions(List.of(route), false, null), recorder)) {
                try (Socket client = new Socket()) {
                    client.connect(proxy.boundAddresses().get(0), 10_000);
                    OutputStream out = client.getOutputStream();
                    byte[] chunk = new byte[32 * 1024];
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = (byte) ('a' + i % 26);
                    }
                    for (int sent = 0; sent < total; sent += chunk.length) {
                        out.write(chunk);
                    }
                    server.get(60, TimeUnit.SECONDS);
                }
                assertEquals(total, atServer.get(), "the relay delivered everything while the listener was stuck");
                // the writer commits every 100 ms at most: allow it a moment for the last batch
                long stored = storedToServer(store);
                for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); stored < total && System.nanoTime() < deadline; ) {
                    Thread.sleep(50);
                    stored = storedToServer(store);
                }
                assertEquals(total, stored, "the store holds everything while the listener was stuck");
                assertTrue(heard.bytes.get() < total, "the stuck listener has not seen it all yet");
                release.countDown();
            } finally {
                release.countDown();
                recorder.close(); // waits for the listener
            }
            assertEquals(total, heard.bytes.get(), "the listener saw every byte once it moved again");
            assertEquals(List.of(), heard.problems, "and saw them in order, each once");
            assertTrue(recorder.listenerCatchUps() > 0, "it caught up from the store, not from an unbounded queue");
        }
    }

    @Test
    void aListenerThatCatchesUpFromTheStoreSeesWhatTheStoreHoldsInTheSameOrder() {
        CountDownLatch release = new CountDownLatch(1);
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        CaptureSink slow = new CaptureSink() {
            public void opened(ConnectionOpened c) { heard.add("opened " + c.id()); }
            public void chunk(Chunk c) {
                await(release);
                heard.add(c.connectionId() + " chunk " + c.seq() + " " + new String(c.bytes(), StandardCharsets.UTF_8));
            }
            public void event(ConnectionEvent e) { heard.add(e.connectionId() + " event " + e.seq() + " " + e.kind()); }
            public void closed(ConnectionClosed c) { heard.add("closed " + c.id()); }
        };
        List<String> expected = new ArrayList<>();
        try (CaptureStore store = CaptureStore.open(tmp.resolve("d"))) {
            Recorder r = Recorder.start(store, false);
            try {
                r.addListener(slow, 4096);
                long[] offsets = new long[4];
                long t = 1_000;
                for (int id = 1; id <= 3; id++) {
                    r.opened(new ConnectionOpened(id, "l=u", "l", "c", "u", TlsMode.PASSTHROUGH, t++));
                    expected.add("opened " + id);
                }
                for (int id = 1; id <= 3; id++) {
                    String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
                    r.chunk(Chunk.of(id, 0, Direction.TO_SERVER, t++, TlsLayer.PLAIN, 0, header.getBytes(StandardCharsets.UTF_8)));
                    offsets[id] = header.length();
                    expected.add(id + " chunk 0 " + header);
                }
                for (int i = 0; i < 3000; i++) {
                    int id = 1 + i % 3;
                    String text = i % 500 == 7 ? AUTH : "<message id='m" + i + "'><body>hello " + i + "</body></message>";
                    byte[] b = text.getBytes(StandardCharsets.UTF_8);
                    long seq = i / 3 + 1;
                    r.chunk(Chunk.of(id, seq, Direction.TO_SERVER, t++, TlsLayer.PLAIN, offsets[id], b));
                    offsets[id] += b.length;
                    String stored = text.equals(AUTH) ? AUTH.replace("AGFsaWNlAHNlY3JldA==", "AGFsaWNlACoqKioqKg==") /* only the password masked */ : text;
                    expected.add(id + " chunk " + seq + " " + stored);
                    if (text.equals(AUTH)) {
                        expected.add(id + " event " + seq + " SECRET_REDACTED");
                    }
                }
                for (int id = 1; id <= 3; id++) {
                    r.closed(new ConnectionClosed(id, t++, CloseReason.CLIENT_CLOSED, "bye", offsets[id], 0));
                    expected.add("closed " + id);
                }
                assertFalse(r.isBehind(), "the recorder does not wait for its listener");
            } finally {
                release.countDown();
                r.close();
            }
            assertSameSequence(expected, heard);
            assertTrue(r.listenerCatchUps() > 0, "the listener went over its 4 KiB budget and read from the store");
            assertEquals(Optional.empty(), r.shortfallOf(slow), "it took every record: the proxy may keep its analysis");
        }
    }

    @Test
    void aListenerBehindAFloodWaitsForTheTrafficToEaseAndThenCatchesUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong heard = new AtomicLong();
        try (CaptureStore store = CaptureStore.open(tmp.resolve("f"))) {
            Recorder r = Recorder.start(store, false);
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong flooded = new AtomicLong();
            Thread flood = new Thread(() -> {
                byte[] piece = ("<message><body>" + "x".repeat(64 * 1024) + "</body></message>").getBytes(StandardCharsets.UTF_8);
                for (long seq = 0; flooding.get(); seq++) {
                    while (r.isBehind() && flooding.get()) {
                        LockSupport.parkNanos(1_000_000); // as the relay does: no more while the writer is behind
                    }
                    r.chunk(Chunk.of(1, seq, Direction.TO_SERVER, 1_000 + seq, TlsLayer.PLAIN, flooded.get(), piece));
                    flooded.addAndGet(piece.length);
                    LockSupport.parkNanos(2_000_000); // ~30 MB/s: a flood to a listener that follows 1 MB/s, not to the disk
                }
            });
            try {
                // a listener said to follow 1 MB/s, with 256 KiB of memory: any flood outruns it
                Supplier<ListenerState> state = r.addListener(CaptureSink.ofChunks(c -> {
                    await(release);
                    heard.addAndGet(c.length());
                }), 256 << 10, 1 << 20, 1);
                assertEquals(ListenerState.LIVE, state.get());
                r.opened(new ConnectionOpened(1, "l=u", "l", "c", "u", TlsMode.PASSTHROUGH, 1));
                flood.start();
                while (flooded.get() < 8 << 20) {
                    Thread.sleep(10);
                }
                release.countDown(); // the listener moves again, far behind, while the flood goes on
                Thread.sleep(1500);
                assertEquals(0, r.listenerCatchUps(), "no catch-up while the flood outruns the listener");
                assertTrue(heard.get() <= 256 << 10, "it took no more than it held when it fell behind: " + heard.get());
                assertTrue(flooded.get() >= 16 << 20, "the flood went on meanwhile: " + flooded.get());
                long floodedBefore = flooded.get();
                ListenerState paused = state.get();
                long floodedAfter = flooded.get();
                assertEquals(ListenerState.Phase.PAUSED, paused.phase(), "the state says so: " + paused);
                assertTrue(paused.intakeBytesPerSecond() > paused.followableBytesPerSecond()
                        && paused.followableBytesPerSecond() >= 1 << 20, "and why: " + paused);
                // what it missed: all but the 256 KiB it took, less what was not committed yet (a few ms of the flood)
                assertTrue(paused.behindNanos() > 0 && paused.behindBytes() > floodedBefore - (4 << 20)
                        && paused.behindBytes() <= floodedAfter + (floodedAfter >> 8), "and how far behind it is: " + paused
                        + " after " + floodedBefore + " bytes");
                flooding.set(false);
                flood.join();
                for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                     state.get().phase() != ListenerState.Phase.LIVE && System.nanoTime() < deadline; ) {
                    Thread.sleep(20);
                }
                assertTrue(r.listenerCatchUps() > 0, "once the traffic eased it caught up from the store");
                assertEquals(ListenerState.LIVE, state.get(), "and is live again");
            } finally {
                flooding.set(false);
                release.countDown();
                flood.join();
                r.close();
            }
            assertEquals(flooded.get(), heard.get(), "and saw every byte");
        }
    }

    /**
     * Stopping while a listener catches up from the store waits a bounded time, then leaves the
     * rest in the store: the listener stops between two items, and the store stays readable (an
     * interrupted read of its payload file used to close that file for everyone).
     */
    @Test
    void closingGivesUpOnAListenerStillCatchingUpAndLeavesTheStoreWhole() throws Exception {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("g"))) {
            Recorder r = Recorder.start(store, false);
            r.opened(new ConnectionOpened(1, "l=u", "l", "c", "u", TlsMode.PASSTHROUGH, 1));
            byte[] piece = ("<message><body>" + "y".repeat(16 << 10) + "</body></message>").getBytes(StandardCharsets.UTF_8);
            List<CaptureRecord> items = new ArrayList<>();
            for (int seq = 0; seq < 400; seq++) { // 6.5 MB
                Chunk c = Chunk.of(1, seq, Direction.TO_SERVER, 1_000 + seq, TlsLayer.PLAIN, (long) seq * piece.length, piece);
                r.chunk(c);
                items.add(c);
            }
            r.close();
            long stored = storedToServer(store);
            AtomicLong heard = new AtomicLong();
            // 64 KiB of memory: it falls behind at once and catches up from the store, 10 ms a chunk (1.6 MB/s)
            ListenerFeed feed = new ListenerFeed(CaptureSink.ofChunks(c -> {
                LockSupport.parkNanos(10_000_000);
                heard.addAndGet(c.length());
            }), store, 64 << 10, 1 << 20, 1);
            feed.offer(items, new SkippedChunks());
            while (feed.catchUpPasses() == 0) {
                Thread.sleep(10);
            }
            long start = System.nanoTime();
            feed.close(1000);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis < 3000, "close gave up after its second: " + tookMillis + " ms");
            long atClose = heard.get();
            assertTrue(atClose > 0 && atClose < stored, "it stopped part way: " + atClose + " of " + stored);
            Thread.sleep(100);
            assertEquals(atClose, heard.get(), "and took nothing more");
            assertEquals(stored, storedToServer(store), "the store reads whole afterwards");
            String shortfall = feed.shortfall().orElseThrow(); // what the proxy says as it keeps no analysis
            assertTrue(shortfall.matches("it stopped [\\d,]+ MB short of the recording, after 1 s of catching up"), shortfall);
        }
    }

    /** A listener that takes no chunks (the connection log) is not handed them, so a flood cannot put it behind. */
    @Test
    void aListenerThatTakesNoChunksNeverFallsBehindAFlood() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        try (CaptureStore store = CaptureStore.open(tmp.resolve("n"))) {
            Recorder r = Recorder.start(store, false);
            Supplier<ListenerState> state = r.addListener(new CaptureSink() {
                public void opened(ConnectionOpened c) {
                    await(release); // stuck, as a starved thread would be, while the bytes flow
                    heard.add("opened " + c.id());
                }

                public void chunk(Chunk c) {
                    heard.add("chunk");
                }

                public void event(ConnectionEvent e) { }

                public void closed(ConnectionClosed c) {
                    heard.add("closed " + c.id());
                }

                @Override
                public boolean takesChunks() {
                    return false;
                }
            }, 1 << 20);
            byte[] piece = new byte[64 << 10];
            r.opened(new ConnectionOpened(1, "l=u", "l", "c", "u", TlsMode.PASSTHROUGH, 1));
            for (int seq = 0; seq < 128; seq++) { // 8 MiB against 1 MiB of memory
                r.chunk(Chunk.of(1, seq, Direction.TO_SERVER, 1_000 + seq, TlsLayer.PLAIN, (long) seq * piece.length, piece));
            }
            r.closed(new ConnectionClosed(1, 2_000, CloseReason.CLIENT_CLOSED, "", 128L * piece.length, 0));
            Thread.sleep(300); // several commits
            assertEquals(ListenerState.LIVE, state.get(), "not behind");
            release.countDown();
            r.close();
            assertEquals(0, r.listenerCatchUps(), "no catch-up from the store");
            assertEquals(List.of("opened 1", "closed 1"), heard);
        }
    }

    /**
     * The recorder holds no chunks for a listener that is behind, only what it needs to catch up.
     * If the listener went live again meanwhile, it falls behind for them and reads them from the store.
     */
    @Test
    void chunksTheRecorderDidNotHoldReachAListenerThatWentLiveMeanwhileFromTheStore() throws Exception {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("s"))) {
            Recorder r = Recorder.start(store, false);
            ConnectionOpened opened = new ConnectionOpened(1, "l=u", "l", "c", "u", TlsMode.PASSTHROUGH, 1);
            r.opened(opened);
            byte[] piece = "<presence/>".getBytes(StandardCharsets.UTF_8);
            List<Chunk> chunks = new ArrayList<>();
            for (int seq = 0; seq < 50; seq++) {
                Chunk c = Chunk.of(1, seq, Direction.TO_SERVER, 1_000 + seq, TlsLayer.PLAIN, (long) seq * piece.length, piece);
                r.chunk(c);
                chunks.add(c);
            }
            r.close();
            List<String> heard = Collections.synchronizedList(new ArrayList<>());
            ListenerFeed feed = new ListenerFeed(new CaptureSink() {
                public void opened(ConnectionOpened c) { heard.add("opened " + c.id()); }
                public void chunk(Chunk c) { heard.add("chunk " + c.seq()); }
                public void event(ConnectionEvent e) { }
                public void closed(ConnectionClosed c) { }
            }, store, 1 << 20, 1 << 20, 1);
            List<CaptureRecord> held = new ArrayList<>(List.of(opened));
            held.addAll(chunks.subList(0, 20));
            feed.offer(held, new SkippedChunks());
            SkippedChunks skipped = new SkippedChunks();
            chunks.subList(20, 50).forEach(skipped::add);
            feed.offer(List.of(), skipped);
            feed.close(10_000);
            List<String> expected = new ArrayList<>(List.of("opened 1"));
            for (int seq = 0; seq < 50; seq++) {
                expected.add("chunk " + seq);
            }
            assertSameSequence(expected, heard);
            assertEquals(1, feed.catchUpPasses(), "the skipped chunks came from one pass over the store");
        }
    }

    /** Like assertEquals on the lists, but says where they first differ instead of printing thousands of items. */
    private static void assertSameSequence(List<String> expected, List<String> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), "item " + i + " of " + expected.size());
        }
        assertEquals(expected.size(), actual.size(), "items heard");
    }

    private static long storedToServer(CaptureStore store) {
        try (var reader = store.newReader()) {
            AtomicLong sum = new AtomicLong();
            reader.replay(CaptureSink.ofChunks(c -> {
                if (c.direction() == Direction.TO_SERVER) {
                    sum.addAndGet(c.length());
                }
            }));
            return sum.get();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A listener stuck until released that checks each stream's chunks are contiguous and in seq order. */
    private static final class StreamCheck implements CaptureSink {
        final AtomicLong bytes = new AtomicLong();
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch release;
        private final java.util.Map<String, Long> nextOffset = new java.util.HashMap<>();
        private final java.util.Map<Long, Long> lastSeq = new java.util.HashMap<>();

        StreamCheck(CountDownLatch release) {
            this.release = release;
        }

        public void opened(ConnectionOpened c) { }

        public void chunk(Chunk c) {
            await(release);
            Long last = lastSeq.put(c.connectionId(), c.seq());
            if (last != null && c.seq() <= last) {
                problems.add("seq " + c.seq() + " after " + last);
            }
            String stream = c.connectionId() + "/" + c.direction() + "/" + c.layer();
            long expected = nextOffset.getOrDefault(stream, 0L);
            if (c.offset() != expected) {
                problems.add(stream + " offset " + c.offset() + ", expected " + expected);
            }
            nextOffset.put(stream, c.offset() + c.length());
            if (c.direction() == Direction.TO_SERVER) {
                bytes.addAndGet(c.length());
            }
        }

        public void event(ConnectionEvent e) { }

        public void closed(ConnectionClosed c) { }
    }
}
