package dev.xmppscope.capture.pcap;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The TCP connections of a capture left out as carrying no XMPP, by server and by what they
 * carry instead, so that an import can say what it did not read and why: a capture of the wrong
 * port, or of XMPP over TLS on another port, otherwise reads as an empty one.
 */
final class LeftOutFlows {
    /** How many servers the sentence names; the rest are counted. */
    private static final int NAMED = 5;
    private static final Pattern HTTP = Pattern.compile("\\A(GET|POST|PUT|HEAD|DELETE|OPTIONS|PATCH|CONNECT) |\\AHTTP/");

    private final Map<String, Integer> byServer = new LinkedHashMap<>();
    private long connections;
    private boolean tls;

    /** A connection to {@code server} whose first data, {@code firstBytes}, is no XMPP. */
    void add(TcpEndpoint server, byte[] firstBytes) {
        connections++;
        String what = what(firstBytes);
        tls |= what.equals("TLS");
        byServer.merge(server + " (" + what + ")", 1, Integer::sum);
    }

    /** One sentence: what was left out and why; null when nothing was. */
    String describe() {
        if (connections == 0) {
            return null;
        }
        String named = byServer.entrySet().stream().limit(NAMED)
                .map(e -> e.getValue() == 1 ? e.getKey() : e.getKey() + " ×" + e.getValue())
                .collect(Collectors.joining(", "));
        int more = byServer.size() - NAMED;
        return "left out " + connections + (connections == 1 ? " TCP connection" : " TCP connections") + " carrying no XMPP: "
                + named + (more > 0 ? " and " + more + " more" : "") + " (XMPP is read on ports 5222, 5223, 5269 and 5270, and on"
                + " any other where a connection's first bytes are XML" + (tls ? "; TLS on another port is read when its ClientHello"
                + " offers xmpp-client or xmpp-server (ALPN), and cannot be told from other TLS otherwise" : "") + ")";
    }

    private static String what(byte[] b) {
        if (b.length >= 2 && b[0] == 0x16 && b[1] == 0x03) {
            return "TLS";
        }
        return HTTP.matcher(new String(b, 0, Math.min(b.length, 16), StandardCharsets.ISO_8859_1)).find() ? "HTTP" : "not XML";
    }
}
