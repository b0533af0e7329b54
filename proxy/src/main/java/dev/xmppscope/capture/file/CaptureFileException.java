package dev.xmppscope.capture.file;

/**
 * A capture file could not be read to its end: it is truncated, corrupt, or of an unknown
 * format or version. Everything before the damage has already been delivered to the sink;
 * the message says where the damage starts so the user can judge what was lost.
 */
public final class CaptureFileException extends RuntimeException {
    private final long recordsDelivered;

    public CaptureFileException(String message, long recordsDelivered, Throwable cause) {
        super(message, cause);
        this.recordsDelivered = recordsDelivered;
    }

    /** How many records (connections, chunks, events, closes) were delivered before the damage. */
    public long recordsDelivered() {
        return recordsDelivered;
    }
}
