package dev.xmppscope.web.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.analyzer.index.KeptAnalysis;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.StoredPayloads;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The recorder's feed to the analysis worker: each {@link CaptureSink} call as one binary record
 * (a type byte, then the fields). Binary, not JSON: the recording process encodes every chunk it
 * relays, and this costs a copy, not a base64 text. Both ends run the same build, so enums travel
 * as ordinals.
 */
final class FeedCodec {
    private static final int OPENED = 1;
    private static final int CHUNK = 2;
    private static final int EVENT = 3;
    private static final int CLOSED = 4;
    private static final int FLUSHED = 5;
    /** A chunk as stored: a {@code CHUNK} record, then where its bytes are in the capture's payload file. */
    private static final int STORED_CHUNK = 6;
    /** The last record of a clean stop: keep the analysis, as made from the capture it describes ({@link KeptAnalysis.Made}, JSON). */
    private static final int KEEP = 7;
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private FeedCodec() {
    }

    /**
     * A sink that writes each call to {@code out}, flushing at each {@code flushed()}. The first
     * write that fails (the worker is gone) goes to {@code onBroken}; every call after it is
     * dropped, so the recorder's feed goes on without the worker. A chunk stored in
     * {@code payloads} (the capture the worker analyses) is sent with where it is there; a chunk
     * stored elsewhere is sent as a chunk alone, as its place would mean nothing to the worker.
     */
    static CaptureSink encoder(DataOutputStream out, StoredPayloads payloads, Consumer<IOException> onBroken) {
        return new FeedEncoder(out, payloads, new Writer(onBroken));
    }

    /**
     * Asks the worker, after everything fed before, to keep its analysis as made from {@code made}
     * (see {@link KeptAnalysis}), and flushes: the proxy stopped cleanly and fed it all of the capture.
     * Call only once the recorder's feed has ended: this writes on the caller's thread.
     */
    static void writeKeep(DataOutputStream out, KeptAnalysis.Made made) throws IOException {
        out.writeByte(KEEP);
        writeString(out, JSON.writeValueAsString(made));
        out.flush();
    }

    /** The recorder's listener that feeds the worker (its name is the feed thread's). */
    private static final class FeedEncoder implements CaptureSink {
        private final DataOutputStream out;
        private final StoredPayloads own;
        private final Writer write;

        FeedEncoder(DataOutputStream out, StoredPayloads own, Writer write) {
            this.out = out;
            this.own = own;
            this.write = write;
        }

        @Override
        public void opened(ConnectionOpened c) {
            write.accept(() -> {
                out.writeByte(OPENED);
                out.writeLong(c.id());
                writeString(out, c.route());
                writeString(out, c.listen());
                writeString(out, c.client());
                writeString(out, c.server());
                out.writeByte(c.tlsMode().ordinal());
                out.writeLong(c.atNanos());
            });
        }

        @Override
        public void chunk(Chunk c) {
            write.accept(() -> writeChunk(CHUNK, c));
        }

        @Override
        public void storedChunk(Chunk c, StoredPayloads payloads, long position) {
            if (payloads != own) {
                chunk(c);
                return;
            }
            write.accept(() -> {
                writeChunk(STORED_CHUNK, c);
                out.writeLong(position);
            });
        }

        private void writeChunk(int type, Chunk c) throws IOException {
            out.writeByte(type);
            out.writeLong(c.connectionId());
            out.writeLong(c.seq());
            out.writeByte(c.direction().ordinal());
            out.writeLong(c.atNanos());
            out.writeByte(c.layer().ordinal());
            out.writeLong(c.offset());
            out.writeInt(c.length());
            out.writeBoolean(c.redacted());
            out.writeInt(c.bytes().length);
            out.write(c.bytes());
        }

        @Override
        public void event(ConnectionEvent e) {
            write.accept(() -> {
                out.writeByte(EVENT);
                out.writeLong(e.connectionId());
                out.writeLong(e.seq());
                out.writeLong(e.atNanos());
                out.writeByte(e.direction() == null ? -1 : e.direction().ordinal());
                out.writeByte(e.kind().ordinal());
                writeString(out, e.detail());
            });
        }

        @Override
        public void closed(ConnectionClosed c) {
            write.accept(() -> {
                out.writeByte(CLOSED);
                out.writeLong(c.id());
                out.writeLong(c.atNanos());
                out.writeByte(c.reason().ordinal());
                writeString(out, c.detail());
                out.writeLong(c.bytesToServer());
                out.writeLong(c.bytesToClient());
            });
        }

        @Override
        public void flushed() {
            write.accept(() -> {
                out.writeByte(FLUSHED);
                out.flush();
            });
        }

        @Override
        public String toString() {
            return "the analysis worker's feed";
        }
    }

    /**
     * Reads records from {@code in} and makes the same calls on {@code sink}, until the end of
     * the input (the recording process closed the feed); a request to keep the analysis goes to
     * {@code keep}. A record cut short is a {@link CutShort}. A stored chunk's position is in
     * {@code payloads}, the capture's payload file as this process reads it.
     */
    static void decode(DataInputStream in, CaptureSink sink, StoredPayloads payloads, Consumer<KeptAnalysis.Made> keep)
            throws IOException {
        while (true) {
            int type = in.read();
            if (type < 0) {
                return;
            }
            try {
                decodeOne(type, in, sink, payloads, keep);
            } catch (EOFException e) {
                throw new CutShort(type, e);
            }
        }
    }

    /** The feed ended inside a record: the recording process went away in the middle of a write (it was killed). */
    static final class CutShort extends IOException {
        CutShort(int type, EOFException cause) {
            super("the proxy's feed broke off inside " + switch (type) {
                case OPENED -> "a connection's opening";
                case CHUNK, STORED_CHUNK -> "a chunk";
                case EVENT -> "an event";
                case CLOSED -> "a connection's close";
                case KEEP -> "the request to keep the analysis";
                default -> "a record of type " + type;
            } + " (the proxy was stopped abruptly)", cause);
        }
    }

    private static Chunk readChunk(DataInputStream in) throws IOException {
        long connection = in.readLong();
        long seq = in.readLong();
        Direction direction = Direction.values()[in.readByte()];
        long at = in.readLong();
        TlsLayer layer = TlsLayer.values()[in.readByte()];
        long offset = in.readLong();
        int length = in.readInt();
        boolean redacted = in.readBoolean();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new Chunk(connection, seq, direction, at, layer, offset, length, bytes, redacted);
    }

    private static void decodeOne(int type, DataInputStream in, CaptureSink sink, StoredPayloads payloads,
                                  Consumer<KeptAnalysis.Made> keep) throws IOException {
        switch (type) {
            case OPENED -> sink.opened(new ConnectionOpened(in.readLong(), readString(in), readString(in),
                    readString(in), readString(in), TlsMode.values()[in.readByte()], in.readLong()));
            case CHUNK -> sink.chunk(readChunk(in));
            case STORED_CHUNK -> sink.storedChunk(readChunk(in), payloads, in.readLong());
            case EVENT -> {
                long connection = in.readLong();
                long seq = in.readLong();
                long at = in.readLong();
                int direction = in.readByte();
                sink.event(new ConnectionEvent(connection, seq, at, direction < 0 ? null : Direction.values()[direction],
                        EventKind.values()[in.readByte()], readString(in)));
            }
            case CLOSED -> sink.closed(new ConnectionClosed(in.readLong(), in.readLong(),
                    CloseReason.values()[in.readByte()], readString(in), in.readLong(), in.readLong()));
            case FLUSHED -> sink.flushed();
            case KEEP -> keep.accept(JSON.readValue(readString(in), KeptAnalysis.Made.class));
            default -> throw new IOException("not an analysis feed: unknown record type " + type);
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    /** Runs writes until one fails, then reports that once and runs no more. */
    private static final class Writer {
        private final Consumer<IOException> onBroken;
        private boolean broken; // the feed thread only

        Writer(Consumer<IOException> onBroken) {
            this.onBroken = onBroken;
        }

        void accept(Write w) {
            if (broken) {
                return;
            }
            try {
                w.run();
            } catch (IOException e) {
                broken = true;
                onBroken.accept(e);
            }
        }
    }

    /** Length-prefixed UTF-8 (-1 for null); writeUTF would cap a close detail at 64 KiB. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
