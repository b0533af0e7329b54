package dev.xmppscope.capture.file;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.StoredPayloads;

/** Passes everything on to a sink, counting the records for a progress bar (an import, an analysis). */
public final class ProgressSink implements CaptureSink {
    private final CaptureSink target;
    private final ProgressBar progress;
    private long records;

    public ProgressSink(CaptureSink target, ProgressBar progress) {
        this.target = target;
        this.progress = progress;
    }

    /** Records passed on so far. */
    public long records() {
        return records;
    }

    @Override
    public void opened(ConnectionOpened c) {
        target.opened(c);
        tick();
    }

    @Override
    public void chunk(Chunk c) {
        target.chunk(c);
        tick();
    }

    @Override
    public void storedChunk(Chunk c, StoredPayloads payloads, long position) {
        target.storedChunk(c, payloads, position);
        tick();
    }

    @Override
    public void event(ConnectionEvent e) {
        target.event(e);
        tick();
    }

    @Override
    public void closed(ConnectionClosed c) {
        target.closed(c);
        tick();
    }

    @Override
    public void flushed() {
        target.flushed();
    }

    private void tick() {
        if (++records % 500 == 0) {
            progress.update(records);
        }
    }
}
