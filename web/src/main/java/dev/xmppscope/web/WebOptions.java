package dev.xmppscope.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Where the web UI listens and how it guards itself.
 *
 * @param host        the address to bind (loopback by default)
 * @param port        the TCP port (0 picks a free one)
 * @param accessToken the token every request and WebSocket must carry, or null; required for any
 *                    bind that is not loopback, because then other machines can reach the UI
 */
public record WebOptions(String host, int port, String accessToken) {

    public static final String DEFAULT = "127.0.0.1:8080";

    public WebOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("web host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("web port " + port + " is out of range 0-65535");
        }
        if (accessToken == null && !isLoopback(host)) {
            throw new IllegalArgumentException("binding the web UI to " + host
                    + " (not loopback) requires an access token; use WebOptions.parse, which makes one");
        }
    }

    /**
     * Parses {@code HOST:PORT} ({@code [::1]:8080} for IPv6, or just {@code PORT} for loopback).
     * A non-loopback host gets a fresh random access token.
     */
    public static WebOptions parse(String spec) {
        String s = spec.trim();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + spec + "' is not HOST:PORT (IPv6 as [::1]:8080)");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else if (s.indexOf(':') < 0) {
            host = "127.0.0.1";
            port = s;
        } else {
            int colon = s.lastIndexOf(':');
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + spec + "' is not HOST:PORT: port '" + port + "' is not a number", e);
        }
        return new WebOptions(host, p, isLoopback(host) ? null : newToken());
    }

    /** Loopback only, no token: the default for tests and local use. */
    public static WebOptions loopback(int port) {
        return new WebOptions("127.0.0.1", port, null);
    }

    /** The same options with a fresh access token (to require one on loopback too). */
    public WebOptions withNewToken() {
        return new WebOptions(host, port, newToken());
    }

    public boolean requiresToken() {
        return accessToken != null;
    }

    /** True for 127.0.0.0/8, ::1 and "localhost"; never resolves other names (no DNS lookups). */
    public static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // a name: we never resolve it, so we cannot tell
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String newToken() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
