package dev.xmppscope.replay.live;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.file.CaptureSource;
import dev.xmppscope.capture.pcap.TopLevelSplitter;
import java.util.ArrayList;
import java.util.List;

/**
 * The c2s session of one recorded connection, cut into pieces in the order they were seen:
 * what the client sent (to re-send) and what the server answered (to compare with).
 */
final class RecordedSession {
    final ConnectionOpened connection;
    final List<Piece> pieces;

    private RecordedSession(ConnectionOpened connection, List<Piece> pieces) {
        this.connection = connection;
        this.pieces = pieces;
    }

    List<Piece> client() {
        return pieces.stream().filter(p -> p.direction() == Direction.TO_SERVER).toList();
    }

    List<Piece> server() {
        return pieces.stream().filter(p -> p.direction() == Direction.TO_CLIENT).toList();
    }

    /** Reads connection {@code id} of {@code source}; fails with a reason when it cannot be replayed. */
    static RecordedSession load(CaptureSource source, long id) {
        List<Piece> pieces = new ArrayList<>();
        ConnectionOpened[] opened = new ConnectionOpened[1];
        boolean[] encrypted = new boolean[1];
        TopLevelSplitter[] splitters = new TopLevelSplitter[4]; // direction x (plain, decrypted)
        source.replay(new CaptureSink() {
            @Override
            public void opened(ConnectionOpened c) {
                if (c.id() == id) {
                    opened[0] = c;
                }
            }

            @Override
            public void chunk(Chunk c) {
                if (c.connectionId() != id) {
                    return;
                }
                if (c.layer() == TlsLayer.ENCRYPTED) {
                    encrypted[0] = true;
                    return;
                }
                boolean tls = c.layer() == TlsLayer.DECRYPTED;
                int slot = c.direction().code() * 2 + (tls ? 1 : 0);
                if (splitters[slot] == null) {
                    splitters[slot] = new TopLevelSplitter();
                }
                for (String xml : splitters[slot].feed(c.bytes(), 0, c.bytes().length)) {
                    pieces.add(new Piece(c.direction(), tls, xml, c.atNanos()));
                }
            }

            @Override
            public void event(ConnectionEvent e) {
            }

            @Override
            public void closed(ConnectionClosed c) {
            }
        });
        if (opened[0] == null) {
            throw new IllegalArgumentException("the capture has no connection " + id);
        }
        RecordedSession s = new RecordedSession(opened[0], pieces);
        List<Piece> client = s.client();
        if (client.isEmpty() || !client.get(0).isHeader()) {
            throw new IllegalArgumentException("connection " + id + " does not start with an XMPP stream header from its client");
        }
        String ns = client.get(0).attribute("xmlns");
        if (!"jabber:client".equals(ns)) {
            throw new IllegalArgumentException("connection " + id + " is not a client-to-server stream (xmlns '" + ns
                    + "'); replay re-sends c2s sessions");
        }
        if (encrypted[0]) {
            throw new IllegalArgumentException("connection " + id + " turned to TLS that was not intercepted, so what the client"
                    + " sent inside it is unknown; record with '--tls intercept' to replay it");
        }
        return s;
    }
}
