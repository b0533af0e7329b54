package dev.xmppscope.capture;

import java.util.Objects;

/**
 * A proxied connection ended.
 *
 * @param id            the connection
 * @param atNanos       when, nanoseconds since the Unix epoch
 * @param reason        why, in one word
 * @param detail        why, in words a user can act on (e.g. "upstream 127.0.0.2:5222 refused the connection")
 * @param bytesToServer bytes relayed client → server on the wire (TLS records included)
 * @param bytesToClient bytes relayed server → client on the wire
 */
public record ConnectionClosed(long id, long atNanos, CloseReason reason, String detail,
                               long bytesToServer, long bytesToClient) implements CaptureRecord {
    public ConnectionClosed {
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
    }

    @Override
    public void deliverTo(CaptureSink sink) {
        sink.closed(this);
    }
}
