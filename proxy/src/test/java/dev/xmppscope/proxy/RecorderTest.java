package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.StoredPayloads;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.proxy.xmpp.SecretRedactor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecorderTest {
    private static final String AUTH = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>";

    @TempDir
    Path tmp;

    @Test
    void storesAndForwardsRedactedDataInOrderAndNumbersConnectionsAfterTheStoresOwn() {
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        try (CaptureStore store = CaptureStore.open(tmp.resolve("c"))) {
            try (Recorder r = Recorder.start(store, false)) {
                r.addListener(new CaptureSink() {
                    public void opened(ConnectionOpened c) { heard.add("opened " + c.id()); }
                    public void chunk(Chunk c) { heard.add("chunk " + new String(c.bytes(), StandardCharsets.UTF_8)); }
                    // committed chunks come with where they are stored: the live analysis points there
                    public void storedChunk(Chunk c, StoredPayloads in, long position) {
                        boolean there = in == store.payloads() && Arrays.equals(c.bytes(), in.read(position, c.length()));
                        heard.add("chunk " + new String(c.bytes(), StandardCharsets.UTF_8) + (there ? "" : " (not where it says)"));
                    }
                    public void event(ConnectionEvent e) { heard.add("event " + e.kind()); }
                    public void closed(ConnectionClosed c) { heard.add("closed " + c.reason()); }
                });
                long id = r.nextConnectionId();
                assertEquals(1, id);
                r.opened(new ConnectionOpened(id, "l=u", "l", "c", "u", TlsMode.PASSTHROUGH, 1));
                r.chunk(Chunk.of(id, 1, Direction.TO_SERVER, 2, TlsLayer.PLAIN, 0, "<stream:stream>".getBytes(StandardCharsets.UTF_8)));
                r.chunk(Chunk.of(id, 2, Direction.TO_SERVER, 3, TlsLayer.PLAIN, 15, AUTH.getBytes(StandardCharsets.UTF_8)));
                r.closed(new ConnectionClosed(id, 4, CloseReason.CLIENT_CLOSED, "client closed", 100, 0));
            }
            String masked = AUTH.replace("AGFsaWNlAHNlY3JldA==", "AGFsaWNlACoqKioqKg==") /* only the password masked */;
            assertEquals(List.of("opened 1", "chunk <stream:stream>", "chunk " + masked, "event SECRET_REDACTED",
                    "closed CLIENT_CLOSED"), heard);
            try (var reader = store.newReader()) {
                List<Chunk> stored = new ArrayList<>();
                reader.replay(CaptureSink.ofChunks(stored::add));
                assertEquals(masked, new String(stored.get(1).bytes(), StandardCharsets.UTF_8));
                assertTrue(stored.get(1).redacted());
                assertFalse(stored.get(0).redacted());
            }
            try (Recorder next = Recorder.start(store, true)) {
                assertEquals(2, next.nextConnectionId(), "ids continue after what the store holds");
            }
        }
    }

    /**
     * A proxy restarted on its capture: its live analysis takes what the earlier run recorded,
     * from the store, then what this run records, each once. It used to see only the new run's, so
     * the web UI showed none of the capture it was started on. A terminal log does not print the past.
     */
    @Test
    void aListenerFromStartTakesTheEarlierRecordingFirst() throws Exception {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("again"))) {
            try (Recorder first = Recorder.start(store, true)) {
                first.opened(new ConnectionOpened(1, "l=u", "l", "c", "u", TlsMode.PASSTHROUGH, 1));
                first.chunk(Chunk.of(1, 1, Direction.TO_SERVER, 2, TlsLayer.PLAIN, 0, "<earlier/>".getBytes(StandardCharsets.UTF_8)));
                first.closed(new ConnectionClosed(1, 3, CloseReason.CLIENT_CLOSED, "", 10, 0));
            }
            List<String> fromStart = Collections.synchronizedList(new ArrayList<>());
            List<String> fromNow = Collections.synchronizedList(new ArrayList<>());
            try (Recorder again = Recorder.start(store, true)) {
                again.addListenerFromStart(heardInto(fromStart));
                again.addListener(heardInto(fromNow));
                long id = again.nextConnectionId();
                again.opened(new ConnectionOpened(id, "l=u", "l", "c", "u", TlsMode.PASSTHROUGH, 10));
                again.chunk(Chunk.of(id, 1, Direction.TO_SERVER, 11, TlsLayer.PLAIN, 0, "<now/>".getBytes(StandardCharsets.UTF_8)));
                again.closed(new ConnectionClosed(id, 12, CloseReason.CLIENT_CLOSED, "", 6, 0));
            }
            assertEquals(List.of("opened 1", "chunk 1 <earlier/>", "closed 1", "opened 2", "chunk 2 <now/>", "closed 2"),
                    fromStart);
            assertEquals(List.of("opened 2", "chunk 2 <now/>", "closed 2"), fromNow);
        }
    }

    private static CaptureSink heardInto(List<String> heard) {
        return new CaptureSink() {
            public void opened(ConnectionOpened c) { heard.add("opened " + c.id()); }
            public void chunk(Chunk c) { heard.add("chunk " + c.connectionId() + " " + new String(c.bytes(), StandardCharsets.UTF_8)); }
            public void storedChunk(Chunk c, StoredPayloads in, long position) { chunk(c); }
            public void event(ConnectionEvent e) { }
            public void closed(ConnectionClosed c) { heard.add("closed " + c.id()); }
        };
    }

    @Test
    void keepSecretsStoresThemAsTheyWere() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("k"))) {
            try (Recorder r = Recorder.start(store, true)) {
                r.opened(new ConnectionOpened(1, "l=u", "l", "c", "u", TlsMode.PASSTHROUGH, 1));
                r.chunk(Chunk.of(1, 1, Direction.TO_SERVER, 2, TlsLayer.PLAIN, 0, AUTH.getBytes(StandardCharsets.UTF_8)));
            }
            try (var reader = store.newReader()) {
                List<String> stored = new ArrayList<>();
                reader.replay(new CaptureSink() {
                    public void opened(ConnectionOpened c) { }
                    public void chunk(Chunk c) { stored.add(new String(c.bytes(), StandardCharsets.UTF_8)); }
                    public void event(ConnectionEvent e) { stored.add(e.kind().name()); }
                    public void closed(ConnectionClosed c) { }
                });
                assertEquals(List.of(AUTH), stored);
            }
        }
    }

    @Test
    void isNotBehindWhenIdleAndResumesWaitersAtOnce() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("b")); Recorder r = Recorder.start(store, false)) {
            assertFalse(r.isBehind());
            boolean[] resumed = {false};
            r.whenCaughtUp(() -> resumed[0] = true);
            assertTrue(resumed[0]);
        }
    }

    /**
     * A redactor bug must neither close the relayed connection (this runs in its handlers) nor leak:
     * the failing chunk and the rest of its stream are stored masked, said once, while other
     * streams keep their ordinary masking.
     */
    @Test
    void aFailingRedactorMasksTheRestOfItsStreamAndNeverThrowsIntoTheRelay() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("f"))) {
            try (Recorder r = Recorder.start(store, () -> {
                SecretRedactor real = new SecretRedactor();
                return bytes -> {
                    if (new String(bytes, StandardCharsets.UTF_8).contains("BOOM")) {
                        throw new IllegalStateException("redactor bug");
                    }
                    return real.redact(bytes);
                };
            })) {
                r.opened(new ConnectionOpened(1, "l=u", "l", "c", "u", TlsMode.PASSTHROUGH, 1));
                r.chunk(chunk(1, Direction.TO_SERVER, "<stream:stream>"));
                r.chunk(chunk(2, Direction.TO_SERVER, "<message><body>BOOM</body></message><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'"));
                r.chunk(chunk(3, Direction.TO_SERVER, " mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>"));
                r.chunk(chunk(4, Direction.TO_CLIENT, "<stream:stream>" + AUTH));
                r.closed(new ConnectionClosed(1, 5, CloseReason.CLIENT_CLOSED, "client closed", 100, 0));
            }
            try (var reader = store.newReader()) {
                List<String> stored = new ArrayList<>();
                reader.replay(new CaptureSink() {
                    public void opened(ConnectionOpened c) { }
                    public void chunk(Chunk c) { stored.add(c.seq() + (c.redacted() ? " masked " : " ") + new String(c.bytes(), StandardCharsets.UTF_8)); }
                    public void event(ConnectionEvent e) { stored.add(e.seq() + " " + e.kind() + ": " + e.detail()); }
                    public void closed(ConnectionClosed c) { stored.add("closed " + c.reason()); }
                });
                String second = "<message><body>BOOM</body></message><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'";
                String third = " mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>";
                assertEquals(List.of(
                        "1 <stream:stream>",
                        "2 masked " + "*".repeat(second.length()),
                        "3 masked " + "*".repeat(third.length()),
                        "4 masked <stream:stream>" + AUTH.replace("AGFsaWNlAHNlY3JldA==", "AGFsaWNlACoqKioqKg=="),
                        "closed CLIENT_CLOSED"), stored.stream().filter(line -> !line.contains("SECRET_REDACTED")).toList());
                List<String> events = stored.stream().filter(line -> line.contains("SECRET_REDACTED")).toList();
                assertEquals(2, events.size(), "said once for the failed stream, once for the other's password: " + events);
                assertTrue(events.get(0).startsWith("2 SECRET_REDACTED: everything from here on this stream (the secret redactor failed"),
                        events.get(0));
            }
        }
    }

    private static Chunk chunk(long seq, Direction direction, String text) {
        return Chunk.of(1, seq, direction, seq, TlsLayer.PLAIN, 0, text.getBytes(StandardCharsets.UTF_8));
    }
}
