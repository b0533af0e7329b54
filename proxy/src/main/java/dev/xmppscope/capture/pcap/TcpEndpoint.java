package dev.xmppscope.capture.pcap;

import dev.xmppscope.capture.HostPort;
import java.net.InetAddress;

/** One end of a TCP flow: an IP address and a port. */
public record TcpEndpoint(InetAddress address, int port) {

    /** {@code host:port}, with IPv6 in brackets: how capture records write addresses. */
    @Override
    public String toString() {
        return HostPort.of(address, port);
    }
}
