package dev.xmppscope.capture.file;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Writes down everything a capture source replays, one line per call, for comparisons. */
public class CollectingSink implements CaptureSink {
    public final List<String> lines = new ArrayList<>();
    public int flushes;

    @Override
    public void opened(ConnectionOpened c) {
        lines.add(c.toString());
    }

    @Override
    public void chunk(Chunk c) {
        lines.add("Chunk[" + c.connectionId() + " " + c.seq() + " " + c.direction() + " " + c.atNanos() + " " + c.layer()
                + " " + c.offset() + " " + c.length() + " " + c.redacted() + " " + Base64.getEncoder().encodeToString(c.bytes()) + "]");
    }

    @Override
    public void event(ConnectionEvent e) {
        lines.add(e.toString());
    }

    @Override
    public void closed(ConnectionClosed c) {
        lines.add(c.toString());
    }

    @Override
    public void flushed() {
        flushes++;
    }
}
