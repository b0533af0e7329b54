package dev.xmppscope.capture;

import java.util.Objects;

/**
 * One read from one side of a proxied connection, as recorded.
 *
 * @param connectionId the connection it belongs to
 * @param seq          position among all chunks and events of the connection (both directions
 *                     share one counter, so seq orders what the proxy saw)
 * @param direction    which way the bytes flowed
 * @param atNanos      when the proxy read them, nanoseconds since the Unix epoch
 * @param layer        plain, decrypted (inside intercepted TLS) or encrypted (length only)
 * @param offset       byte offset of this chunk within its (direction, layer) stream; a new TLS
 *                     layer starts again at 0
 * @param length       number of bytes read; equals {@code bytes.length} unless the layer is
 *                     {@link TlsLayer#ENCRYPTED}, whose bytes are not kept
 * @param bytes        the bytes (after redaction: same length, secrets masked)
 * @param redacted     true when some bytes were masked because they carried a secret
 */
public record Chunk(long connectionId, long seq, Direction direction, long atNanos, TlsLayer layer,
                    long offset, int length, byte[] bytes, boolean redacted) implements CaptureRecord {

    public Chunk {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(bytes, "bytes");
        if (layer.isXml() && bytes.length != length) {
            throw new IllegalArgumentException("chunk length " + length + " != " + bytes.length + " bytes");
        }
    }

    /** Bytes are not copied: the caller hands over ownership. */
    public static Chunk of(long connectionId, long seq, Direction direction, long atNanos, TlsLayer layer,
                           long offset, byte[] bytes) {
        return new Chunk(connectionId, seq, direction, atNanos, layer, offset, bytes.length, bytes, false);
    }

    /** An encrypted chunk keeps only its length. */
    public static Chunk encrypted(long connectionId, long seq, Direction direction, long atNanos, long offset,
                                  int length) {
        return new Chunk(connectionId, seq, direction, atNanos, TlsLayer.ENCRYPTED, offset, length, new byte[0], false);
    }

    public Chunk withBytes(byte[] newBytes, boolean wasRedacted) {
        return new Chunk(connectionId, seq, direction, atNanos, layer, offset, length, newBytes, wasRedacted);
    }

    @Override
    public void deliverTo(CaptureSink sink) {
        sink.chunk(this);
    }
}
