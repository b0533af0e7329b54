package dev.xmppscope.capture;

import java.util.Objects;

/**
 * A client connected to one of the proxy's routes.
 *
 * @param id       capture-wide connection id (unique within one capture database)
 * @param route    the route as the user wrote it, {@code LISTEN=UPSTREAM}
 * @param listen   the proxy address the client connected to, {@code host:port}
 * @param client   the client's address, {@code host:port}
 * @param server   the upstream the proxy connects to, {@code host:port}
 * @param tlsMode  what the route does with TLS
 * @param atNanos  when the client connected, nanoseconds since the Unix epoch
 */
public record ConnectionOpened(long id, String route, String listen, String client, String server,
                               TlsMode tlsMode, long atNanos) implements CaptureRecord {
    public ConnectionOpened {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(tlsMode, "tlsMode");
    }

    @Override
    public void deliverTo(CaptureSink sink) {
        sink.opened(this);
    }
}
