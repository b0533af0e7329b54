package dev.xmppscope.capture.file;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an {@code .xscap} file (see {@link XscapFormat}) from whatever is replayed into it,
 * typically {@code store.newReader().replay(writer)}. {@link #close()} writes the end record
 * that marks the file complete; a file without it reads back as truncated.
 */
public final class XscapWriter implements CaptureSink, AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final OutputStream out;
    private long records;
    private boolean closed;

    private XscapWriter(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /**
     * Creates (or replaces) {@code file} and writes its header.
     *
     * @param meta free-form description kept in the header (title, recorded-by, source database...)
     */
    public static XscapWriter create(Path file, Map<String, String> meta) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            XscapWriter w = new XscapWriter(file,
                    new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16));
            w.line(g -> {
                g.writeStringField("type", XscapFormat.MAGIC);
                g.writeNumberField("version", XscapFormat.VERSION);
                g.writeStringField("createdAt", Instant.now().toString());
                g.writeStringField("generator", "xmppscope");
                g.writeObjectFieldStart("meta");
                for (Map.Entry<String, String> e : meta.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            });
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create capture file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records written so far, header and end excluded. */
    public long records() {
        return records;
    }

    @Override
    public void opened(ConnectionOpened c) {
        record(g -> {
            g.writeStringField("type", XscapFormat.OPENED);
            g.writeNumberField("id", c.id());
            g.writeStringField("route", c.route());
            g.writeStringField("listen", c.listen());
            g.writeStringField("client", c.client());
            g.writeStringField("server", c.server());
            g.writeStringField("tls", c.tlsMode().cliName());
            g.writeNumberField("at", c.atNanos());
        });
    }

    @Override
    public void chunk(Chunk c) {
        record(g -> {
            g.writeStringField("type", XscapFormat.CHUNK);
            g.writeNumberField("conn", c.connectionId());
            g.writeNumberField("seq", c.seq());
            g.writeStringField("dir", c.direction().wireName());
            g.writeNumberField("at", c.atNanos());
            g.writeStringField("layer", XscapNames.layer(c.layer()));
            g.writeNumberField("offset", c.offset());
            g.writeNumberField("length", c.length());
            g.writeBooleanField("redacted", c.redacted());
            g.writeFieldName("data");
            g.writeBinary(c.bytes());
        });
    }

    @Override
    public void event(ConnectionEvent e) {
        record(g -> {
            g.writeStringField("type", XscapFormat.EVENT);
            g.writeNumberField("conn", e.connectionId());
            g.writeNumberField("seq", e.seq());
            g.writeNumberField("at", e.atNanos());
            g.writeStringField("dir", e.direction() == null ? null : e.direction().wireName());
            g.writeStringField("kind", e.kind().name());
            g.writeStringField("detail", e.detail());
        });
    }

    @Override
    public void closed(ConnectionClosed c) {
        record(g -> {
            g.writeStringField("type", XscapFormat.CLOSED);
            g.writeNumberField("id", c.id());
            g.writeNumberField("at", c.atNanos());
            g.writeStringField("reason", c.reason().name());
            g.writeStringField("detail", c.detail());
            g.writeNumberField("bytesToServer", c.bytesToServer());
            g.writeNumberField("bytesToClient", c.bytesToClient());
        });
    }

    /** Writes the end record and closes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            line(g -> {
                g.writeStringField("type", XscapFormat.END);
                g.writeNumberField("records", records);
            });
        } finally {
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot finish capture file " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private void record(Fields fields) {
        line(fields);
        records++;
    }

    private void line(Fields fields) {
        if (closed) {
            throw new IllegalStateException("capture file " + file + " is already closed");
        }
        try {
            // one generator per line: the stream stays open, the line stays self-contained
            JsonGenerator g = JSON.createGenerator(new NonClosing(out), JsonEncoding.UTF8);
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
            g.close();
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to capture file " + file + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** Lets a JSON generator close without closing the file under it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        @Override
        public void flush() {
            // the file's buffer is flushed on close; flushing per line would defeat compression
        }
    }
}
