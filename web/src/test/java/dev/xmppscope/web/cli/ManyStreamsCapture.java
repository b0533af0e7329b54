package dev.xmppscope.web.cli;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A capture database of many short c2s streams to a.example, one after the other, as the proxy
 * records them: each client binds {@code userN@a.example/r}, sends one message and closes. What
 * {@code open} analyzes while a page polls it, at a scale where the whole list is megabytes.
 */
final class ManyStreamsCapture {
    private static final String NS = "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'";
    private static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";

    private ManyStreamsCapture() {
    }

    /** Writes {@code streams} streams into the capture database {@code db}. */
    static void write(Path db, int streams) {
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            long t = 1_764_000_000_000_000_000L;
            for (int id = 1; id <= streams; id++) {
                w.opened(new ConnectionOpened(id, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222",
                        "127.0.0.1:" + (10_000 + id), "127.0.0.2:5222", TlsMode.PASSTHROUGH, t++));
                String[] client = {"<stream:stream " + NS + " to='a.example' version='1.0'>",
                        "<iq type='set' id='b" + id + "'><bind xmlns='" + BIND + "'><resource>r</resource></bind></iq>",
                        "<message to='user1@a.example' id='m" + id + "'><body>hello " + id + "</body></message>",
                        "</stream:stream>"};
                String[] server = {"<stream:stream " + NS + " from='a.example' id='s" + id + "' version='1.0'>"
                        + "<stream:features><bind xmlns='" + BIND + "'/></stream:features>",
                        "<iq type='result' id='b" + id + "'><bind xmlns='" + BIND + "'><jid>user" + id + "@a.example/r</jid></bind></iq>",
                        "", "</stream:stream>"};
                long[] sent = new long[2];
                long seq = 0;
                for (int i = 0; i < client.length; i++) {
                    seq = chunk(w, id, seq, Direction.TO_SERVER, t++, client[i], sent);
                    seq = chunk(w, id, seq, Direction.TO_CLIENT, t++, server[i], sent);
                }
                w.closed(new ConnectionClosed(id, t++, CloseReason.CLIENT_CLOSED, "client closed the stream", sent[0], sent[1]));
                if (id % 500 == 0) {
                    w.commit();
                }
            }
        }
    }

    /** Writes {@code xml} as the next chunk of one direction, unless empty; returns the next sequence number. */
    private static long chunk(CaptureWriter w, long id, long seq, Direction d, long at, String xml, long[] sent) {
        if (xml.isEmpty()) {
            return seq;
        }
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        int side = d == Direction.TO_SERVER ? 0 : 1;
        w.chunk(Chunk.of(id, seq, d, at, TlsLayer.PLAIN, sent[side], b));
        sent[side] += b.length;
        return seq + 1;
    }
}
