package dev.xmppscope.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureStoreTest {

    @TempDir
    Path tmp;

    /**
     * A capture holds whole conversations, decrypted when intercepted: what xmppscope creates for
     * one is for its owner alone, whatever the umask. What exists already keeps its permissions.
     */
    @Test
    void aNewCaptureIsReadableByItsOwnerOnly() throws Exception {
        Path dir = tmp.resolve("captures").resolve("lab");
        Path path = dir.resolve("first");
        try (CaptureStore store = CaptureStore.open(path)) {
            store.analysisStore(); // the analysis file is made on first use
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(CaptureStore.dataFile(path))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(CaptureStore.payloadFile(path))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(CaptureStore.analysisFile(path))));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent())));
        }
        Files.setPosixFilePermissions(CaptureStore.dataFile(path), PosixFilePermissions.fromString("rw-r-----"));
        try (CaptureStore again = CaptureStore.open(path)) {
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(CaptureStore.dataFile(path))),
                    "shared with a group by its owner: left so");
        }
    }

    /**
     * Connections a killed proxy left open are ended, but not a pcap's: one open when the pcap
     * ended is as the capture saw it, and "the proxy was killed" would be untrue of it.
     */
    @Test
    void connectionsLeftOpenAreEndedButNotThoseOfAPcap() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("left"))) {
            try (CaptureWriter w = store.newWriter()) {
                w.opened(new ConnectionOpened(1, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", "127.0.0.1:40000",
                        "127.0.0.2:5222", TlsMode.PASSTHROUGH, 1_000));
                w.opened(new ConnectionOpened(2, "pcap:late.pcap", "127.0.0.2:5222", "127.0.0.1:40001", "127.0.0.2:5222",
                        TlsMode.PASSTHROUGH, 2_000));
            }
            assertEquals(1, store.closeConnectionsLeftOpen());
            try (CaptureReader r = store.newReader()) {
                assertEquals(CloseReason.UNKNOWN, r.connection(1).orElseThrow().closed().reason());
                assertNull(r.connection(2).orElseThrow().closed(), "the pcap's stays as the pcap has it");
            }
        }
    }

    /**
     * A listener that catches up from the store reads it while the recorder goes on committing. A
     * replay that saw some tables before a commit and others after it once delivered an event
     * ahead of its chunks, and the chunks were then skipped as already seen.
     */
    @Test
    void aReplayReadsOneStateOfACaptureThatIsStillBeingWritten() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("live"));
             CaptureWriter w = store.newWriter();
             CaptureReader r = store.newReader()) {
            w.opened(new ConnectionOpened(1, "r", "l", "c", "s", TlsMode.PASSTHROUGH, 100));
            w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, 110, TlsLayer.PLAIN, 0, bytes("<a/>")));
            w.commit();
            List<String> seen = new ArrayList<>();
            r.replayChunksAndEventsFrom(0, new CaptureSink() {
                public void chunk(Chunk c) {
                    seen.add("chunk " + c.connectionId() + "/" + c.seq());
                    // the recorder commits more while the replay runs
                    w.opened(new ConnectionOpened(2, "r", "l", "c", "s", TlsMode.PASSTHROUGH, 115));
                    w.chunk(Chunk.of(1, 2, Direction.TO_SERVER, 120, TlsLayer.PLAIN, 4, bytes("<b/>")));
                    w.event(new ConnectionEvent(1, 2, 120, Direction.TO_SERVER, EventKind.SECRET_REDACTED, "x"));
                    w.commit();
                    seen.add("connection 2 " + (r.connection(2).isPresent() ? "seen" : "not seen"));
                }
                public void event(ConnectionEvent e) { seen.add("event " + e.connectionId() + "/" + e.seq()); }
                public void opened(ConnectionOpened c) { }
                public void closed(ConnectionClosed c) { }
            });
            assertEquals(List.of("chunk 1/1", "connection 2 not seen"), seen, "the replay's own snapshot, nothing half");
            List<String> next = new ArrayList<>();
            r.replayChunksAndEventsFrom(0, new CaptureSink() {
                public void chunk(Chunk c) { next.add("chunk " + c.connectionId() + "/" + c.seq()); }
                public void event(ConnectionEvent e) { next.add("event " + e.connectionId() + "/" + e.seq()); }
                public void opened(ConnectionOpened c) { }
                public void closed(ConnectionClosed c) { }
            });
            assertEquals(List.of("chunk 1/1", "chunk 1/2", "event 1/2"), next, "the next replay sees the commit, in order");
            assertTrue(r.connection(2).isPresent(), "and so does a read outside a replay");
        }
    }

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
        recordStreamOpening(db);
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

    /**
     * Copied without its payload file, a capture must not open as if it were empty, nor take new
     * bytes into a fresh payload file that its old rows would then point into.
     */
    @Test
    void aCaptureWithoutItsPayloadFileSaysWhatIsMissing() throws Exception {
        Path db = tmp.resolve("copied");
        recordStreamOpening(db);
        Files.delete(CaptureStore.payloadFile(db));
        CaptureStoreException e = assertThrows(CaptureStoreException.class, () -> CaptureStore.open(db));
        assertEquals("the bytes of capture " + CaptureStore.dataFile(db) + " are kept beside it in copied.payloads, which is"
                + " missing: copy that file along with copied.mv.db (the database alone holds only where each chunk is)", e.getMessage());
        assertFalse(Files.exists(CaptureStore.payloadFile(db)), "no empty stand-in is left behind");

        Path empty = tmp.resolve("empty");
        CaptureStore.open(empty).close();
        Files.delete(CaptureStore.payloadFile(empty));
        CaptureStore.open(empty).close(); // nothing recorded yet: nothing is missing
    }

    @Test
    void aCaptureAnotherProcessHoldsIsNamedAsSuchNotInH2sWords() throws Exception {
        Path db = tmp.resolve("held");
        CaptureStore.open(db).close();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), HoldsCapture.class.getName(),
                db.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String first = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertTrue(first != null && first.startsWith("OPEN "), "the other process holds it: " + first);
            CaptureStoreException e = assertThrows(CaptureStoreException.class, () -> CaptureStore.open(db));
            assertEquals(CaptureStore.dataFile(db) + " is in use by another process (an xmppscope proxy still recording"
                    + " into it, or an xmppscope open still showing it? the web UI of either offers the capture for"
                    + " download); stop that process to use the file here", e.getMessage());
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(20, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
            }
        }
        try (CaptureStore store = CaptureStore.open(db)) {
            assertFalse(store.readOnly(), "free again once the other process let go");
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
    void aCaptureThatFailsToOpenIsNotLeftLockedByThisProcess() throws Exception {
        Path db = tmp.resolve("c");
        CaptureStore.open(db).close();
        Path payloads = CaptureStore.payloadFile(db);
        Files.delete(payloads);
        Files.createDirectory(payloads); // the payload file, opened after the database, cannot be
        assertThrows(RuntimeException.class, () -> CaptureStore.open(db));
        try (FileChannel ch = FileChannel.open(CaptureStore.dataFile(db), StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock()) { // throws OverlappingFileLockException while H2 in this JVM holds it
            assertTrue(lock != null && lock.isValid(), "nobody holds the database any more");
        }
        Files.delete(payloads);
        CaptureStore.open(db).close();
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

    @Test
    void chunksCommittedAfterLaterOnesAreStillReplayedInTimeOrder() {
        // the relay stamps chunks on its event loops; one stamped earlier can reach a later commit
        Path db = tmp.resolve("overlap");
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            w.opened(new ConnectionOpened(1, "r", "l", "c", "s", TlsMode.PASSTHROUGH, 1));
            w.opened(new ConnectionOpened(2, "r", "l", "c", "s", TlsMode.PASSTHROUGH, 1));
            w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, 10, TlsLayer.PLAIN, 0, bytes("a")));
            w.chunk(Chunk.of(1, 2, Direction.TO_SERVER, 40, TlsLayer.PLAIN, 1, bytes("d")));
            w.commit();
            w.chunk(Chunk.of(2, 1, Direction.TO_SERVER, 20, TlsLayer.PLAIN, 0, bytes("b")));
            w.event(new ConnectionEvent(2, 2, 30, Direction.TO_CLIENT, EventKind.STARTTLS_PROCEED, ""));
            w.chunk(Chunk.of(2, 3, Direction.TO_SERVER, 50, TlsLayer.PLAIN, 1, bytes("e")));
            w.commit();
            w.chunk(Chunk.of(1, 3, Direction.TO_SERVER, 30, TlsLayer.PLAIN, 2, bytes("c")));
        }
        try (CaptureStore store = CaptureStore.open(db); CaptureReader r = store.newReader()) {
            List<String> all = new ArrayList<>();
            r.replay(collect(all));
            assertEquals(List.of("open 1", "open 2", "a@10", "b@20", "c@30", "event 2/2@30", "d@40", "e@50"), all,
                    "time order; at equal times, connection 1 before 2");
            List<String> from = new ArrayList<>();
            r.replayChunksAndEventsFrom(30, collect(from));
            assertEquals(List.of("c@30", "event 2/2@30", "d@40", "e@50"), from);
            List<String> one = new ArrayList<>();
            r.replayConnection(2, collect(one));
            assertEquals(List.of("open 2", "b@20", "event 2/2@30", "e@50"), one);
        }
    }

    @Test
    void aCommitOfManyChunksIsStoredInSeveralRowsAndReadBackWhole() throws Exception {
        Path db = tmp.resolve("many");
        int n = ChunkBatch.MAX_ENTRIES * 2 + 17;
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            w.opened(new ConnectionOpened(1, "r", "l", "c", "s", TlsMode.PASSTHROUGH, 1));
            for (int i = 0; i < n; i++) {
                w.chunk(Chunk.of(1, i + 1, Direction.TO_SERVER, 2 + i, TlsLayer.PLAIN, i, bytes(Integer.toString(i % 10))));
            }
        }
        try (CaptureStore store = CaptureStore.open(db); CaptureReader r = store.newReader();
             Connection c = store.newConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(chunk_count) FROM chunk_batches")) {
            rs.next();
            assertEquals(3, rs.getInt(1), "rows of at most " + ChunkBatch.MAX_ENTRIES + " chunks");
            assertEquals(n, rs.getInt(2));
            List<String> seen = new ArrayList<>();
            r.replay(collect(seen));
            assertEquals(n + 1, seen.size());
            assertEquals("0@2", seen.get(1));
            assertEquals((n - 1) % 10 + "@" + (n + 1), seen.get(n));
        }
    }

    @Test
    void aSchema2CaptureIsMigratedWithItsChunksInTimeOrder() throws Exception {
        Path db = tmp.resolve("old");
        try (PayloadLog payloads = PayloadLog.open(CaptureStore.payloadFile(db));
             Connection c = DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath(), "sa", "");
             Statement st = c.createStatement()) {
            // the tables exactly as schema 2 left them
            st.execute("CREATE TABLE schema_version (component VARCHAR(64) PRIMARY KEY, version INT NOT NULL)");
            st.execute("INSERT INTO schema_version VALUES ('capture', 2)");
            st.execute("CREATE TABLE capture_info (capture_id VARCHAR(36) NOT NULL)");
            st.execute("INSERT INTO capture_info VALUES ('0b6f3c5e-5b1e-4c1e-9e57-000000000002')");
            st.execute("""
                    CREATE TABLE connections (
                      id BIGINT PRIMARY KEY, route VARCHAR NOT NULL, listen VARCHAR, client VARCHAR, server VARCHAR,
                      tls_mode VARCHAR(16) NOT NULL, opened_at BIGINT NOT NULL,
                      closed_at BIGINT, close_reason VARCHAR(32), close_detail VARCHAR,
                      bytes_to_server BIGINT, bytes_to_client BIGINT)""");
            st.execute("""
                    CREATE TABLE chunks (
                      connection BIGINT NOT NULL, seq BIGINT NOT NULL, direction TINYINT NOT NULL, at BIGINT NOT NULL,
                      layer TINYINT NOT NULL, stream_offset BIGINT NOT NULL, length INT NOT NULL,
                      redacted BOOLEAN NOT NULL, payload_pos BIGINT NOT NULL,
                      PRIMARY KEY (connection, seq))""");
            st.execute("CREATE INDEX chunks_at ON chunks (at)");
            st.execute("""
                    CREATE TABLE connection_events (
                      connection BIGINT NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL, direction TINYINT,
                      kind VARCHAR(40) NOT NULL, detail VARCHAR, PRIMARY KEY (connection, seq))""");
            st.execute("CREATE INDEX connection_events_at ON connection_events (at)");
            st.execute("INSERT INTO connections (id, route, tls_mode, opened_at) VALUES (1, 'r', 'intercept', 5)");
            long features = payloads.append(bytes("<features/>"));
            long auth = payloads.append(bytes("<auth>******</auth>"));
            payloads.flush();
            st.execute("INSERT INTO chunks VALUES (1, 2, 1, 20, 0, 0, 11, FALSE, " + features + ")");
            st.execute("INSERT INTO chunks VALUES (1, 1, 0, 10, 2, 0, 517, FALSE, -1)");
            st.execute("INSERT INTO chunks VALUES (1, 3, 0, 30, 0, 11, 19, TRUE, " + auth + ")");
        }
        try (CaptureStore store = CaptureStore.open(db); CaptureReader r = store.newReader()) {
            List<String> seen = new ArrayList<>();
            r.replay(new CaptureSink() {
                public void opened(ConnectionOpened c) { seen.add("open " + c.tlsMode()); }
                public void chunk(Chunk c) {
                    seen.add(c.seq() + " " + c.direction() + " " + c.layer() + "@" + c.atNanos() + " " + c.offset() + "+"
                            + c.length() + " " + new String(c.bytes(), StandardCharsets.UTF_8) + (c.redacted() ? " (redacted)" : ""));
                }
                public void event(ConnectionEvent e) { }
                public void closed(ConnectionClosed c) { }
            });
            assertEquals(List.of("open INTERCEPT", "1 TO_SERVER ENCRYPTED@10 0+517 ", "2 TO_CLIENT PLAIN@20 0+11 <features/>",
                    "3 TO_SERVER PLAIN@30 11+19 <auth>******</auth> (redacted)"), seen);
            try (Connection c = store.newConnection(); ResultSet rs = c.getMetaData().getTables(null, null, "CHUNKS", null)) {
                assertFalse(rs.next(), "the schema-2 chunks table is gone");
            }
        }
    }

    /** Records chunks as "bytes@at", events as "event conn/seq@at", openings as "open id". */
    /** One connection whose client sent its stream header and whose server answered with features. */
    private static void recordStreamOpening(Path db) {
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            w.opened(new ConnectionOpened(1, "r", "l", "c", "s", TlsMode.PASSTHROUGH, 1));
            w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, 2, TlsLayer.PLAIN, 0, bytes("<stream:stream>")));
            w.chunk(Chunk.of(1, 2, Direction.TO_CLIENT, 3, TlsLayer.PLAIN, 0, bytes("<stream:features/>")));
        }
    }

    private static CaptureSink collect(List<String> into) {
        return new CaptureSink() {
            public void opened(ConnectionOpened c) { into.add("open " + c.id()); }
            public void chunk(Chunk c) { into.add(new String(c.bytes(), StandardCharsets.UTF_8) + "@" + c.atNanos()); }
            public void event(ConnectionEvent e) { into.add("event " + e.connectionId() + "/" + e.seq() + "@" + e.atNanos()); }
            public void closed(ConnectionClosed c) { into.add("close " + c.id()); }
        };
    }

    private static byte[] replayFirstChunk(CaptureReader r, long id) {
        List<byte[]> got = new ArrayList<>();
        r.replayConnection(id, CaptureSink.ofChunks(c -> got.add(c.bytes())));
        return got.get(0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
