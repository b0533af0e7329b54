package dev.xmppscope.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.testing.ReadOnlyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture its user may not write (a colleague's, one on read-only media) opens read-only: it
 * replays whole, its analysis goes to the user's cache, recording into it fails with a clear
 * error, and its files stay as they were.
 */
class CaptureStoreReadOnlyTest {
    @TempDir
    Path tmp;
    private final ReadOnlyFiles readOnly = new ReadOnlyFiles();
    private final List<Path> cached = new ArrayList<>();

    @AfterEach
    void unlockAndForgetTheCachedAnalysis() throws Exception {
        readOnly.close();
        for (Path p : cached) {
            Files.deleteIfExists(p);
        }
    }

    @Test
    void aCaptureItsUserMayNotWriteReplaysWholeAndStaysUntouched() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Path db = dir.resolve("capture");
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            w.opened(new ConnectionOpened(1, "r", "l", "c", "s", TlsMode.PASSTHROUGH, 1));
            w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, 2, TlsLayer.PLAIN, 0, bytes("<stream:stream to='a.example'>")));
            w.chunk(Chunk.of(1, 2, Direction.TO_CLIENT, 3, TlsLayer.PLAIN, 0, bytes("<stream:features/>")));
            store.analysisStore().openMap("probe").put(1, "analysed by the capture's owner");
        }
        Path data = CaptureStore.dataFile(db);
        Path payloads = CaptureStore.payloadFile(db);
        Path ownAnalysis = CaptureStore.analysisFile(db);
        byte[] dataBefore = Files.readAllBytes(data);
        byte[] payloadsBefore = Files.readAllBytes(payloads);
        byte[] ownAnalysisBefore = Files.readAllBytes(ownAnalysis);
        Files.setPosixFilePermissions(ownAnalysis, PosixFilePermissions.fromString("r--r--r--"));
        readOnly.lock(data, payloads, ownAnalysis, dir);
        Path cache = Files.createDirectories(CaptureStore.readOnlyAnalysisDir());
        Path stale = cachedFile(cache.resolve("test-stale-" + System.nanoTime() + ".analysis.mv.db"), 31);
        Path recent = cachedFile(cache.resolve("test-recent-" + System.nanoTime() + ".analysis.mv.db"), 29);

        try (CaptureStore store = CaptureStore.open(db)) {
            assertTrue(store.readOnly());
            List<String> seen = new ArrayList<>();
            try (CaptureReader r = store.newReader()) {
                r.replay(new CaptureSink() {
                    public void opened(ConnectionOpened c) { seen.add("open " + c.id()); }
                    public void chunk(Chunk c) { seen.add(new String(c.bytes(), StandardCharsets.UTF_8)); }
                    public void event(ConnectionEvent e) { }
                    public void closed(ConnectionClosed c) { }
                });
            }
            assertEquals(List.of("open 1", "<stream:stream to='a.example'>", "<stream:features/>"), seen);

            Path analysis = CaptureStore.readOnlyAnalysisDir().resolve(store.id() + "-" + payloadsBefore.length
                    + ".analysis.mv.db");
            cached.add(analysis);
            assertEquals(analysis, store.analysisFile());
            assertEquals("analysed by the capture's owner", store.analysisStore().openMap("probe").get(1),
                    "the analysis beside the capture is where the cached one starts");
            store.analysisStore().openMap("probe").put(2, "derived data goes to the cache");
            assertTrue(Files.exists(analysis), "the analysis file is in the user's cache");
            assertTrue(Files.getPosixFilePermissions(analysis).contains(PosixFilePermission.OWNER_WRITE),
                    "the copy is the user's to write, whatever the mode of the original");

            assertFalse(Files.exists(stale), "a cached analysis not written for 30 days is let go");
            assertTrue(Files.exists(recent), "a younger one stays");

            CaptureStoreException refused = assertThrows(CaptureStoreException.class, store::newWriter);
            assertEquals("cannot record into " + data + ": it is read-only for you", refused.getMessage());
        }
        assertArrayEquals(dataBefore, Files.readAllBytes(data), "the database file is unchanged");
        assertArrayEquals(payloadsBefore, Files.readAllBytes(payloads), "the payload file is unchanged");
        assertArrayEquals(ownAnalysisBefore, Files.readAllBytes(ownAnalysis), "the analysis beside it is unchanged");
    }

    /** Two read-only copies of one capture, taken at different points: each has an analysis of its own. */
    @Test
    void copiesOfOneCaptureTakenAtDifferentPointsDoNotShareAnAnalysis() throws Exception {
        Path earlyDir = Files.createDirectories(tmp.resolve("early"));
        Path lateDir = Files.createDirectories(tmp.resolve("late"));
        Path early = earlyDir.resolve("capture");
        Path late = lateDir.resolve("capture");
        try (CaptureStore store = CaptureStore.open(early); CaptureWriter w = store.newWriter()) {
            w.opened(new ConnectionOpened(1, "r", "l", "c", "s", TlsMode.PASSTHROUGH, 1));
            w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, 2, TlsLayer.PLAIN, 0, bytes("<stream:stream to='a.example'>")));
        }
        CaptureStore.copy(early, late);
        try (CaptureStore store = CaptureStore.open(late); CaptureWriter w = store.newWriter()) {
            w.chunk(Chunk.of(1, 2, Direction.TO_CLIENT, 3, TlsLayer.PLAIN, 0, bytes("<stream:features/>")));
        }
        readOnly.lock(CaptureStore.dataFile(early), CaptureStore.payloadFile(early), earlyDir,
                CaptureStore.dataFile(late), CaptureStore.payloadFile(late), lateDir);
        try (CaptureStore a = CaptureStore.open(early); CaptureStore b = CaptureStore.open(late)) {
            assertTrue(a.readOnly() && b.readOnly());
            assertEquals(a.id(), b.id(), "one capture, copied at two points");
            cached.add(a.analysisFile());
            cached.add(b.analysisFile());
            a.analysisStore().openMap("probe").put(1, "the early copy's analysis");
            assertNull(b.analysisStore().openMap("probe").get(1), "the later copy does not read the early one's analysis");
        }
    }

    /** A file in the analysis cache, last written {@code days} ago; removed after the test. */
    private Path cachedFile(Path file, int days) throws Exception {
        cached.add(file);
        Files.writeString(file, "an analysis");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(days))));
        return file;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
