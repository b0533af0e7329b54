package dev.xmppscope.capture;

import java.util.Objects;

/**
 * Something the proxy saw on a connection besides bytes.
 *
 * @param connectionId the connection
 * @param seq          shares the connection's counter with its chunks, so events order among them
 * @param atNanos      nanoseconds since the Unix epoch
 * @param direction    the side it concerns, or null when it concerns both
 * @param kind         what happened
 * @param detail       human-readable specifics (protocol and cipher, mechanisms stripped, ...)
 */
public record ConnectionEvent(long connectionId, long seq, long atNanos, Direction direction, EventKind kind,
                              String detail) implements CaptureRecord {
    public ConnectionEvent {
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
    }

    @Override
    public void deliverTo(CaptureSink sink) {
        sink.event(this);
    }
}
