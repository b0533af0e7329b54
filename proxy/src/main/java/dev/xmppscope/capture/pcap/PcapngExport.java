package dev.xmppscope.capture.pcap;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.file.CaptureSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Exports a capture to pcapng so that Wireshark and tshark can open it: each connection becomes
 * a synthesized TCP conversation on the standard port (5222 for c2s, 5269 for s2s) carrying the
 * XMPP the peers wrote (plain and decrypted bytes; encrypted pass-through bytes are not known and
 * are left out), in both directions, with the recorded timestamps.
 *
 * <p>The plaintext recovered inside an intercepted TLS layer goes on a second TCP conversation
 * of its own (another client port): on the first one Wireshark sees {@code <proceed/>} and,
 * rightly, expects TLS after it, so it would not decode XML there.
 */
public final class PcapngExport {
    private static final int MAX_SEGMENT = 16_000;
    private static final int C2S_PORT = 5222;
    private static final int S2S_PORT = 5269;

    private PcapngExport() {
    }

    /**
     * Writes {@code source} to {@code out}.
     *
     * @param progress told the number of records handled so far
     * @return frames written
     */
    public static long write(CaptureSource source, Path out, LongConsumer progress) {
        Set<Long> s2s = new HashSet<>();
        source.replay(new ServerToServerDetector(s2s));
        try (PcapngWriter writer = new PcapngWriter(out, "exported by xmppscope: synthesized TCP carrying recorded XMPP")) {
            FrameSink sink = new FrameSink(writer, s2s, progress);
            source.replay(sink);
            if (sink.failure != null) {
                throw sink.failure;
            }
            return sink.frames;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** Pass one: which connections are s2s (the initiator's stream header says jabber:server). */
    private static final class ServerToServerDetector implements CaptureSink {
        private final Set<Long> s2s;
        private final Set<Long> decided = new HashSet<>();

        ServerToServerDetector(Set<Long> s2s) {
            this.s2s = s2s;
        }

        @Override
        public void opened(ConnectionOpened c) {
        }

        @Override
        public void chunk(Chunk c) {
            if (c.direction() != Direction.TO_SERVER || !c.layer().isXml() || decided.contains(c.connectionId())) {
                return;
            }
            String text = new String(c.bytes(), StandardCharsets.UTF_8);
            if (text.contains("jabber:server")) {
                s2s.add(c.connectionId());
            }
            if (text.contains("<stream:stream") || text.contains("jabber:client")) {
                decided.add(c.connectionId());
            }
        }

        @Override
        public void event(ConnectionEvent e) {
        }

        @Override
        public void closed(ConnectionClosed c) {
        }
    }

    /** Pass two: frames for every plain or decrypted chunk, handshakes and FINs around them. */
    private static final class FrameSink implements CaptureSink {
        private final PcapngWriter writer;
        private final Set<Long> s2s;
        private final LongConsumer progress;
        private final Map<Long, ConnectionOpened> opened = new HashMap<>();
        private final Map<String, Conversation> conversations = new HashMap<>();
        private final Map<String, TopLevelSplitter> splitters = new HashMap<>();
        private long records;
        long frames;
        /** The first write that failed (a full disk): the replay goes on, writing nothing more. */
        IOException failure;

        FrameSink(PcapngWriter writer, Set<Long> s2s, LongConsumer progress) {
            this.writer = writer;
            this.s2s = s2s;
            this.progress = progress;
        }

        @Override
        public void opened(ConnectionOpened c) {
            opened.put(c.id(), c);
            tick();
        }

        @Override
        public void chunk(Chunk c) {
            tick();
            if (!c.layer().isXml() || c.length() == 0) {
                return;
            }
            String key = c.connectionId() + "/" + c.layer();
            Conversation conv = conversations.get(key);
            if (conv == null) {
                ConnectionOpened o = opened.get(c.connectionId());
                conv = new Conversation(builder(o, c.layer()));
                conversations.put(key, conv);
                emit(conv.handshake(c.layer() == TlsLayer.PLAIN && o != null ? o.atNanos() : c.atNanos()));
            }
            // one segment per top-level element (as a client or server writes them), so Wireshark's
            // dissector, which reads the first element of a segment best, sees each of them
            TopLevelSplitter splitter = splitters.computeIfAbsent(key + "/" + c.direction(), k -> new TopLevelSplitter());
            boolean fromClient = c.direction() == Direction.TO_SERVER;
            int start = 0;
            for (int end : splitter.boundaries(c.bytes(), 0, c.length())) {
                emit(conv.data(fromClient, c.atNanos(), c.bytes(), start, end));
                start = end;
            }
            if (start < c.length()) {
                emit(conv.data(fromClient, c.atNanos(), c.bytes(), start, c.length()));
            }
        }

        @Override
        public void event(ConnectionEvent e) {
            tick();
        }

        @Override
        public void closed(ConnectionClosed c) {
            tick();
            for (TlsLayer layer : TlsLayer.values()) {
                Conversation conv = conversations.remove(c.id() + "/" + layer);
                if (conv != null) {
                    emit(conv.close(c.atNanos(), c.reason()));
                }
            }
        }

        private void tick() {
            if (++records % 1000 == 0) {
                progress.accept(records);
            }
        }

        private void emit(Iterable<Conversation.Frame> list) {
            if (failure != null) {
                return;
            }
            try {
                for (Conversation.Frame f : list) {
                    writer.frame(f.atNanos(), f.bytes());
                    frames++;
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        private TcpFrameBuilder builder(ConnectionOpened o, TlsLayer layer) {
            long id = o == null ? 0 : o.id();
            InetAddress clientIp = address(o == null ? null : o.client(), "127.0.0.1");
            InetAddress serverIp = address(o == null ? null : o.server(), "127.0.0.2");
            int clientPort = port(o == null ? null : o.client(), (int) (40000 + id % 10000));
            if (layer == TlsLayer.DECRYPTED) {
                clientPort = (int) (50000 + id % 15000); // a conversation of its own (see class comment)
            }
            return new TcpFrameBuilder(clientIp, clientPort, serverIp, s2s.contains(id) ? S2S_PORT : C2S_PORT);
        }
    }

    /** The address of a recorded "host:port" (IPv6 in brackets), if it is a literal; else {@code fallback}. */
    private static InetAddress address(String hostPort, String fallback) {
        String host = fallback;
        if (hostPort != null && hostPort.lastIndexOf(':') > 0) {
            String h = hostPort.substring(0, hostPort.lastIndexOf(':'));
            if (h.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") || h.matches("\\[[0-9A-Fa-f:.]+]")) {
                host = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
            }
        }
        try {
            return InetAddress.getByName(host); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an IP literal: " + host, e);
        }
    }

    private static int port(String hostPort, int fallback) {
        if (hostPort != null && hostPort.lastIndexOf(':') > 0) {
            try {
                int p = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
                if (p > 0 && p < 65536) {
                    return p;
                }
            } catch (NumberFormatException e) {
                return fallback; // a recorded address without a numeric port
            }
        }
        return fallback;
    }

    /** One synthesized TCP conversation: sequence numbers on both sides, segments of bounded size. */
    private static final class Conversation {
        record Frame(long atNanos, byte[] bytes) {
        }

        private final TcpFrameBuilder builder;
        private long clientSeq = 1_000;
        private long serverSeq = 5_000;

        Conversation(TcpFrameBuilder builder) {
            this.builder = builder;
        }

        java.util.List<Frame> handshake(long at) {
            java.util.List<Frame> f = new java.util.ArrayList<>(3);
            f.add(new Frame(at, builder.frame(true, clientSeq, 0, TcpSegment.SYN, new byte[0], 0, 0)));
            f.add(new Frame(at, builder.frame(false, serverSeq, clientSeq + 1, TcpSegment.SYN | TcpSegment.ACK, new byte[0], 0, 0)));
            clientSeq++;
            serverSeq++;
            f.add(new Frame(at, builder.frame(true, clientSeq, serverSeq, TcpSegment.ACK, new byte[0], 0, 0)));
            return f;
        }

        java.util.List<Frame> data(boolean fromClient, long at, byte[] bytes, int start, int end) {
            java.util.List<Frame> f = new java.util.ArrayList<>();
            for (int from = start; from < end; from += MAX_SEGMENT) {
                int n = Math.min(MAX_SEGMENT, end - from);
                long seq = fromClient ? clientSeq : serverSeq;
                long ack = fromClient ? serverSeq : clientSeq;
                f.add(new Frame(at, builder.frame(fromClient, seq, ack, 0x18 /* PSH|ACK */, bytes, from, n)));
                if (fromClient) {
                    clientSeq += n;
                } else {
                    serverSeq += n;
                }
            }
            return f;
        }

        /**
         * The frames that end the conversation as it was recorded to end: a reset as an RST from
         * the side that reset it, a close as a FIN from each side, the first from the side that
         * closed first. A reader of the pcap, xmppscope's importer included, tells who ended it,
         * and how, by those.
         */
        java.util.List<Frame> close(long at, CloseReason reason) {
            boolean clientFirst = reason != CloseReason.SERVER_CLOSED && reason != CloseReason.SERVER_RESET;
            if (reason == CloseReason.CLIENT_RESET || reason == CloseReason.SERVER_RESET) {
                return java.util.List.of(segment(at, clientFirst, TcpSegment.RST | TcpSegment.ACK));
            }
            java.util.List<Frame> f = new java.util.ArrayList<>(3);
            f.add(segment(at, clientFirst, TcpSegment.FIN | TcpSegment.ACK));
            f.add(segment(at, !clientFirst, TcpSegment.FIN | TcpSegment.ACK));
            f.add(segment(at, clientFirst, TcpSegment.ACK));
            return f;
        }

        /** An empty segment with these flags; a FIN takes a sequence number. */
        private Frame segment(long at, boolean fromClient, int flags) {
            Frame frame = new Frame(at, builder.frame(fromClient, fromClient ? clientSeq : serverSeq,
                    fromClient ? serverSeq : clientSeq, flags, new byte[0], 0, 0));
            if ((flags & TcpSegment.FIN) != 0) {
                if (fromClient) {
                    clientSeq++;
                } else {
                    serverSeq++;
                }
            }
            return frame;
        }
    }
}
