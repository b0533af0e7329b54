package dev.xmppscope.capture.pcap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Peels a captured frame down to its TCP segment: the link layers tcpdump and Wireshark write
 * on Linux and elsewhere (Ethernet with VLAN tags, Linux "cooked" SLL and SLL2, BSD loopback,
 * raw IP), then IPv4 or IPv6, then TCP. Anything else (ARP, UDP, IP fragments) is not XMPP
 * over TCP and yields nothing.
 */
final class PacketDecoder {
    static final int LINKTYPE_NULL = 0;
    static final int LINKTYPE_ETHERNET = 1;
    static final int LINKTYPE_RAW = 101;
    static final int LINKTYPE_LOOP = 108;
    static final int LINKTYPE_LINUX_SLL = 113;
    static final int LINKTYPE_IPV4 = 228;
    static final int LINKTYPE_IPV6 = 229;
    static final int LINKTYPE_LINUX_SLL2 = 276;

    private PacketDecoder() {
    }

    /** Whether frames of {@code linkType} can be read here at all (the others, a Wi-Fi monitor or NFLOG capture, cannot). */
    static boolean reads(int linkType) {
        return switch (linkType) {
            case LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL, LINKTYPE_LOOP, LINKTYPE_RAW,
                    LINKTYPE_IPV4, LINKTYPE_IPV6, 12, 14 -> true;
            default -> false;
        };
    }

    static Optional<TcpSegment> decode(CapturedFrame frame) {
        byte[] d = frame.data();
        int ip;
        switch (frame.linkType()) {
            case LINKTYPE_ETHERNET -> {
                if (d.length < 14) {
                    return Optional.empty(); // shorter than an Ethernet header: a runt, or cut by the snap length
                }
                int p = 12;
                int etherType = u16(d, p);
                while ((etherType == 0x8100 || etherType == 0x88a8) && d.length >= p + 6) { // VLAN tags
                    p += 4;
                    etherType = u16(d, p);
                }
                if (etherType != 0x0800 && etherType != 0x86dd) {
                    return Optional.empty();
                }
                ip = p + 2;
            }
            case LINKTYPE_LINUX_SLL -> ip = 16;
            case LINKTYPE_LINUX_SLL2 -> ip = 20;
            case LINKTYPE_NULL, LINKTYPE_LOOP -> ip = 4;
            case LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6, 12, 14 -> ip = 0;
            default -> {
                return Optional.empty();
            }
        }
        if (d.length < ip + 20) {
            return Optional.empty();
        }
        int version = (d[ip] & 0xF0) >> 4;
        return version == 4 ? ipv4(frame, d, ip) : version == 6 ? ipv6(frame, d, ip) : Optional.empty();
    }

    private static Optional<TcpSegment> ipv4(CapturedFrame frame, byte[] d, int ip) {
        int headerLength = (d[ip] & 0x0F) * 4;
        int totalLength = u16(d, ip + 2);
        int fragment = u16(d, ip + 6);
        boolean moreFragments = (fragment & 0x2000) != 0;
        int fragmentOffset = fragment & 0x1FFF;
        if (d[ip + 9] != 6 || moreFragments || fragmentOffset != 0 || headerLength < 20) {
            return Optional.empty(); // not TCP, or an IP fragment (TCP on loopback and LANs is not fragmented)
        }
        InetAddress src = address(d, ip + 12, 4);
        InetAddress dst = address(d, ip + 16, 4);
        int wireEnd = totalLength == 0 ? d.length : ip + totalLength; // 0: TSO, length unknown
        return tcp(frame, d, ip + headerLength, Math.min(d.length, wireEnd), wireEnd, src, dst);
    }

    private static Optional<TcpSegment> ipv6(CapturedFrame frame, byte[] d, int ip) {
        if (d.length < ip + 40) {
            return Optional.empty();
        }
        int payloadLength = u16(d, ip + 4);
        int next = d[ip + 6] & 0xFF;
        int p = ip + 40;
        // hop-by-hop, routing and destination options may sit before TCP
        while ((next == 0 || next == 43 || next == 60) && d.length >= p + 8) {
            next = d[p] & 0xFF;
            p += (d[p + 1] & 0xFF) * 8 + 8;
        }
        if (next != 6) {
            return Optional.empty();
        }
        int wireEnd = payloadLength == 0 ? d.length : ip + 40 + payloadLength;
        return tcp(frame, d, p, Math.min(d.length, wireEnd), wireEnd, address(d, ip + 8, 16), address(d, ip + 24, 16));
    }

    /** The TCP segment at {@code t}: its data captured up to {@code end}, sent up to {@code wireEnd} (a snap length cuts the first). */
    private static Optional<TcpSegment> tcp(CapturedFrame frame, byte[] d, int t, int end, int wireEnd, InetAddress src,
                                            InetAddress dst) {
        if (end < t + 20) {
            return Optional.empty();
        }
        int srcPort = u16(d, t);
        int dstPort = u16(d, t + 2);
        long seq = ((long) u16(d, t + 4) << 16 | u16(d, t + 6)) & 0xFFFFFFFFL;
        long ack = ((long) u16(d, t + 8) << 16 | u16(d, t + 10)) & 0xFFFFFFFFL;
        int dataOffset = ((d[t + 12] & 0xF0) >> 4) * 4;
        int flags = d[t + 13] & 0xFF;
        int from = t + dataOffset;
        if (from > end) {
            return Optional.empty();
        }
        byte[] payload = new byte[end - from];
        System.arraycopy(d, from, payload, 0, payload.length);
        return Optional.of(new TcpSegment(frame.number(), frame.atNanos(), new TcpEndpoint(src, srcPort),
                new TcpEndpoint(dst, dstPort), seq, ack, flags, payload, Math.max(payload.length, wireEnd - from)));
    }

    private static InetAddress address(byte[] d, int from, int n) {
        byte[] a = new byte[n];
        System.arraycopy(d, from, a, 0, n);
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a " + n + "-byte address was refused", e); // cannot happen for 4 or 16 bytes
        }
    }

    private static int u16(byte[] d, int p) {
        return ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
    }
}
