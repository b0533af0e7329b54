package dev.xmppscope.analyzer;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A recorded conversation written as a script: connections opening, bytes each way at given
 * times (milliseconds from a base), events, closes. Plays into any {@link CaptureSink}: the
 * analyzer directly, or a capture writer to make a real stored capture.
 */
final class CaptureScript {
    static final long BASE = 1_764_000_000_000_000_000L;
    private final List<Consumer<CaptureSink>> calls = new ArrayList<>();
    private final Map<Long, long[]> seqAndOffsets = new HashMap<>(); // seq, offset toServer, offset toClient
    private final Map<Long, long[]> bytes = new HashMap<>();

    static long ms(double millis) {
        return BASE + (long) (millis * 1_000_000);
    }

    CaptureScript open(long conn, double atMs, String route, String client) {
        seqAndOffsets.put(conn, new long[3]);
        bytes.put(conn, new long[2]);
        ConnectionOpened o = new ConnectionOpened(conn, route, route.split("=")[0], client, route.split("=")[1],
                TlsMode.INTERCEPT, ms(atMs));
        calls.add(s -> s.opened(o));
        return this;
    }

    CaptureScript toServer(long conn, double atMs, String xml) {
        return send(conn, atMs, Direction.TO_SERVER, TlsLayer.PLAIN, xml);
    }

    CaptureScript toClient(long conn, double atMs, String xml) {
        return send(conn, atMs, Direction.TO_CLIENT, TlsLayer.PLAIN, xml);
    }

    CaptureScript send(long conn, double atMs, Direction d, TlsLayer layer, String xml) {
        return sendBytes(conn, atMs, d, layer, xml.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes as read, which need not end on a character's or an element's end. */
    CaptureScript sendBytes(long conn, double atMs, Direction d, TlsLayer layer, byte[] b) {
        long[] so = seqAndOffsets.get(conn);
        int slot = d == Direction.TO_SERVER ? 1 : 2;
        Chunk c = Chunk.of(conn, so[0]++, d, ms(atMs), layer, so[slot], b);
        so[slot] += b.length;
        bytes.get(conn)[d.code()] += b.length;
        calls.add(s -> s.chunk(c));
        return this;
    }

    /** Starts a new TLS layer in both directions (offsets restart at 0). */
    CaptureScript newLayer(long conn) {
        long[] so = seqAndOffsets.get(conn);
        so[1] = 0;
        so[2] = 0;
        return this;
    }

    CaptureScript event(long conn, double atMs, Direction d, EventKind kind, String detail) {
        long[] so = seqAndOffsets.get(conn);
        ConnectionEvent e = new ConnectionEvent(conn, so[0]++, ms(atMs), d, kind, detail);
        calls.add(s -> s.event(e));
        return this;
    }

    CaptureScript close(long conn, double atMs, CloseReason reason) {
        long[] b = bytes.get(conn);
        ConnectionClosed c = new ConnectionClosed(conn, ms(atMs), reason, reason.name().toLowerCase(), b[0], b[1]);
        calls.add(s -> s.closed(c));
        return this;
    }

    void playInto(CaptureSink sink) {
        calls.forEach(c -> c.accept(sink));
        sink.flushed();
    }
}
