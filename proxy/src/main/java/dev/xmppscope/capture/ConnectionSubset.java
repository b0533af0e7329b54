package dev.xmppscope.capture;

import java.util.Set;

/**
 * Passes on to a sink only what belongs to some of a capture's connections: a capture cut down to
 * the streams one means to share (the failing login of a bug report, without everybody else's
 * conversations).
 */
public final class ConnectionSubset implements CaptureSink {
    private final Set<Long> ids;
    private final CaptureSink target;

    public ConnectionSubset(Set<Long> ids, CaptureSink target) {
        this.ids = Set.copyOf(ids);
        this.target = target;
    }

    @Override
    public void opened(ConnectionOpened c) {
        if (ids.contains(c.id())) {
            target.opened(c);
        }
    }

    @Override
    public void chunk(Chunk c) {
        if (ids.contains(c.connectionId())) {
            target.chunk(c);
        }
    }

    @Override
    public void storedChunk(Chunk c, StoredPayloads payloads, long position) {
        if (ids.contains(c.connectionId())) {
            target.storedChunk(c, payloads, position);
        }
    }

    @Override
    public void event(ConnectionEvent e) {
        if (ids.contains(e.connectionId())) {
            target.event(e);
        }
    }

    @Override
    public void closed(ConnectionClosed c) {
        if (ids.contains(c.id())) {
            target.closed(c);
        }
    }

    @Override
    public void flushed() {
        target.flushed();
    }

    @Override
    public boolean takesChunks() {
        return target.takesChunks();
    }
}
