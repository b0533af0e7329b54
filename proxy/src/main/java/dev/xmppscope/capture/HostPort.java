package dev.xmppscope.capture;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Addresses as capture records, the console and error messages write them: {@code host:port},
 * IPv6 in brackets and in its short form ({@code [::1]:5222}, RFC 5952), as users type them.
 */
public final class HostPort {
    private HostPort() {
    }

    public static String of(InetAddress address, int port) {
        return of(NetUtil.toAddressString(address), port);
    }

    /** A host as given (a name, or an address in text), brackets added to an IPv6 one. */
    public static String of(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** An unresolved address keeps the name it was given. */
    public static String of(SocketAddress address) {
        if (address instanceof InetSocketAddress a) {
            return a.getAddress() != null ? of(a.getAddress(), a.getPort()) : of(a.getHostString(), a.getPort());
        }
        return String.valueOf(address);
    }

    /** The host of a {@code host:port} as {@link #of} writes it: "127.0.0.3" of "127.0.0.3:5269", "::1" of "[::1]:5269"; null for null. */
    public static String hostOf(String hostPort) {
        if (hostPort == null) {
            return null;
        }
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end < 0 ? hostPort : hostPort.substring(1, end);
        }
        int colon = hostPort.lastIndexOf(':');
        return colon > 0 && hostPort.indexOf(':') == colon ? hostPort.substring(0, colon) : hostPort;
    }
}
