package dev.xmppscope.web.cli;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code xmppscope proxy} prints as connections come and go: a line when one opens and one
 * when it closes (why, after how long, bytes each way), so the terminal shows whether a client
 * reached the proxy at all before anyone opens the web UI. A recorder listener: it runs on a
 * thread of its own, after each commit, never on the relay's.
 */
final class ConnectionLog implements CaptureSink {
    private final PrintWriter out;
    private final Map<Long, Long> openedAt = new HashMap<>();

    ConnectionLog(PrintWriter out) {
        this.out = out;
    }

    /** How the recorder names it should it fall behind (a storm of connections would delay these lines). */
    @Override
    public String toString() {
        return "the connection log";
    }

    @Override
    public void opened(ConnectionOpened c) {
        openedAt.put(c.id(), c.atNanos());
        out.printf("#%d opened: %s → %s%n", c.id(), c.client(), c.server());
        out.flush();
    }

    @Override
    public void closed(ConnectionClosed c) {
        Long at = openedAt.remove(c.id());
        String after = at == null ? "" : String.format(Locale.ROOT, "after %.1f s; ", (c.atNanos() - at) / 1e9);
        // a detail may quote a peer (a certificate's subject): printed escaped, as show prints the wire
        String why = c.detail().isEmpty() ? c.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                : TerminalSafe.line(c.detail());
        out.printf("#%d closed: %s (%s%,d bytes to the server, %,d to the client)%n", c.id(), why, after,
                c.bytesToServer(), c.bytesToClient());
        out.flush();
    }

    @Override
    public void chunk(Chunk chunk) {
    }

    /** Opens and closes only: a flood's bytes never reach its queue. */
    @Override
    public boolean takesChunks() {
        return false;
    }

    @Override
    public void event(ConnectionEvent event) {
    }
}
