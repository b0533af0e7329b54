package dev.xmppscope.capture.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XscapRoundTripTest {
    /** Connection 1 opening, as an .xscap line. */
    private static final String OPENED_1 = "{\"type\":\"opened\",\"id\":1,\"route\":\"r\",\"tls\":\"passthrough\",\"at\":5}";

    /** An .xscap holds what xmppscope recorded (masked, or kept on purpose): nothing is masked again on import. */
    private static final UnaryOperator<CaptureSink> NOT_WIRE_BYTES = sink -> {
        throw new AssertionError("an .xscap's records were taken for wire bytes");
    };

    @TempDir
    Path tmp;

    @Test
    void exportThenImportGivesBackExactlyWhatWasStored() {
        Path db = tmp.resolve("source");
        fillStore(db, 1, 200);
        Path file = tmp.resolve("capture.xscap");
        List<String> original;
        try (CaptureStore store = CaptureStore.open(db)) {
            original = replayStore(store);
            CaptureFiles.export(store, file, Map.of("title", "round trip"), ProgressBar.NONE);
        }
        XscapReader reader = XscapReader.open(file);
        assertEquals("round trip", reader.header().meta().get("title"));
        assertEquals(XscapFormat.VERSION, reader.header().version());
        CollectingSink fromFile = new CollectingSink();
        reader.replay(fromFile);
        assertEquals(original, fromFile.lines, "the file replays the store's calls one for one");

        Path copy = tmp.resolve("copy");
        try (CaptureStore target = CaptureStore.open(copy)) {
            ImportResult result = CaptureFiles.importInto(target, file, ProgressBar.NONE, NOT_WIRE_BYTES);
            assertEquals(3, result.connections());
            assertEquals(replayStore(target), original, "imported database equals the source database");
        }
    }

    @Test
    void importMergesByRenumberingConnectionsPastTheExistingOnes() {
        Path file = tmp.resolve("one.xscap");
        Path db = tmp.resolve("one");
        fillStore(db, 1, 3);
        try (CaptureStore store = CaptureStore.open(db)) {
            CaptureFiles.export(store, file, Map.of(), ProgressBar.NONE);
        }
        try (CaptureStore target = CaptureStore.open(tmp.resolve("merged"))) {
            CaptureFiles.importInto(target, file, ProgressBar.NONE, NOT_WIRE_BYTES);
            CaptureFiles.importInto(target, file, ProgressBar.NONE, NOT_WIRE_BYTES);
            assertEquals(7, target.nextConnectionId(), "two imports of 3 connections hold ids 1..6");
            try (var r = target.newReader()) {
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), r.connections().stream().map(c -> c.id()).toList());
                assertEquals("127.0.0.9:5269", r.connection(6).orElseThrow().opened().server());
            }
        }
    }

    @Test
    void aTruncatedFileSaysWhereItEndsAndEverythingBeforeIsImported() throws IOException {
        Path db = tmp.resolve("source");
        fillStore(db, 1, 3000);
        Path file = tmp.resolve("full.xscap");
        try (CaptureStore store = CaptureStore.open(db)) {
            CaptureFiles.export(store, file, Map.of(), ProgressBar.NONE);
        }
        byte[] all = Files.readAllBytes(file);
        Path cut = tmp.resolve("cut.xscap");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));

        try (CaptureStore target = CaptureStore.open(tmp.resolve("target"))) {
            CaptureFileException e = assertThrows(CaptureFileException.class,
                    () -> CaptureFiles.importInto(target, cut, ProgressBar.NONE, NOT_WIRE_BYTES));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertTrue(e.getMessage().matches("(?s).*line \\d+ \\(byte \\d+ of the uncompressed text, byte \\d+ of the file\\).*"),
                    e.getMessage());
            assertTrue(e.recordsDelivered() > 1000, "about half of the records came through: " + e.recordsDelivered());
            long stored;
            try (var r = target.newReader()) {
                CollectingSink s = new CollectingSink();
                r.replay(s);
                stored = s.lines.size();
            }
            assertEquals(e.recordsDelivered(), stored, "every record before the damage is in the database");
        }
    }

    @Test
    void aFileWithoutItsEndRecordIsReportedAsTruncated() throws IOException {
        Path file = tmp.resolve("noend.xscap");
        writeGzipLines(file, header(), "{\"type\":\"opened\",\"id\":1,\"route\":\"r\",\"listen\":null,\"client\":null,"
                + "\"server\":null,\"tls\":\"passthrough\",\"at\":5}");
        CollectingSink sink = new CollectingSink();
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> XscapReader.open(file).replay(sink));
        assertTrue(e.getMessage().contains("truncated: it ends after line 2"), e.getMessage());
        assertEquals(1, sink.lines.size(), "the connection before the cut was delivered");
        assertTrue(sink.flushes > 0, "the sink was flushed so a database writer commits what it got");
    }

    @Test
    void aRecordThatAppearsTwiceIsNamedAsSuchNotInTheDatabasesWords() throws IOException {
        Path file = tmp.resolve("twice.xscap");
        String event = "{\"type\":\"event\",\"conn\":1,\"seq\":2,\"at\":6,\"dir\":\"toClient\",\"kind\":\"STARTTLS_PROCEED\","
                + "\"detail\":\"\"}";
        writeGzipLines(file, header(), OPENED_1,
                event, event, "{\"type\":\"end\",\"records\":3}");
        try (CaptureStore target = CaptureStore.open(tmp.resolve("target"))) {
            CaptureFileException e = assertThrows(CaptureFileException.class,
                    () -> CaptureFiles.importInto(target, file, ProgressBar.NONE, NOT_WIRE_BYTES));
            assertEquals(file + " holds one record twice (two events of one connection with the same sequence number): it"
                    + " was changed by hand, or damaged; the records before the batch that holds it were imported", e.getMessage());
        }
    }

    /** A chunk line repeated by hand would put its bytes into the stream twice, shifting everything after it. */
    @Test
    void aChunkThatAppearsTwiceIsNamedAsSuchAndTheRecordsBeforeItSurvive() throws IOException {
        Path file = tmp.resolve("chunk-twice.xscap");
        String chunk = chunkLine(2, "toServer", 1, "xx");
        writeGzipLines(file, header(), OPENED_1, chunkLine(1, "toServer", 0, "x"), chunkLine(1, "toClient", 0, "x"),
                chunk, chunk, "{\"type\":\"end\",\"records\":5}");
        CollectingSink sink = new CollectingSink();
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> XscapReader.open(file).replay(sink));
        assertEquals(file + " line 6: the chunk of connection 1 (toServer, plain) starts at stream offset 1, but that"
                + " stream's bytes up to offset 3 were already read: a line repeated or moved (changed by hand, or damaged);"
                + " the 4 records before it were read", e.getMessage());
        assertEquals(4, e.recordsDelivered());
        assertEquals(4, sink.lines.size());
    }

    @Test
    void aCorruptLineIsReportedWithItsLineNumberAndTheRecordsBeforeItSurvive() throws IOException {
        Path file = tmp.resolve("corrupt.xscap");
        writeGzipLines(file, header(),
                OPENED_1,
                chunkLine(1, "toServer", 0, "x"),
                "{\"type\":\"chunk\",\"conn\":1,\"se#@!garbage",
                "{\"type\":\"end\",\"records\":3}");
        CollectingSink sink = new CollectingSink();
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> XscapReader.open(file).replay(sink));
        assertTrue(e.getMessage().contains("corrupt at line 4"), e.getMessage());
        assertEquals(2, e.recordsDelivered());
        assertEquals(2, sink.lines.size());
    }

    @Test
    void flippedBytesInTheCompressedDataAreReportedAsCorrupt() throws IOException {
        Path db = tmp.resolve("source");
        fillStore(db, 1, 2000);
        Path file = tmp.resolve("flipped.xscap");
        try (CaptureStore store = CaptureStore.open(db)) {
            CaptureFiles.export(store, file, Map.of(), ProgressBar.NONE);
        }
        byte[] all = Files.readAllBytes(file);
        for (int i = all.length / 2; i < all.length / 2 + 64; i++) {
            all[i] ^= 0x5a;
        }
        Files.write(file, all);
        CollectingSink sink = new CollectingSink();
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> XscapReader.open(file).replay(sink));
        // where: a line number; what: corrupt, truncated or a bad record, whichever the flipped bytes produced
        assertTrue(e.getMessage().matches("(?s).*line \\d+.*") && e.getMessage().matches("(?s).*(corrupt|truncated|bad).*"),
                e.getMessage());
        assertTrue(sink.lines.size() > 100, "the part before the damage was read: " + sink.lines.size());
    }

    @Test
    void aNewerFormatVersionIsRefusedWithAClearMessage() throws IOException {
        Path file = tmp.resolve("future.xscap");
        writeGzipLines(file, "{\"type\":\"xmppscope-capture\",\"version\":99}", "{\"type\":\"end\",\"records\":0}");
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> XscapReader.open(file));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }

    @Test
    void somethingThatIsNotACaptureFileIsNamedAsSuch() throws IOException {
        Path file = tmp.resolve("notes.xscap");
        Files.writeString(file, "hello");
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> XscapReader.open(file));
        assertTrue(e.getMessage().contains("not gzip-compressed"), e.getMessage());
    }

    static List<String> replayStore(CaptureStore store) {
        try (var r = store.newReader()) {
            CollectingSink s = new CollectingSink();
            r.replay(s);
            return s.lines;
        }
    }

    /** Three connections: c2s with STARTTLS intercepted, an s2s, one left open; {@code chunks} per connection. */
    static void fillStore(Path db, long firstId, int chunks) {
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            long t = 1_700_000_000_000_000_000L;
            w.opened(new ConnectionOpened(firstId, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", "127.0.0.1:40000",
                    "127.0.0.2:5222", TlsMode.INTERCEPT, t));
            w.opened(new ConnectionOpened(firstId + 1, "127.0.0.1:5269=127.0.0.9:5269", "127.0.0.1:5269", "127.0.0.1:40001",
                    "127.0.0.9:5269", TlsMode.PASSTHROUGH, t + 1));
            w.opened(new ConnectionOpened(firstId + 2, "127.0.0.1:5269=127.0.0.9:5269", "127.0.0.1:5269", "127.0.0.1:40002",
                    "127.0.0.9:5269", TlsMode.PASSTHROUGH, t + 2));
            long[] offsets = new long[6];
            for (int i = 0; i < chunks; i++) {
                for (int c = 0; c < 3; c++) {
                    Direction d = i % 2 == 0 ? Direction.TO_SERVER : Direction.TO_CLIENT;
                    byte[] b = ("<message id='m" + i + "'><body>caf\u00e9 " + i + " \u2603</body></message>").getBytes(StandardCharsets.UTF_8);
                    int k = c * 2 + d.code();
                    w.chunk(new Chunk(firstId + c, i + 1, d, t + 10 + i * 10L + c, c == 0 && i > 5 ? TlsLayer.DECRYPTED : TlsLayer.PLAIN,
                            offsets[k], b.length, b, i == 3));
                    offsets[k] += b.length;
                }
                if (i == 5) {
                    w.event(new ConnectionEvent(firstId, 10_000, t + 10 + i * 10L + 5, Direction.TO_CLIENT, EventKind.STARTTLS_PROCEED, ""));
                    w.event(new ConnectionEvent(firstId, 10_001, t + 10 + i * 10L + 6, null, EventKind.TLS_ESTABLISHED, "TLSv1.3 \"quoted\""));
                }
            }
            w.chunk(Chunk.encrypted(firstId + 1, 100_000, Direction.TO_SERVER, t + 10 + chunks * 10L, 0, 517));
            w.closed(new ConnectionClosed(firstId, t + 20 + chunks * 10L, CloseReason.CLIENT_CLOSED, "client closed", 10, 20));
            w.closed(new ConnectionClosed(firstId + 1, t + 21 + chunks * 10L, CloseReason.SERVER_RESET, "", 30, 40));
        }
    }

    /** A plain chunk of connection 1 carrying {@code text} at stream {@code offset}, as an .xscap line. */
    private static String chunkLine(int seq, String dir, int offset, String text) {
        return "{\"type\":\"chunk\",\"conn\":1,\"seq\":" + seq + ",\"dir\":\"" + dir + "\",\"at\":" + (5 + seq)
                + ",\"layer\":\"plain\",\"offset\":" + offset + ",\"length\":" + text.length() + ",\"data\":\""
                + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\"}";
    }

    private static String header() {
        return "{\"type\":\"xmppscope-capture\",\"version\":1}";
    }

    private static void writeGzipLines(Path file, String... lines) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            for (String l : lines) {
                out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        Files.write(file, bytes.toByteArray());
    }
}
