package dev.xmppscope.capture.pcap;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.ClientHello;
import dev.xmppscope.capture.file.CaptureFileException;
import dev.xmppscope.capture.file.CaptureSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Turns the plaintext XMPP in a pcap or pcapng file (as tcpdump, dumpcap or Wireshark write
 * them) into a capture: one connection per TCP connection, both directions reassembled
 * (out-of-order and retransmitted segments handled), the client being whoever sent the SYN,
 * timestamps from the capture. Flows that are not XMPP (neither on an XMPP port nor starting
 * with XML) are left out. Connection ids start at 1, in the order connections open.
 */
public final class PcapImporter implements CaptureSource {
    /**
     * c2s, Direct TLS c2s, s2s, Direct TLS s2s. Not 5280/5281: HTTP there (BOSH, WebSocket, uploads)
     * is no XML stream, and became junk connections; a flow elsewhere that starts with XML is taken anyway.
     */
    private static final Set<Integer> XMPP_PORTS = Set.of(5222, 5223, 5269, 5270);

    /** How near a connection's stream a damaged segment's sequence number must be to be read as that connection's. */
    private static final long REPAIR_WINDOW = 256 * 1024;

    private final List<Path> files;
    private final LeftOutFlows leftOut = new LeftOutFlows();

    public PcapImporter(Path file) {
        this.files = List.of(file);
    }

    /**
     * Parts of one capture (a ring buffer's files), read as one in the order of their first
     * frames, whatever order they are named in ({@code tcpdump -C} names {@code x1 ... x10} so
     * that a shell sorts x10 before x2): a connection that runs across them stays one.
     */
    public PcapImporter(List<Path> parts) {
        this.files = PcapFileReader.inTimeOrder(parts);
    }

    /** The files read, in the order they are read. */
    public List<Path> files() {
        return files;
    }

    /**
     * After {@link #replay}: what was left out, and why: TCP connections carrying no XMPP, frames
     * of link types not read (an import of the wrong port or interface otherwise reads as an empty
     * capture); and frames whose damaged address or port was mended; null when nothing was.
     */
    public String leftOut() {
        return leftOut.describe();
    }

    /**
     * Replays the capture. On a truncated or corrupt file everything before the damage is
     * delivered, then a {@link dev.xmppscope.capture.file.CaptureFileException} says where.
     */
    @Override
    public void replay(CaptureSink sink) {
        replay(sink, bytes -> { });
    }

    /**
     * As {@link #replay(CaptureSink)}; {@code fileBytes} is told how many bytes of the files
     * (compressed or not) have been read so far, all parts together: how far the import is.
     */
    public void replay(CaptureSink sink, LongConsumer fileBytes) {
        Flows flows = new Flows(sink, "pcap:" + files.get(0).getFileName(), leftOut);
        long[] partsBefore = {0};
        try {
            for (Path file : files) {
                PcapFileReader.read(file, frame -> {
                    if (PacketDecoder.reads(frame.linkType())) {
                        PacketDecoder.decode(frame).ifPresent(flows::segment);
                    } else {
                        leftOut.unreadable(frame.linkType());
                    }
                }, bytes -> fileBytes.accept(partsBefore[0] + bytes));
                partsBefore[0] += file.toFile().length();
            }
        } catch (CaptureFileException e) {
            flows.end();
            sink.flushed();
            throw e;
        }
        flows.end();
        sink.flushed();
    }

    /** The TCP flows of one file, by their (unordered) pair of endpoints. */
    private static final class Flows {
        private final CaptureSink sink;
        private final String route;
        private final Map<String, XmppTcpConnection> open = new LinkedHashMap<>();
        /** Flows seen before their first payload, and flows found not to be XMPP. */
        private final Map<String, Pending> undecided = new HashMap<>();
        private final LeftOutFlows leftOut;
        private long nextId = 1;

        Flows(CaptureSink sink, String route, LeftOutFlows leftOut) {
            this.sink = sink;
            this.route = route;
            this.leftOut = leftOut;
        }

        void segment(TcpSegment s) {
            String key = key(s);
            XmppTcpConnection c = open.get(key);
            boolean freshSyn = s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK);
            if (c != null && freshSyn && (c.isClosed() || c.sawFin() || !c.openedBy(s))) {
                c.endOfCapture(sink);
                open.remove(key); // the 4-tuple is reused by a new connection (its old one's close may be out of the capture)
                c = null;
            }
            if (c != null) {
                c.segment(s, sink);
                return;
            }
            Pending p = undecided.get(key);
            if (p == null && !s.has(TcpSegment.SYN)) {
                TcpSegment repaired = repaired(s);
                if (repaired != null) {
                    leftOut.repaired();
                    open.get(key(repaired)).segment(repaired, sink);
                    return;
                }
            }
            if (p == null || freshSyn && p.rejected) {
                p = new Pending(s);
                undecided.put(key, p);
            }
            if (p.rejected) {
                return;
            }
            p.add(s);
            boolean ends = s.has(TcpSegment.FIN) || s.has(TcpSegment.RST);
            if (s.payload().length == 0 && (!ends || !p.first.has(TcpSegment.SYN))) {
                // a handshake: wait for data to know whether this is XMPP; or the close of a connection
                // opened before the capture, which holds nothing to show (unless data follows: a half-close)
                return;
            }
            if (!ends && !XMPP_PORTS.contains(p.server.port()) && blank(s.payload())) {
                return; // a whitespace keepalive (RFC 6120 4.6.1), which idle streams send, says nothing yet: wait for more
            }
            if (!ends && !XMPP_PORTS.contains(p.server.port()) && p.clientSent.size() < ClientHello.recordLength(p.clientSent())) {
                return; // a ClientHello split across segments: its ALPN, whether it is XMPP, is in its rest
            }
            undecided.remove(key);
            if (!looksLikeXmpp(p, s)) {
                p.rejected = true;
                leftOut.add(p.server, s.payload());
                undecided.put(key, p);
                return;
            }
            XmppTcpConnection conn = new XmppTcpConnection(nextId++, route, p.client, p.server, !p.first.has(TcpSegment.SYN));
            open.put(key, conn);
            conn.open(sink, p.first.atNanos());
            for (TcpSegment earlier : p.segments) {
                conn.segment(earlier, sink);
            }
        }

        /**
         * {@code s}, a segment of no flow seen so far, as the segment of an open connection it
         * continues, if a damaged address or port is all that parts them (see
         * {@link XmppTcpConnection#repaired}): read as a flow of its own, it was a junk
         * connection, and a gap in the one it belongs to. Null if it continues none.
         */
        private TcpSegment repaired(TcpSegment s) {
            for (XmppTcpConnection c : open.values()) {
                TcpSegment r = c.isClosed() ? null : c.repaired(s, REPAIR_WINDOW);
                if (r != null) {
                    return r;
                }
            }
            return null;
        }

        void end() {
            for (XmppTcpConnection c : open.values()) {
                c.endOfCapture(sink);
            }
            open.clear();
        }

        private static boolean looksLikeXmpp(Pending p, TcpSegment s) {
            if (XMPP_PORTS.contains(p.server.port())) {
                return true;
            }
            byte[] data = s.payload();
            if (ClientHello.ofRecord(p.clientSent()).filter(ClientHello::offersXmpp).isPresent()) {
                return true; // Direct TLS (XEP-0368) on another port: its ALPN says XMPP
            }
            for (byte b : data) {
                if (!whitespace(b)) {
                    return b == '<';
                }
            }
            return false;
        }

        private static boolean blank(byte[] data) {
            for (byte b : data) {
                if (!whitespace(b)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean whitespace(byte b) {
            return b == ' ' || b == '\n' || b == '\r' || b == '\t';
        }

        private static String key(TcpSegment s) {
            String a = s.source().toString();
            String b = s.target().toString();
            return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
        }
    }

    /** A flow seen but not yet known to be XMPP: who is the client, and what it sent so far. */
    private static final class Pending {
        final TcpSegment first;
        final TcpEndpoint client;
        final TcpEndpoint server;
        final java.util.List<TcpSegment> segments = new java.util.ArrayList<>();
        /** What the client sent so far, in the order captured: a ClientHello split across segments, gathered. */
        final java.io.ByteArrayOutputStream clientSent = new java.io.ByteArrayOutputStream();
        boolean rejected;

        Pending(TcpSegment first) {
            this.first = first;
            boolean sourceIsClient;
            if (first.has(TcpSegment.SYN)) {
                sourceIsClient = !first.has(TcpSegment.ACK); // SYN from the client, SYN-ACK from the server
            } else if (XMPP_PORTS.contains(first.target().port()) != XMPP_PORTS.contains(first.source().port())) {
                // the capture began mid-connection: the server is the side on a well-known XMPP port
                sourceIsClient = XMPP_PORTS.contains(first.target().port());
            } else {
                // on no such port (or both): a server listens on a fixed port, below the ephemeral ones clients connect from
                sourceIsClient = first.source().port() > first.target().port();
            }
            client = sourceIsClient ? first.source() : first.target();
            server = sourceIsClient ? first.target() : first.source();
        }

        void add(TcpSegment s) {
            segments.add(s);
            if (s.source().equals(client)) {
                clientSent.writeBytes(s.payload());
            }
        }

        byte[] clientSent() {
            return clientSent.toByteArray();
        }
    }
}
