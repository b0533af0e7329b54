package dev.xmppscope.capture.pcap;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Builds Ethernet + IPv4 (or IPv6) + TCP frames for a synthesized TCP connection, with valid IP
 * and TCP checksums, so that Wireshark's TCP analysis and XMPP dissector see an ordinary conversation.
 */
final class TcpFrameBuilder {
    private static final byte[] CLIENT_MAC = {0x02, 0, 0, 0, 0, 0x01};
    private static final byte[] SERVER_MAC = {0x02, 0, 0, 0, 0, 0x02};

    /** 4 bytes each for IPv4, 16 for IPv6. */
    private final byte[] clientIp;
    private final int clientPort;
    private final byte[] serverIp;
    private final int serverPort;
    private int ipId;

    /**
     * A conversation between two addresses; if only one is IPv6 (a proxy listening on ::1 in
     * front of an IPv4 upstream), the other is written IPv4-mapped, since one TCP conversation has one family.
     */
    TcpFrameBuilder(InetAddress clientIp, int clientPort, InetAddress serverIp, int serverPort) {
        boolean v6 = clientIp instanceof Inet6Address || serverIp instanceof Inet6Address;
        this.clientIp = v6 ? ipv6(clientIp) : clientIp.getAddress();
        this.clientPort = clientPort;
        this.serverIp = v6 ? ipv6(serverIp) : serverIp.getAddress();
        this.serverPort = serverPort;
    }

    private static byte[] ipv6(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 16) {
            return b;
        }
        byte[] mapped = new byte[16]; // ::ffff:a.b.c.d
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(b, 0, mapped, 12, 4);
        return mapped;
    }

    /** One frame from the client ({@code fromClient}) or the server. */
    byte[] frame(boolean fromClient, long seq, long ack, int flags, byte[] payload, int from, int length) {
        boolean v6 = clientIp.length == 16;
        int tcpLength = 20 + length;
        int ipLength = (v6 ? 40 : 20) + tcpLength;
        ByteBuffer b = ByteBuffer.allocate(14 + ipLength);
        b.put(fromClient ? SERVER_MAC : CLIENT_MAC).put(fromClient ? CLIENT_MAC : SERVER_MAC)
                .putShort((short) (v6 ? 0x86dd : 0x0800));
        byte[] src = fromClient ? clientIp : serverIp;
        byte[] dst = fromClient ? serverIp : clientIp;
        int ip = b.position();
        if (v6) {
            // version 6, no traffic class or flow label; the payload length; next header TCP; hop limit 64
            b.putInt(0x60000000).putShort((short) tcpLength).put((byte) 6).put((byte) 64).put(src).put(dst);
        } else {
            b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) (ipId++)).putShort((short) 0x4000);
            b.put((byte) 64).put((byte) 6).putShort((short) 0).put(src).put(dst);
            b.putShort(ip + 10, (short) checksum(b.array(), ip, 20, 0));
        }
        int tcp = b.position();
        b.putShort((short) (fromClient ? clientPort : serverPort)).putShort((short) (fromClient ? serverPort : clientPort));
        b.putInt((int) seq).putInt((int) ack);
        b.put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        b.put(payload, from, length);
        // the pseudo-header: addresses, protocol and TCP length (RFC 793; RFC 8200 §8.1 for IPv6, the same sum)
        long pseudo = sum(src, 0, src.length) + sum(dst, 0, dst.length) + 6 + tcpLength;
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
