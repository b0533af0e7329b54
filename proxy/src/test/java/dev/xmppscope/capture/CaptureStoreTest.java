package dev.xmppscope.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureStoreTest {

    @TempDir
    Path tmp;

    @Test
    void whatIsWrittenIsReplayedInTimeOrderAcrossConnections() {
        Path db = tmp.resolve("capture");
        try (CaptureStore store = CaptureStore.open(db)) {
            assertTrue(Files.exists(tmp.resolve("capture.mv.db")), "H2 file created next to the given path");
            assertEquals(1, store.nextConnectionId());
            try (CaptureWriter w = store.newWriter()) {
                w.opened(new ConnectionOpened(1, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", "127.0.0.1:40000", "127.0.0.2:5222", TlsMode.PASSTHROUGH, 100));
                w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, 110, TlsLayer.PLAIN, 0, bytes("<stream:stream>")));
                w.opened(new ConnectionOpened(2, "r2", "l", "c", "s", TlsMode.INTERCEPT, 115));
                w.chunk(Chunk.of(2, 1, Direction.TO_SERVER, 118, TlsLayer.PLAIN, 0, bytes("x")));
                w.chunk(Chunk.of(1, 2, Direction.TO_CLIENT, 120, TlsLayer.PLAIN, 0, bytes("<stream:features/>")));
                w.event(new ConnectionEvent(1, 3, 130, Direction.TO_CLIENT, EventKind.STARTTLS_PROCEED, ""));
                w.chunk(Chunk.encrypted(1, 4, Direction.TO_SERVER, 140, 0, 517));
                w.closed(new ConnectionClosed(1, 150, CloseReason.CLIENT_CLOSED, "client closed", 532, 18));
            }
            assertEquals(3, store.nextConnectionId());
        }
        // reopen: data survived a close/open cycle
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture.mv.db")); CaptureReader r = store.newReader()) {
            List<String> seen = new ArrayList<>();
            r.replay(new CaptureSink() {
                public void opened(ConnectionOpened c) { seen.add("open " + c.id()); }
                public void chunk(Chunk c) {
                    seen.add("chunk " + c.connectionId() + "/" + c.seq() + " " + c.layer() + " " + c.length()
                            + " " + new String(c.bytes(), StandardCharsets.UTF_8));
                }
                public void event(ConnectionEvent e) { seen.add("event " + e.connectionId() + " " + e.kind()); }
                public void closed(ConnectionClosed c) { seen.add("close " + c.id() + " " + c.reason()); }
            });
            assertEquals(List.of("open 1", "chunk 1/1 PLAIN 15 <stream:stream>", "open 2", "chunk 2/1 PLAIN 1 x",
                    "chunk 1/2 PLAIN 18 <stream:features/>", "event 1 STARTTLS_PROCEED", "chunk 1/4 ENCRYPTED 517 ",
                    "close 1 CLIENT_CLOSED"), seen);
            List<ConnectionRecord> conns = r.connections();
            assertEquals(2, conns.size());
            assertEquals(532, conns.get(0).closed().bytesToServer());
            assertNull(conns.get(1).closed(), "a connection never seen to close stays open");
            assertArrayEquals(bytes("x"), replayFirstChunk(r, 2));
        }
    }

    @Test
    void aTornPayloadTailIsSkippedAndEverythingBeforeItIsRead() throws Exception {
        Path db = tmp.resolve("torn");
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            w.opened(new ConnectionOpened(1, "r", "l", "c", "s", TlsMode.PASSTHROUGH, 1));
            w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, 2, TlsLayer.PLAIN, 0, bytes("<stream:stream>")));
            w.chunk(Chunk.of(1, 2, Direction.TO_CLIENT, 3, TlsLayer.PLAIN, 0, bytes("<stream:features/>")));
        }
        // the machine lost the last bytes of the payload file, the index rows survived
        Path payloads = CaptureStore.payloadFile(db);
        try (var ch = java.nio.channels.FileChannel.open(payloads, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 5);
        }
        try (CaptureStore store = CaptureStore.open(db); CaptureReader r = store.newReader()) {
            List<String> seen = new ArrayList<>();
            r.replay(new CaptureSink() {
                public void opened(ConnectionOpened c) { seen.add("open"); }
                public void chunk(Chunk c) { seen.add(new String(c.bytes(), StandardCharsets.UTF_8)); }
                public void event(ConnectionEvent e) { }
                public void closed(ConnectionClosed c) { }
            });
            assertEquals(List.of("open", "<stream:stream>"), seen);
        }
    }

    @Test
    void aCaptureIsCopiedAndDeletedWithAllItsFiles() throws Exception {
        Path db = tmp.resolve("one");
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            w.opened(new ConnectionOpened(1, "r", "l", "c", "s", TlsMode.PASSTHROUGH, 1));
            w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, 2, TlsLayer.PLAIN, 0, bytes("hello")));
        }
        Path copy = tmp.resolve("two");
        CaptureStore.copy(db, copy);
        CaptureStore.delete(db);
        for (Path f : CaptureStore.files(db)) {
            assertTrue(Files.notExists(f), f + " deleted");
        }
        try (CaptureStore store = CaptureStore.open(copy); CaptureReader r = store.newReader()) {
            assertArrayEquals(bytes("hello"), replayFirstChunk(r, 1));
        }
    }

    @Test
    void derivedDataLivesInItsOwnFileAndIsDroppedWhenItBelongsToAnotherCapture() throws Exception {
        Path db = tmp.resolve("mine");
        try (CaptureStore store = CaptureStore.open(db); CaptureStore again = CaptureStore.open(db)) {
            store.analysisStore().<String, String>openMap("derived").put("k", "v");
            // a second store on the same PATH (a replay beside the served capture) shares the open file
            assertEquals("v", again.analysisStore().<String, String>openMap("derived").get("k"));
        }
        assertTrue(Files.exists(tmp.resolve("mine.analysis.mv.db")), "analysis file beside the capture");
        assertTrue(CaptureStore.files(db).contains(tmp.resolve("mine.analysis.mv.db")), "copied and deleted with the capture");
        try (CaptureStore store = CaptureStore.open(db)) {
            assertEquals("v", store.analysisStore().<String, String>openMap("derived").get("k"), "kept: it belongs to this capture");
        }
        // another capture's database file put in place of this one: the old analysis must not be shown for it
        try (CaptureStore other = CaptureStore.open(tmp.resolve("other"))) {
            other.nextConnectionId();
        }
        Files.copy(CaptureStore.dataFile(tmp.resolve("other")), CaptureStore.dataFile(db), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (CaptureStore store = CaptureStore.open(db)) {
            assertFalse(store.analysisStore().hasMap("derived"), "analysis of another capture dropped");
        }
    }

    @Test
    void anUnreadableAnalysisFileIsRebuilt() throws Exception {
        Path db = tmp.resolve("damaged");
        try (CaptureStore store = CaptureStore.open(db)) {
            store.nextConnectionId();
        }
        Files.writeString(CaptureStore.analysisFile(db), "not an MVStore file at all, " + "x".repeat(10_000));
        try (CaptureStore store = CaptureStore.open(db)) {
            store.analysisStore().<String, String>openMap("derived").put("k", "v");
        }
        try (CaptureStore store = CaptureStore.open(db)) {
            assertEquals("v", store.analysisStore().<String, String>openMap("derived").get("k"));
        }
    }

    @Test
    void anAnalysisFileHeldByAnotherProcessIsReportedNotDeleted() throws Exception {
        Path db = tmp.resolve("held");
        try (CaptureStore store = CaptureStore.open(db)) {
            store.analysisStore().<String, String>openMap("derived").put("k", "v");
        }
        // an MVStore opened outside the registry stands for another process holding the file lock
        org.h2.mvstore.MVStore other = new org.h2.mvstore.MVStore.Builder()
                .fileName(CaptureStore.analysisFile(db).toString()).open();
        try (CaptureStore store = CaptureStore.open(db)) {
            CaptureStoreException e = assertThrows(CaptureStoreException.class, store::analysisStore);
            assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
        } finally {
            other.close();
        }
        try (CaptureStore store = CaptureStore.open(db)) {
            assertEquals("v", store.analysisStore().<String, String>openMap("derived").get("k"), "the file was kept");
        }
    }

    private static byte[] replayFirstChunk(CaptureReader r, long id) {
        List<byte[]> got = new ArrayList<>();
        r.replayConnection(id, new CaptureSink() {
            public void opened(ConnectionOpened c) { }
            public void chunk(Chunk c) { got.add(c.bytes()); }
            public void event(ConnectionEvent e) { }
            public void closed(ConnectionClosed c) { }
        });
        return got.get(0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
