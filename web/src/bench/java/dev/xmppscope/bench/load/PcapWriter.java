package dev.xmppscope.bench.load;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a synthetic capture as a classic pcap file (Ethernet/IPv4/TCP), each stream a full TCP
 * conversation to port 5222 (handshake, data segments as recorded, FIN both ways), so tshark's
 * XMPP dissector and xmppscope's pcap importer read exactly the bytes the H2 capture holds.
 */
public final class PcapWriter {
    private static final int CLIENT_IP = 0x7f000001; // 127.0.0.1
    private static final int SERVER_IP = 0x7f000002; // 127.0.0.2
    private static final int XMPP_PORT = 5222;
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int FIN = 0x01;

    private final OutputStream out;
    private long micros = 1_790_000_000L * 1_000_000L;
    private final ByteBuffer header = ByteBuffer.allocate(16 + 14 + 20 + 20).order(ByteOrder.LITTLE_ENDIAN);

    private PcapWriter(OutputStream out) {
        this.out = out;
    }

    public static void write(SyntheticCapture capture, Path file) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            PcapWriter w = new PcapWriter(os);
            w.globalHeader();
            for (SyntheticCapture.Stream s : capture.streams()) {
                w.stream(s);
            }
        }
    }

    private void globalHeader() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
        out.write(b.array());
    }

    private void stream(SyntheticCapture.Stream s) throws IOException {
        int cport = s.clientPort();
        long cseq = 1000;
        long sseq = 5000;
        packet(true, cport, cseq, 0, SYN, null, 0, 0);
        packet(false, cport, sseq, cseq + 1, SYN | ACK, null, 0, 0);
        cseq++;
        sseq++;
        packet(true, cport, cseq, sseq, ACK, null, 0, 0);
        int ci = 0;
        int si = 0;
        int[] cc = s.toServer().cuts();
        int[] sc = s.toClient().cuts();
        while (ci < cc.length || si < sc.length) {
            boolean client = si >= sc.length || (ci < cc.length && ci <= si);
            if (client) {
                int from = ci == 0 ? 0 : cc[ci - 1];
                int len = cc[ci++] - from;
                packet(true, cport, cseq, sseq, ACK | PSH, s.toServer().bytes(), from, len);
                cseq += len;
            } else {
                int from = si == 0 ? 0 : sc[si - 1];
                int len = sc[si++] - from;
                packet(false, cport, sseq, cseq, ACK | PSH, s.toClient().bytes(), from, len);
                sseq += len;
            }
        }
        packet(true, cport, cseq, sseq, FIN | ACK, null, 0, 0);
        packet(false, cport, sseq, cseq + 1, FIN | ACK, null, 0, 0);
        packet(true, cport, cseq + 1, sseq + 1, ACK, null, 0, 0);
    }

    private void packet(boolean fromClient, int clientPort, long seq, long ack, int flags, byte[] data, int off, int len)
            throws IOException {
        micros += 10;
        int frame = 14 + 20 + 20 + len;
        ByteBuffer b = header.clear();
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(frame).putInt(frame);
        b.order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[12]).putShort((short) 0x0800); // loopback: zero MACs, IPv4
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 20 + len)).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0)
                .putInt(fromClient ? CLIENT_IP : SERVER_IP).putInt(fromClient ? SERVER_IP : CLIENT_IP);
        b.putShort((short) (fromClient ? clientPort : XMPP_PORT)).putShort((short) (fromClient ? XMPP_PORT : clientPort))
                .putInt((int) seq).putInt((int) ack).put((byte) 0x50).put((byte) flags).putShort((short) 65535)
                .putShort((short) 0).putShort((short) 0);
        out.write(b.array(), 0, b.position());
        if (len > 0) {
            out.write(data, off, len);
        }
    }
}
