package dev.xmppscope.capture.pcap;

/**
 * A TCP segment decoded from a captured frame.
 *
 * @param frame    the frame it came from (for error messages)
 * @param atNanos  capture time
 * @param source   sender
 * @param target   receiver
 * @param seq      sequence number (unsigned 32 bits, in a long)
 * @param ack      acknowledgement number (unsigned 32 bits; meaningful with the ACK flag)
 * @param flags    the TCP flag bits (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10)
 * @param payload  the segment's data as captured (may be empty)
 * @param wireLength the data's length on the wire: more than {@code payload}'s when the capture's
 *                 snap length cut the frame
 */
public record TcpSegment(long frame, long atNanos, TcpEndpoint source, TcpEndpoint target, long seq, long ack, int flags,
                         byte[] payload, int wireLength) {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int ACK = 0x10;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
