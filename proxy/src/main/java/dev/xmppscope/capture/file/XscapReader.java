package dev.xmppscope.capture.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads an {@code .xscap} file (see {@link XscapFormat}) and replays it into any
 * {@link CaptureSink}. A damaged file is read up to the damage: everything before it reaches
 * the sink (and a final {@link CaptureSink#flushed()}), then a {@link CaptureFileException}
 * says where the damage is (line, byte in the uncompressed text, byte in the file).
 */
public final class XscapReader implements CaptureSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The sink gets {@code flushed()} this often, so a database writer commits in batches. */
    private static final int FLUSH_EVERY = 2000;

    private final Path file;
    private final XscapHeader header;
    /** Where each stream's bytes read so far end, to catch a chunk read twice ({@link #requireNoOverlap}). */
    private final Map<StreamKey, Long> streamEnds = new HashMap<>();

    private XscapReader(Path file, XscapHeader header) {
        this.file = file;
        this.header = header;
    }

    /** Opens {@code file} and checks its header; the records are read by {@link #replay}. */
    public static XscapReader open(Path file) {
        try (Lines lines = new Lines(file)) {
            byte[] first = lines.next();
            if (first == null) {
                throw new CaptureFileException(file + " is empty: not an xmppscope capture file", 0, null);
            }
            return new XscapReader(file, parseHeader(file, first));
        } catch (IOException e) {
            throw damage(file, null, 0, e);
        }
    }

    public XscapHeader header() {
        return header;
    }

    public Path file() {
        return file;
    }

    @Override
    public void replay(CaptureSink sink) {
        replay(sink, bytes -> { });
    }

    /**
     * Replays every record into {@code sink}.
     *
     * @param progress told how many bytes of the (compressed) file have been read so far
     * @return the number of records delivered
     */
    public long replay(CaptureSink sink, LongConsumer progress) {
        streamEnds.clear(); // each replay reads the file from its start
        long delivered = 0;
        Lines lines = null;
        try {
            lines = new Lines(file);
            lines.next(); // header, checked by open()
            while (true) {
                byte[] line = lines.next();
                if (line == null) {
                    throw new CaptureFileException(file + " is truncated: it ends after line " + lines.lineNumber
                            + " (byte " + lines.fileBytes() + ") without its end record; the " + delivered
                            + " records before that were read", delivered, null);
                }
                JsonNode r = parseLine(lines, line, delivered);
                String type = r.path("type").asText();
                if (XscapFormat.END.equals(type)) {
                    long expected = r.path("records").asLong(-1);
                    if (expected != delivered) {
                        throw new CaptureFileException(file + " line " + lines.lineNumber + ": the end record counts "
                                + expected + " records but " + delivered + " were read", delivered, null);
                    }
                    sink.flushed();
                    return delivered;
                }
                if (deliver(r, type, sink, lines, delivered)) {
                    delivered++;
                }
                if (delivered % FLUSH_EVERY == 0) {
                    sink.flushed();
                    progress.accept(lines.fileBytes());
                }
            }
        } catch (IOException e) {
            sink.flushed();
            throw damage(file, lines, delivered, e);
        } catch (CaptureFileException e) {
            sink.flushed();
            throw e;
        } finally {
            if (lines != null) {
                lines.closeQuietly();
            }
        }
    }

    private boolean deliver(JsonNode r, String type, CaptureSink sink, Lines lines, long delivered) {
        try {
            switch (type) {
                case XscapFormat.OPENED -> sink.opened(new ConnectionOpened(r.get("id").asLong(), text(r, "route"),
                        text(r, "listen"), text(r, "client"), text(r, "server"), TlsMode.ofCliName(text(r, "tls")),
                        r.get("at").asLong()));
                case XscapFormat.CHUNK -> {
                    byte[] data = r.get("data").binaryValue();
                    Chunk c = new Chunk(r.get("conn").asLong(), r.get("seq").asLong(), Direction.ofWireName(text(r, "dir")),
                            r.get("at").asLong(), XscapNames.layer(text(r, "layer")), r.get("offset").asLong(),
                            r.get("length").asInt(), data, r.path("redacted").asBoolean(false));
                    requireNoOverlap(c, lines, delivered);
                    sink.chunk(c);
                }
                case XscapFormat.EVENT -> {
                    String dir = text(r, "dir");
                    sink.event(new ConnectionEvent(r.get("conn").asLong(), r.get("seq").asLong(), r.get("at").asLong(),
                            dir == null ? null : Direction.ofWireName(dir), EventKind.valueOf(text(r, "kind")),
                            text(r, "detail")));
                }
                case XscapFormat.CLOSED -> sink.closed(new ConnectionClosed(r.get("id").asLong(), r.get("at").asLong(),
                        CloseReason.valueOf(text(r, "reason")), text(r, "detail"), r.path("bytesToServer").asLong(),
                        r.path("bytesToClient").asLong()));
                default -> {
                    return false; // a record type from a newer minor revision: skip it
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (e instanceof CaptureFileException cfe) {
                throw cfe;
            }
            throw new CaptureFileException(file + " line " + lines.lineNumber + " (byte " + lines.fileBytes()
                    + "): bad " + type + " record: " + e.getMessage(), delivered, e);
        }
    }

    /**
     * A chunk must start at or after where its stream's last one ended: one that starts before
     * (a line repeated or moved by hand) would put its bytes into the stream twice, and every
     * later offset of that stream would be wrong.
     */
    private void requireNoOverlap(Chunk c, Lines lines, long delivered) {
        StreamKey key = new StreamKey(c.connectionId(), c.direction(), c.layer());
        long end = streamEnds.getOrDefault(key, 0L);
        if (c.offset() < end) {
            throw new CaptureFileException(file + " line " + lines.lineNumber + ": the chunk of connection "
                    + c.connectionId() + " (" + c.direction().wireName() + ", " + XscapNames.layer(c.layer())
                    + ") starts at stream offset " + c.offset() + ", but that stream's bytes up to offset " + end
                    + " were already read: a line repeated or moved (changed by hand, or damaged); the " + delivered
                    + " records before it were read", delivered, null);
        }
        streamEnds.put(key, c.offset() + c.length());
    }

    private record StreamKey(long connection, Direction direction, TlsLayer layer) {
    }

    private JsonNode parseLine(Lines lines, byte[] line, long delivered) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new CaptureFileException(file + " is corrupt at line " + lines.lineNumber + " (byte "
                    + lines.lineStart + " of the uncompressed text): not a JSON record (" + why + "); the " + delivered
                    + " records before it were read", delivered, e);
        }
    }

    private static String text(JsonNode r, String field) {
        JsonNode n = r.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static XscapHeader parseHeader(Path file, byte[] line) {
        JsonNode h;
        try {
            h = JSON.readTree(line);
        } catch (IOException e) {
            throw new CaptureFileException(file + " is not an xmppscope capture file: its first line is not JSON", 0, e);
        }
        if (h == null || !XscapFormat.MAGIC.equals(h.path("type").asText())) {
            throw new CaptureFileException(file + " is not an xmppscope capture file (its first line has no type \""
                    + XscapFormat.MAGIC + "\")", 0, null);
        }
        int version = h.path("version").asInt(-1);
        if (version < 1 || version > XscapFormat.VERSION) {
            throw new CaptureFileException(file + " is capture format version " + version + "; this xmppscope reads up to "
                    + XscapFormat.VERSION + " (a newer xmppscope wrote it)", 0, null);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        h.path("meta").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
        return new XscapHeader(version, h.path("createdAt").asText(null), h.path("generator").asText(null), meta);
    }

    private static CaptureFileException damage(Path file, Lines lines, long delivered, IOException e) {
        String where = lines == null ? "" : " in line " + (lines.lineNumber + 1) + " (byte " + lines.uncompressed
                + " of the uncompressed text, byte " + lines.fileBytes() + " of the file)";
        String what = e instanceof ZipException ? "is corrupt (" + e.getMessage() + ")"
                : e instanceof java.io.EOFException ? "is truncated" : "cannot be read (" + e.getMessage() + ")";
        return new CaptureFileException(file + " " + what + where + "; the " + delivered
                + " records before that were read", delivered, e);
    }

    /** The file's lines as bytes, counting lines, uncompressed bytes and compressed bytes read. */
    private static final class Lines implements AutoCloseable {
        private final CountingInputStream raw;
        private final InputStream in;
        long lineNumber;
        long uncompressed;
        long lineStart;

        Lines(Path file) throws IOException {
            raw = new CountingInputStream(Files.newInputStream(file));
            InputStream gz;
            try {
                gz = new GZIPInputStream(raw, 1 << 16);
            } catch (ZipException e) {
                raw.close();
                throw new ZipException("not gzip-compressed, so not an .xscap file");
            }
            in = new BufferedInputStream(gz, 1 << 16);
        }

        /** The next line without its newline, or null at a clean end of the file. */
        byte[] next() throws IOException {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(256);
            lineStart = uncompressed;
            int b;
            while ((b = in.read()) != -1) {
                uncompressed++;
                if (b == '\n') {
                    lineNumber++;
                    return line.toByteArray();
                }
                line.write(b);
            }
            if (line.size() > 0) {
                throw new java.io.EOFException("the last line is cut off");
            }
            return null;
        }

        long fileBytes() {
            return raw.count;
        }

        void closeQuietly() {
            try {
                in.close();
            } catch (IOException e) {
                // reading is over and the error that matters was already reported
                System.getLogger(XscapReader.class.getName()).log(System.Logger.Level.DEBUG, "close failed", e);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
