package dev.xmppscope.capture.pcap;

/**
 * One frame of a pcap or pcapng file, as the capturing tool saved it.
 *
 * @param number    1-based frame number, as Wireshark counts them
 * @param linkType  the LINKTYPE_* of the interface it was captured on (1 = Ethernet, ...)
 * @param atNanos   capture time, nanoseconds since the Unix epoch
 * @param data      the captured bytes (possibly cut to the snapshot length)
 * @param wireLength the frame's length on the wire
 */
public record CapturedFrame(long number, int linkType, long atNanos, byte[] data, int wireLength) {
}
