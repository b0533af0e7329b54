package dev.xmppscope.capture.pcap;

import dev.xmppscope.capture.ByteSearch;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ClientHello;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.SnapLengthCut;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One TCP connection of a pcap turned into a capture connection: both directions reassembled,
 * the client being whoever sent the SYN. Bytes after a STARTTLS {@code <proceed/>} or from a
 * Direct TLS ClientHello on are TLS the pcap cannot decrypt: they become encrypted chunks
 * (length only), as the proxy records them in pass-through mode.
 */
final class XmppTcpConnection {
    private static final Pattern PROCEED = Pattern.compile("<proceed[^>]*urn:ietf:params:xml:ns:xmpp-tls");
    private static final byte[] PROCEED_START = "<proceed".getBytes(StandardCharsets.US_ASCII);
    /** How much of the server's last bytes is kept: enough for a {@code <proceed>} start tag split across chunks. */
    private static final int TAIL = 200;

    private final long id;
    private final String route;
    final TcpEndpoint client;
    final TcpEndpoint server;
    private final TcpStreamReassembler toServer = new TcpStreamReassembler();
    private final TcpStreamReassembler toClient = new TcpStreamReassembler();
    private final long[] offsets = new long[4]; // [direction * 2 + (encrypted ? 1 : 0)]
    private final long[] payloadBytes = new long[2];
    /** When each direction last handed something on: pieces released late keep their time but never go back. */
    private final long[] lastAt = new long[2];
    private long seq;
    private boolean encrypted;
    /** The client's first bytes while they hold part of a ClientHello split across segments; else null. */
    private byte[] partialHello;
    /** The server's last bytes before this chunk: a {@code <proceed/>} may be split across chunks. */
    private byte[] serverTail = new byte[0];
    private Direction firstFin;
    private boolean finToServer;
    private boolean finToClient;
    private boolean closed;

    /**
     * The capture holds no SYN of this connection: it began after the connection opened, or it
     * was filtered (a Wireshark export of the packets matching {@code xmpp} keeps only those with
     * data), so whether a direction's start is missing is told by its first bytes.
     */
    private final boolean noSyn;
    /** Per direction, with no SYN: its first bytes are still to come, to say whether its start is there. */
    private final boolean[] startUndecided = {true, true};
    /** The capture lacks the start of this connection's streams: it began after the connection opened. */
    private boolean joinedMidStream;

    XmppTcpConnection(long id, String route, TcpEndpoint client, TcpEndpoint server, boolean noSyn) {
        this.id = id;
        this.route = route;
        this.client = client;
        this.server = server;
        this.noSyn = noSyn;
    }

    boolean isClosed() {
        return closed;
    }

    boolean sawFin() {
        return firstFin != null;
    }

    /** Whether {@code syn}, a SYN from the client, opened this connection (its own, or a retransmission of it). */
    boolean openedBy(TcpSegment syn) {
        return syn.source().equals(client) && toServer.startsAfter(syn.seq());
    }

    void open(CaptureSink sink, long atNanos) {
        sink.opened(new ConnectionOpened(id, route, server.toString(), client.toString(), server.toString(),
                TlsMode.PASSTHROUGH, atNanos));
    }

    /**
     * With no SYN, a direction's first bytes say whether the capture has its start: a stream
     * header, or a TLS handshake record (Direct TLS). When the connection's first bytes are
     * neither, the capture began after it opened.
     */
    private void checkStart(Direction dir, byte[] data, long atNanos, CaptureSink sink) {
        if (!noSyn || !startUndecided[dir.code()]) {
            return;
        }
        boolean first = startUndecided[0] && startUndecided[1];
        startUndecided[dir.code()] = false;
        if (StreamStart.isStart(data)) {
            return;
        }
        if (first) {
            // both directions: the analysis then parses from each one's first whole stanza, with no header
            joinedMidStream = true;
            startUndecided[dir.reverse().code()] = false;
            sink.event(new ConnectionEvent(id, ++seq, atNanos, null, EventKind.RECORDING_GAP, "the capture began after this"
                    + " connection opened (its first packet is no SYN): its start, with the stream headers, is missing"));
            return;
        }
        // the other direction's start is there: this one's first packets were left out of the capture (a filtered export)
        sink.event(new ConnectionEvent(id, ++seq, atNanos, dir, EventKind.RECORDING_GAP, "the pcap is missing the start of the"
                + " stream " + dir.wireName() + " (its first bytes in the capture are no stream header): the packets before were"
                + " left out of it"));
    }

    /**
     * {@code s} as a segment of this connection, if it is one whose address or port was damaged:
     * its endpoints differ from this connection's in one address or one port, and its sequence
     * number falls within {@code window} bytes of where that direction's stream is (a new
     * connection's is random: one in thousands falls there); else null.
     */
    TcpSegment repaired(TcpSegment s, long window) {
        for (Direction d : Direction.values()) {
            TcpEndpoint from = d == Direction.TO_SERVER ? client : server;
            TcpEndpoint to = d == Direction.TO_SERVER ? server : client;
            int differ = (s.source().address().equals(from.address()) ? 0 : 1) + (s.source().port() == from.port() ? 0 : 1)
                    + (s.target().address().equals(to.address()) ? 0 : 1) + (s.target().port() == to.port() ? 0 : 1);
            if (differ == 1 && (d == Direction.TO_SERVER ? toServer : toClient).near(s.seq(), window)) {
                return new TcpSegment(s.frame(), s.atNanos(), from, to, s.seq(), s.ack(), s.flags(), s.payload(), s.wireLength());
            }
        }
        return null;
    }

    /** Takes one segment of this connection, sending what it completes to {@code sink}. */
    void segment(TcpSegment s, CaptureSink sink) {
        if (closed) {
            return;
        }
        Direction dir = s.source().equals(client) ? Direction.TO_SERVER : Direction.TO_CLIENT;
        TcpStreamReassembler stream = dir == Direction.TO_SERVER ? toServer : toClient;
        if (s.has(TcpSegment.SYN)) {
            stream.syn(s.seq());
        }
        long dataSeq = s.has(TcpSegment.SYN) ? (s.seq() + 1) & 0xFFFFFFFFL : s.seq();
        for (TcpStreamReassembler.Piece p : stream.accept(dataSeq, s.payload(), s.wireLength(), s.atNanos())) {
            deliver(dir, p, sink);
        }
        if (s.has(TcpSegment.ACK)) {
            // the sender of this segment had the other direction up to its ack: what the capture lacks below it is lost
            Direction other = dir.reverse();
            for (TcpStreamReassembler.Piece p : (other == Direction.TO_SERVER ? toServer : toClient).acknowledged(s.ack())) {
                deliver(other, p, sink);
            }
        }
        if (s.has(TcpSegment.RST)) {
            finish(s.atNanos(), dir == Direction.TO_SERVER ? CloseReason.CLIENT_RESET : CloseReason.SERVER_RESET,
                    (dir == Direction.TO_SERVER ? "the client" : "the server") + " reset the connection (RST in frame "
                            + s.frame() + ")", sink);
            return;
        }
        if (s.has(TcpSegment.FIN)) {
            if (firstFin == null) {
                firstFin = dir;
            }
            if (dir == Direction.TO_SERVER) {
                finToServer = true;
            } else {
                finToClient = true;
            }
            if (finToServer && finToClient) {
                boolean byClient = firstFin == Direction.TO_SERVER;
                finish(s.atNanos(), byClient ? CloseReason.CLIENT_CLOSED : CloseReason.SERVER_CLOSED,
                        (byClient ? "the client" : "the server") + " closed the connection first (FIN)", sink);
            }
        }
    }

    /** The capture ended: deliver what waits behind holes; the connection stays open (never seen to close). */
    void endOfCapture(CaptureSink sink) {
        if (!closed) {
            flushHoles(sink);
        }
    }

    private void finish(long atNanos, CloseReason reason, String detail, CaptureSink sink) {
        flushHoles(sink);
        if (noSyn && startUndecided[0] && startUndecided[1]) {
            startUndecided[0] = false;
            startUndecided[1] = false;
            sink.event(new ConnectionEvent(id, ++seq, atNanos, null, EventKind.RECORDING_GAP, "the capture began after this"
                    + " connection opened (its first packet is no SYN), and holds none of its data"));
        }
        closed = true;
        sink.closed(new ConnectionClosed(id, atNanos, reason, detail, payloadBytes[0], payloadBytes[1]));
    }

    private void flushHoles(CaptureSink sink) {
        for (TcpStreamReassembler.Piece p : toServer.flush()) {
            deliver(Direction.TO_SERVER, p, sink);
        }
        for (TcpStreamReassembler.Piece p : toClient.flush()) {
            deliver(Direction.TO_CLIENT, p, sink);
        }
    }

    /** Hands a piece on, at its own time (never before what this direction handed on already). */
    private void deliver(Direction dir, TcpStreamReassembler.Piece p, CaptureSink sink) {
        long atNanos = Math.max(p.atNanos(), lastAt[dir.code()]);
        lastAt[dir.code()] = atNanos;
        if (p.missingBefore() > 0) {
            sink.event(new ConnectionEvent(id, ++seq, atNanos, dir, EventKind.RECORDING_GAP, p.cutBySnaplen()
                    ? SnapLengthCut.detail(p.missingBefore(), dir, p.offset())
                    : "the pcap is missing " + p.missingBefore() + " bytes " + dir.wireName() + " at stream offset " + p.offset()
                            + " (packets the capturing tool did not save)"));
        }
        byte[] data = p.data();
        if (data.length == 0) {
            return;
        }
        payloadBytes[dir.code()] += data.length;
        checkStart(dir, data, atNanos, sink);
        if (!encrypted && dir == Direction.TO_SERVER && offsets[0] == 0 && data.length > 2 && data[0] == 0x16 && data[1] == 0x03) {
            encrypted = true;
            tlsFirst(data, atNanos, sink);
        }
        if (!encrypted && joinedMidStream && offsets[dir.code() * 2] == 0 && !looksLikeText(data)) {
            // the capture began after STARTTLS (or on a Direct TLS connection): no XML will ever come
            encrypted = true;
            sink.event(new ConnectionEvent(id, ++seq, atNanos, dir, directTlsPort() ? EventKind.DIRECT_TLS_DETECTED
                    : EventKind.STARTTLS_PROCEED, "the capture began after TLS had started on this connection: the pcap holds only"
                    + " ciphertext"));
        }
        int slot = dir.code() * 2 + (encrypted ? 1 : 0);
        long offset = offsets[slot];
        offsets[slot] += data.length;
        if (encrypted) {
            if (partialHello != null && dir == Direction.TO_SERVER && offset > 0) {
                gatherHello(data, atNanos, sink);
            }
            sink.chunk(Chunk.encrypted(id, ++seq, dir, atNanos, offset, data.length));
            return;
        }
        sink.chunk(Chunk.of(id, ++seq, dir, atNanos, TlsLayer.PLAIN, offset, data));
        if (dir == Direction.TO_CLIENT) {
            // the regex, and a copy of the bytes, only where "<proceed" occurs: a whole stream went through both before
            if (contains(serverTail, data, PROCEED_START)
                    && PROCEED.matcher(new String(concat(serverTail, data), StandardCharsets.ISO_8859_1)).find()) {
                encrypted = true;
                sink.event(new ConnectionEvent(id, ++seq, atNanos, dir, EventKind.STARTTLS_PROCEED,
                        "TLS starts after <proceed/>; the pcap holds only ciphertext from here on"));
            }
            serverTail = data.length >= TAIL ? Arrays.copyOfRange(data, data.length - TAIL, data.length)
                    : concat(Arrays.copyOfRange(serverTail, Math.max(0, serverTail.length + data.length - TAIL), serverTail.length),
                            data);
        }
    }

    /**
     * The client's first bytes in the capture are a TLS handshake. After a SYN that is Direct TLS.
     * Without one, on a port for STARTTLS (5222, 5269), it is most likely the handshake after
     * {@code <proceed/>}: the capture began there, and the negotiation in the clear before it is
     * missing, not absent. A ClientHello offering an XMPP protocol (ALPN) does not change that
     * (STARTTLS clients may offer it too), but leaves the doubt, which is said; elsewhere such a
     * ClientHello is Direct TLS's, and one offering none is read as STARTTLS's as on 5222.
     */
    private void tlsFirst(byte[] data, long atNanos, CaptureSink sink) {
        Optional<ClientHello> hello = ClientHello.ofRecord(data);
        if (hello.isEmpty() && ClientHello.recordLength(data) > data.length) {
            partialHello = data; // the rest of it is in the next segments: read when whole
        }
        boolean offersXmpp = hello.filter(ClientHello::offersXmpp).isPresent();
        String alpn = hello.map(h -> String.join(", ", h.protocols()) + " (ALPN)").orElse("");
        if (noSyn && (startTlsPort() || !directTlsPort() && !offersXmpp)) {
            joinedMidStream = true;
            String doubt = offersXmpp ? " (its ClientHello offers " + alpn + ", as Direct TLS needs and STARTTLS clients may"
                    + " also send: read as STARTTLS on " + server.port() + ", the port for it, though Direct TLS there cannot be"
                    + " ruled out)" : "";
            sink.event(new ConnectionEvent(id, ++seq, atNanos, null, EventKind.RECORDING_GAP, "the capture began at a TLS"
                    + " handshake on port " + server.port() + " with no SYN before it: the handshake STARTTLS begins after"
                    + " <proceed/>" + doubt + ". The stream's start and its negotiation in the clear are missing"));
            sink.event(new ConnectionEvent(id, ++seq, atNanos, Direction.TO_SERVER, EventKind.STARTTLS_PROCEED,
                    "the capture began at the TLS handshake after <proceed/> (STARTTLS): the pcap holds only ciphertext"));
        } else {
            String doubt = noSyn && !directTlsPort() ? "; the capture began at it with no SYN before it: offering " + alpn
                    + " on port " + server.port() + " it is read as Direct TLS, though it may be the handshake STARTTLS begins"
                    + " after <proceed/> on a port of its own" : "";
            sink.event(new ConnectionEvent(id, ++seq, atNanos, Direction.TO_SERVER, EventKind.DIRECT_TLS_DETECTED,
                    "the client's first bytes are a TLS ClientHello (Direct TLS)" + hello.map(ClientHello::describe).orElse("")
                            + doubt + "; the pcap holds only ciphertext"));
        }
        hello.ifPresent(h -> sink.event(new ConnectionEvent(id, ++seq, atNanos, Direction.TO_SERVER, EventKind.TLS_CLIENT_HELLO,
                h.detail())));
    }

    /** The next bytes of a ClientHello split across segments: once it is whole, what it asks for is said. */
    private void gatherHello(byte[] data, long atNanos, CaptureSink sink) {
        byte[] gathered = concat(partialHello, data);
        if (gathered.length < ClientHello.recordLength(gathered)) {
            partialHello = gathered;
            return;
        }
        partialHello = null;
        ClientHello.ofRecord(gathered).ifPresent(h -> sink.event(new ConnectionEvent(id, ++seq, atNanos, Direction.TO_SERVER,
                EventKind.TLS_CLIENT_HELLO, h.detail())));
    }

    private boolean directTlsPort() {
        return server.port() == 5223 || server.port() == 5270;
    }

    private boolean startTlsPort() {
        return server.port() == 5222 || server.port() == 5269;
    }

    /**
     * Whether {@code data} can be part of an XML stream: XML has no control characters but tab, CR
     * and LF, and ciphertext has some within its first bytes all but surely (a TLS record's
     * header alone has three).
     */
    private static boolean looksLikeText(byte[] data) {
        for (int i = 0; i < Math.min(data.length, 256); i++) {
            byte b = data[i];
            if (b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code part} occurs in {@code a} followed by {@code b}: where they meet (a few bytes
     * joined), then in {@code b} alone. Every byte a server sends passes here; a comparison at
     * every position, reaching into either array, was a sixteenth of an import's main thread.
     */
    private static boolean contains(byte[] a, byte[] b, byte[] part) {
        byte[] joint = concat(a, Arrays.copyOf(b, Math.min(b.length, part.length - 1)));
        return ByteSearch.indexOf(joint, part) >= 0 || ByteSearch.indexOf(b, part) >= 0;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
