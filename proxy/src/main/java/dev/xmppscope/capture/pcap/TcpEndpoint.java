package dev.xmppscope.capture.pcap;

import java.net.InetAddress;

/** One end of a TCP flow: an IP address and a port. */
public record TcpEndpoint(InetAddress address, int port) {

    /** {@code host:port}, with IPv6 in brackets: how capture records write addresses. */
    @Override
    public String toString() {
        String host = address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
