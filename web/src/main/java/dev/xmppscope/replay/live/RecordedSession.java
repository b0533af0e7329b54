package dev.xmppscope.replay.live;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.file.CaptureSource;
import dev.xmppscope.capture.pcap.TopLevelSplitter;
import dev.xmppscope.proxy.SecretMasking;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The c2s session of one recorded connection, cut into pieces in the order they were seen:
 * what the client sent (to re-send) and what the server answered (to compare with). Loading it
 * checks that it can be replayed, before anything is sent or written.
 */
public final class RecordedSession {
    final ConnectionOpened connection;
    final List<Piece> pieces;
    /** Whether the client spoke TLS from its first byte (XEP-0368 Direct TLS): the replay then does too. */
    final boolean directTls;
    /** The client's pieces whose stored bytes were masked, with what was masked in them ("password in a stanza (...)"). */
    private final Map<Piece, Set<String>> masked;

    private RecordedSession(ConnectionOpened connection, List<Piece> pieces, boolean directTls, Map<Piece, Set<String>> masked) {
        this.connection = connection;
        this.pieces = pieces;
        this.directTls = directTls;
        this.masked = masked;
    }

    /** The capture has no connection with the asked id; {@link #known()} are the ones it has. */
    public static final class UnknownConnection extends IllegalArgumentException {
        private final transient Set<Long> known;

        UnknownConnection(long id, Set<Long> known) {
            super("the capture has no connection " + id);
            this.known = known;
        }

        public Set<Long> known() {
            return known;
        }
    }

    /** The recorded connection's id. */
    public long id() {
        return connection.id();
    }

    List<Piece> client() {
        return pieces.stream().filter(p -> p.direction() == Direction.TO_SERVER).toList();
    }

    List<Piece> server() {
        return pieces.stream().filter(p -> p.direction() == Direction.TO_CLIENT).toList();
    }

    /** The domain the client's stream header asked for, or null when it named none. */
    String streamTo() {
        return client().get(0).attribute("to");
    }

    /**
     * The condition of the stream error the server answered the client's header with, before it
     * offered any features (host-unknown: it does not serve the domain asked for), or null.
     */
    String headerRefusal() {
        for (Piece p : server()) {
            if (p.name().equals("stream:features")) {
                return null;
            }
            if (p.name().equals("stream:error")) {
                return SessionReplayer.condition(p);
            }
        }
        return null;
    }

    /** What was masked in {@code clientPiece}'s recording (empty when it is re-sent as the client sent it). */
    Set<String> maskedIn(Piece clientPiece) {
        return masked.getOrDefault(clientPiece, Set.of());
    }

    /**
     * "connection 1 holds 1 masked secret (password in a stanza (...)) in &lt;presence ...&gt;; it is
     * re-sent masked, so the server will refuse it", or null. The SASL login is not counted: it is
     * rebuilt from --user and the password (PLAIN, SCRAM); another mechanism's masked payload is.
     */
    public String maskedSecretsNote() {
        List<Piece> resent = client().stream().filter(p -> !maskedIn(p).isEmpty() && !rebuiltLogin(p)).toList();
        if (resent.isEmpty()) {
            return null;
        }
        Set<String> kinds = new LinkedHashSet<>();
        Set<String> where = new LinkedHashSet<>();
        for (Piece p : resent) {
            kinds.addAll(maskedIn(p));
            where.add(LiveSession.abbreviate(p.xml()));
        }
        boolean one = resent.size() == 1;
        return "connection " + id() + " holds " + resent.size() + " masked secret" + (one ? "" : "s") + " ("
                + String.join("; ", kinds) + ") in " + String.join(", ", where) + "; " + (one ? "it is" : "they are")
                + " re-sent masked, as '*', so the server will refuse " + (one ? "it" : "them")
                + " (a capture recorded with --keep-secrets replays " + (one ? "it" : "them") + ")";
    }

    private static boolean rebuiltLogin(Piece p) {
        String mechanism = p.attribute("mechanism");
        return (p.name().equals("auth") || p.name().equals("response"))
                && (mechanism == null || SessionReplayer.rebuildsLogin(mechanism)); // a response has no mechanism of its own
    }

    /**
     * Reads connection {@code id} of {@code source}; fails with a reason when it cannot be replayed
     * ({@link UnknownConnection} when there is no such connection).
     */
    public static RecordedSession load(CaptureSource source, long id) {
        Loader loader = new Loader(id);
        source.replay(loader);
        if (loader.opened == null) {
            throw new UnknownConnection(id, loader.known);
        }
        RecordedSession s = new RecordedSession(loader.opened, loader.pieces, loader.directTls, loader.maskedPieces());
        List<Piece> client = s.client();
        if (client.isEmpty() || !client.get(0).isHeader()) {
            throw new IllegalArgumentException("connection " + id + " does not start with an XMPP stream header from its client"
                    + (loader.joinedMidStream ? ": the capture began after it opened, so its login is not in it" : ""));
        }
        String ns = client.get(0).attribute("xmlns");
        if (!"jabber:client".equals(ns)) {
            throw new IllegalArgumentException("connection " + id + " is not a client-to-server stream (xmlns '" + ns
                    + "'); replay re-sends c2s sessions");
        }
        if (loader.encrypted) {
            throw new IllegalArgumentException("connection " + id + " turned to TLS that was not intercepted, so what the client"
                    + " sent inside it is unknown; record with '--tls intercept' to replay it");
        }
        return s;
    }

    /** Cuts one connection's chunks into pieces, noting which of the client's were masked. */
    private static final class Loader implements CaptureSink {
        private final long id;
        final Set<Long> known = new TreeSet<>();
        final List<Piece> pieces = new ArrayList<>();
        ConnectionOpened opened;
        boolean encrypted;
        boolean joinedMidStream;
        boolean directTls;
        private final TopLevelSplitter[] splitters = new TopLevelSplitter[4]; // direction x (plain, decrypted)
        /** Per stream: the masked chunks (by seq) fed since its last piece ended, which the next piece may hold. */
        private final List<Set<Long>> maskedSince = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>());
        private final Map<Piece, Set<Long>> maskedChunksOf = new IdentityHashMap<>();
        /** What the SECRET_REDACTED event of each masked chunk says was masked, by the chunk's seq. */
        private final Map<Long, String> redactedKinds = new HashMap<>();

        Loader(long id) {
            this.id = id;
        }

        @Override
        public void opened(ConnectionOpened c) {
            known.add(c.id());
            if (c.id() == id) {
                opened = c;
            }
        }

        @Override
        public void chunk(Chunk c) {
            if (c.connectionId() != id) {
                return;
            }
            if (c.layer() == TlsLayer.ENCRYPTED) {
                encrypted = true;
                return;
            }
            boolean tls = c.layer() == TlsLayer.DECRYPTED;
            int slot = c.direction().code() * 2 + (tls ? 1 : 0);
            if (splitters[slot] == null) {
                splitters[slot] = new TopLevelSplitter();
            }
            Set<Long> since = maskedSince.get(slot);
            if (c.redacted()) {
                since.add(c.seq());
            }
            List<String> done = splitters[slot].feed(c.bytes(), 0, c.bytes().length);
            for (String xml : done) {
                Piece p = new Piece(c.direction(), tls, xml, c.atNanos());
                pieces.add(p);
                if (!since.isEmpty() && c.direction() == Direction.TO_SERVER) {
                    maskedChunksOf.put(p, Set.copyOf(since));
                }
                since.clear();
                if (c.redacted()) {
                    since.add(c.seq()); // the next piece, begun in this chunk, may hold its secret
                }
            }
        }

        @Override
        public void event(ConnectionEvent e) {
            if (e.connectionId() == id && e.kind() == EventKind.SECRET_REDACTED) {
                redactedKinds.put(e.seq(), SecretMasking.maskedKinds(e));
            }
            directTls |= e.connectionId() == id && e.kind() == EventKind.DIRECT_TLS_DETECTED;
            // a gap in both directions before any byte: a pcap begun after the connection opened
            joinedMidStream |= e.connectionId() == id && e.kind() == EventKind.RECORDING_GAP && e.direction() == null
                    && pieces.isEmpty();
        }

        @Override
        public void closed(ConnectionClosed c) {
        }

        /**
         * The client's pieces that hold a masked secret. A masked chunk can carry other pieces too,
         * so a piece counts only if it came (at least partly) from one and holds the mask's '*'
         * (a PLAIN login is masked inside its base64, and is rebuilt anyway).
         */
        Map<Piece, Set<String>> maskedPieces() {
            Map<Piece, Set<String>> out = new IdentityHashMap<>();
            maskedChunksOf.forEach((piece, seqs) -> {
                boolean auth = piece.name().equals("auth") || piece.name().equals("response");
                if (auth || piece.xml().indexOf('*') >= 0) {
                    Set<String> kinds = new LinkedHashSet<>();
                    for (long seq : new TreeSet<>(seqs)) {
                        kinds.add(redactedKinds.getOrDefault(seq, "a secret"));
                    }
                    out.put(piece, kinds);
                }
            });
            return out;
        }
    }
}
