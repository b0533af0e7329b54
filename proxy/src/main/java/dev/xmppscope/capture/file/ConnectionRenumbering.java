package dev.xmppscope.capture.file;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives each connection of an imported capture a fresh id in the target database (ids are
 * capture-wide keys there), so that several files can be merged into one database. Ids are
 * handed out in the order connections open, starting at {@code firstId}.
 */
public final class ConnectionRenumbering implements CaptureSink {
    private final CaptureSink target;
    private final Map<Long, Long> ids = new HashMap<>();
    private long nextId;

    public ConnectionRenumbering(CaptureSink target, long firstId) {
        this.target = target;
        this.nextId = firstId;
    }

    /** The next id this renumbering would hand out (one past the last used). */
    public long nextId() {
        return nextId;
    }

    @Override
    public void opened(ConnectionOpened c) {
        long id = nextId++;
        ids.put(c.id(), id);
        target.opened(new ConnectionOpened(id, c.route(), c.listen(), c.client(), c.server(), c.tlsMode(), c.atNanos()));
    }

    @Override
    public void chunk(Chunk c) {
        target.chunk(new Chunk(map(c.connectionId()), c.seq(), c.direction(), c.atNanos(), c.layer(), c.offset(),
                c.length(), c.bytes(), c.redacted()));
    }

    @Override
    public void event(ConnectionEvent e) {
        target.event(new ConnectionEvent(map(e.connectionId()), e.seq(), e.atNanos(), e.direction(), e.kind(), e.detail()));
    }

    @Override
    public void closed(ConnectionClosed c) {
        target.closed(new ConnectionClosed(map(c.id()), c.atNanos(), c.reason(), c.detail(), c.bytesToServer(),
                c.bytesToClient()));
    }

    @Override
    public void flushed() {
        target.flushed();
    }

    private long map(long id) {
        Long mapped = ids.get(id);
        if (mapped == null) {
            throw new IllegalStateException("data for connection " + id + " comes before the connection was opened");
        }
        return mapped;
    }
}
