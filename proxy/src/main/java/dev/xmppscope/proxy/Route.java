package dev.xmppscope.proxy;

import dev.xmppscope.capture.TlsMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One link the proxy sits on: it listens on {@code listen} and relays every connection to
 * {@code upstream}, handling TLS as {@code tlsMode} says (Direct TLS is detected per connection
 * from the first byte, whatever the mode).
 *
 * @param spec     the route as the user wrote it, {@code LISTEN=UPSTREAM} (recorded with each connection)
 * @param listen   where to accept connections
 * @param upstream where to connect for each of them
 * @param tlsMode  passthrough (record ciphertext lengths only) or intercept (record the plaintext)
 */
public record Route(String spec, InetSocketAddress listen, InetSocketAddress upstream, TlsMode tlsMode) {

    public Route {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(tlsMode, "tlsMode");
    }

    /**
     * Parses {@code LISTEN=UPSTREAM[,tls=passthrough|intercept]}, where LISTEN and UPSTREAM are
     * {@code HOST:PORT} ({@code [v6]:PORT} for IPv6), e.g.
     * {@code 127.0.0.1:5222=127.0.0.2:5222,tls=intercept}.
     *
     * @param defaultMode the mode when the spec does not name one (the CLI's {@code --tls})
     * @throws IllegalArgumentException with a message saying what is wrong and what is expected
     */
    public static Route parse(String spec, TlsMode defaultMode) {
        Objects.requireNonNull(spec, "spec");
        String text = spec.strip();
        TlsMode mode = defaultMode;
        int comma = text.indexOf(',');
        if (comma >= 0) {
            for (String option : text.substring(comma + 1).split(",")) {
                String o = option.strip();
                if (o.toLowerCase(Locale.ROOT).startsWith("tls=")) {
                    try {
                        mode = TlsMode.ofCliName(o.substring(4).strip());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("route '" + spec + "': " + e.getMessage(), e);
                    }
                } else {
                    throw new IllegalArgumentException("route '" + spec + "': unknown option '" + o
                            + "' (expected tls=passthrough or tls=intercept)");
                }
            }
            text = text.substring(0, comma).strip();
        }
        int eq = text.indexOf('=');
        if (eq < 0 || text.indexOf('=', eq + 1) >= 0) {
            throw new IllegalArgumentException("route '" + spec + "' must look like LISTEN=UPSTREAM,"
                    + " e.g. 127.0.0.1:5222=127.0.0.2:5222");
        }
        InetSocketAddress listen = address(spec, "listen", text.substring(0, eq).strip());
        InetSocketAddress upstream = address(spec, "upstream", text.substring(eq + 1).strip());
        if (upstream.getPort() == 0) {
            throw new IllegalArgumentException("route '" + spec + "': the upstream port cannot be 0");
        }
        return new Route(text, listen, upstream, Objects.requireNonNull(mode, "defaultMode"));
    }

    /**
     * Refuses routes whose upstream is where the proxy itself listens (one of the routes' own
     * listen addresses, or a local address on a port it listens on for all addresses): each
     * connection would be relayed back into the proxy, which would relay it again, without end.
     * A one-character typo in a route is enough to write one.
     *
     * @throws IllegalArgumentException naming the route and the listener it loops back into
     */
    public static void refuseLoops(List<Route> routes) {
        for (Route r : routes) {
            for (Route l : routes) {
                if (r.upstream().getPort() == l.listen().getPort() && (r.upstream().getAddress().equals(l.listen().getAddress())
                        || l.listen().getAddress().isAnyLocalAddress() && isLocal(r.upstream().getAddress()))) {
                    throw new IllegalArgumentException("route '" + r.spec() + "' relays to where xmppscope itself listens"
                            + (l == r ? "" : " (route '" + l.spec() + "')") + ": every connection would come back into the proxy,"
                            + " without end. Give the server's address as the upstream.");
                }
            }
        }
    }

    private static boolean isLocal(InetAddress a) {
        try {
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private static InetSocketAddress address(String spec, String role, String hostPort) {
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || close + 1 >= hostPort.length() || hostPort.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("route '" + spec + "': " + role + " '" + hostPort
                        + "' must be [IPv6]:PORT");
            }
            host = hostPort.substring(1, close);
            port = hostPort.substring(close + 2);
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("route '" + spec + "': " + role + " '" + hostPort
                        + "' must be HOST:PORT, e.g. 127.0.0.1:5222");
            }
            host = hostPort.substring(0, colon);
            port = hostPort.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("route '" + spec + "': " + role + " port '" + port + "' is not a number", e);
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("route '" + spec + "': " + role + " port " + p + " is outside 0..65535");
        }
        InetSocketAddress address = new InetSocketAddress(host, p);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("route '" + spec + "': cannot resolve " + role + " host '" + host + "'");
        }
        return address;
    }

    @Override
    public String toString() {
        return spec + ",tls=" + tlsMode.cliName();
    }
}
