package dev.xmppscope.capture.pcap;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * Builds Ethernet + IPv4 + TCP frames for a synthesized TCP connection, with valid IP and TCP
 * checksums, so that Wireshark's TCP analysis and XMPP dissector see an ordinary conversation.
 */
final class TcpFrameBuilder {
    private static final byte[] CLIENT_MAC = {0x02, 0, 0, 0, 0, 0x01};
    private static final byte[] SERVER_MAC = {0x02, 0, 0, 0, 0, 0x02};

    private final Inet4Address clientIp;
    private final int clientPort;
    private final Inet4Address serverIp;
    private final int serverPort;
    private int ipId;

    TcpFrameBuilder(Inet4Address clientIp, int clientPort, Inet4Address serverIp, int serverPort) {
        this.clientIp = clientIp;
        this.clientPort = clientPort;
        this.serverIp = serverIp;
        this.serverPort = serverPort;
    }

    /** One frame from the client ({@code fromClient}) or the server. */
    byte[] frame(boolean fromClient, long seq, long ack, int flags, byte[] payload, int from, int length) {
        int tcpLength = 20 + length;
        int ipLength = 20 + tcpLength;
        ByteBuffer b = ByteBuffer.allocate(14 + ipLength);
        b.put(fromClient ? SERVER_MAC : CLIENT_MAC).put(fromClient ? CLIENT_MAC : SERVER_MAC).putShort((short) 0x0800);
        byte[] src = (fromClient ? clientIp : serverIp).getAddress();
        byte[] dst = (fromClient ? serverIp : clientIp).getAddress();
        int ip = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) (ipId++)).putShort((short) 0x4000);
        b.put((byte) 64).put((byte) 6).putShort((short) 0).put(src).put(dst);
        b.putShort(ip + 10, (short) checksum(b.array(), ip, 20, 0));
        int tcp = b.position();
        b.putShort((short) (fromClient ? clientPort : serverPort)).putShort((short) (fromClient ? serverPort : clientPort));
        b.putInt((int) seq).putInt((int) ack);
        b.put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        b.put(payload, from, length);
        long pseudo = sum(src, 0, 4) + sum(dst, 0, 4) + 6 + tcpLength;
        b.putShort(tcp + 16, (short) checksum(b.array(), tcp, tcpLength, pseudo));
        return b.array();
    }

    private static int checksum(byte[] d, int from, int length, long initial) {
        long sum = initial + sum(d, from, length);
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static long sum(byte[] d, int from, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((d[from + i] & 0xFF) << 8) | (d[from + i + 1] & 0xFF);
        }
        if ((length & 1) != 0) {
            sum += (d[from + length - 1] & 0xFF) << 8;
        }
        return sum;
    }
}
