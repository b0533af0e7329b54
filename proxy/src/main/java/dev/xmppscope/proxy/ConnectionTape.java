package dev.xmppscope.proxy;

import dev.xmppscope.capture.CaptureClock;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;

/**
 * What one proxied connection tells the capture sink: chunks and events numbered on one
 * sequence shared by both directions, byte offsets per (direction, TLS layer) stream, the wire
 * byte counts, and the single close record. Used from the connection's event loop only.
 */
final class ConnectionTape {
    private final long id;
    private final CaptureSink sink;
    private long seq;
    private final long[][] offsets = new long[2][3];
    private long bytesToServer;
    private long bytesToClient;

    ConnectionTape(long id, CaptureSink sink) {
        this.id = id;
        this.sink = sink;
    }

    void opened(Route route, String listen, String client, String server) {
        sink.opened(new ConnectionOpened(id, route.spec(), listen, client, server, route.tlsMode(), CaptureClock.nowNanos()));
    }

    /** Counts bytes read off a socket (TLS records included). */
    void wireBytes(Direction dir, int n) {
        if (dir == Direction.TO_SERVER) {
            bytesToServer += n;
        } else {
            bytesToClient += n;
        }
    }

    /** Records bytes of a plain or decrypted stream; returns false when there was nothing to record. */
    boolean chunk(Direction dir, TlsLayer layer, byte[] bytes) {
        if (bytes.length == 0) {
            return false;
        }
        long offset = offsets[dir.code()][layer.code()];
        offsets[dir.code()][layer.code()] += bytes.length;
        sink.chunk(Chunk.of(id, ++seq, dir, CaptureClock.nowNanos(), layer, offset, bytes));
        return true;
    }

    /** Records the length of relayed ciphertext (never its bytes). */
    boolean encrypted(Direction dir, int length) {
        if (length == 0) {
            return false;
        }
        int layer = TlsLayer.ENCRYPTED.code();
        long offset = offsets[dir.code()][layer];
        offsets[dir.code()][layer] += length;
        sink.chunk(Chunk.encrypted(id, ++seq, dir, CaptureClock.nowNanos(), offset, length));
        return true;
    }

    void event(Direction dir, EventKind kind, String detail) {
        sink.event(new ConnectionEvent(id, ++seq, CaptureClock.nowNanos(), dir, kind, detail));
    }

    void closed(CloseReason reason, String detail) {
        sink.closed(new ConnectionClosed(id, CaptureClock.nowNanos(), reason, detail, bytesToServer, bytesToClient));
    }
}
