package dev.xmppscope.capture;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The chunk index rows of one commit, packed into one H2 row (schema 3). Until schema 2 every
 * chunk had a row of its own with two B-tree entries, and those inserts were nearly all of the
 * recorder's work per chunk: a stanza-sized chunk cost about 20 µs of writer time. One row per
 * batch makes the per-chunk cost an append of {@value #ENTRY_BYTES} bytes.
 *
 * <p>Each entry is fixed-width: connection, seq, at, stream offset, payload position (-1: no
 * bytes kept), length, direction, layer, redacted. Entries are in write order, which is not
 * always time order across connections; {@link StoredItems} merges batches into time order.
 */
final class ChunkBatch {
    /** Entries per row at most; a commit with more writes several rows, keeping each one cheap to read. */
    static final int MAX_ENTRIES = 8192;
    static final int ENTRY_BYTES = 5 * Long.BYTES + Integer.BYTES + 3;

    private ByteBuffer entries = ByteBuffer.allocate(64 * ENTRY_BYTES);
    private int count;
    private long firstAt = Long.MAX_VALUE;
    private long lastAt = Long.MIN_VALUE;

    /** Adds a chunk whose bytes are at {@code payloadPos} in the payload file (-1 when none are kept). */
    void add(Chunk c, long payloadPos) {
        add(c.connectionId(), c.seq(), c.atNanos(), c.offset(), payloadPos, c.length(), c.direction(), c.layer(), c.redacted());
    }

    /** Adds an entry read from elsewhere (an older schema's row). */
    void add(Entry e) {
        add(e.connection(), e.seq(), e.atNanos(), e.offset(), e.payloadPos(), e.length(), e.direction(), e.layer(), e.redacted());
    }

    private void add(long connection, long seq, long atNanos, long offset, long payloadPos, int length, Direction direction,
                     TlsLayer layer, boolean redacted) {
        if (entries.remaining() < ENTRY_BYTES) {
            entries = ByteBuffer.allocate(entries.capacity() * 2).put(entries.flip());
        }
        entries.putLong(connection).putLong(seq).putLong(atNanos).putLong(offset).putLong(payloadPos).putInt(length)
                .put((byte) direction.code()).put((byte) layer.code()).put((byte) (redacted ? 1 : 0));
        count++;
        firstAt = Math.min(firstAt, atNanos);
        lastAt = Math.max(lastAt, atNanos);
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean isFull() {
        return count >= MAX_ENTRIES;
    }

    int count() {
        return count;
    }

    /** Earliest capture time among the entries. */
    long firstAt() {
        return firstAt;
    }

    /** Latest capture time among the entries. */
    long lastAt() {
        return lastAt;
    }

    /** The packed entries, for the row. */
    byte[] bytes() {
        return Arrays.copyOf(entries.array(), entries.position());
    }

    void clear() {
        entries.clear();
        count = 0;
        firstAt = Long.MAX_VALUE;
        lastAt = Long.MIN_VALUE;
    }

    /** One entry read back: where a chunk's bytes are and what it was. */
    record Entry(long connection, long seq, long atNanos, long offset, long payloadPos, int length,
                 Direction direction, TlsLayer layer, boolean redacted) {

        /** The chunk with its bytes ({@code bytes} empty when none were kept). */
        Chunk toChunk(byte[] bytes) {
            return new Chunk(connection, seq, direction, atNanos, layer, offset, length, bytes, redacted);
        }
    }

    /** Hands each entry of a row's packed {@code bytes} to {@code out}, in write order. */
    static void decode(byte[] bytes, Consumer<Entry> out) {
        if (bytes.length % ENTRY_BYTES != 0) {
            throw new CaptureStoreException("a chunk batch row is " + bytes.length + " bytes, not a multiple of "
                    + ENTRY_BYTES + ": the capture database is damaged", null);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            out.accept(new Entry(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getInt(),
                    Direction.ofCode(b.get()), TlsLayer.ofCode(b.get()), b.get() != 0));
        }
    }
}
