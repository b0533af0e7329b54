package dev.xmppscope.capture.pcap;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What of a capture was left out: TCP connections carrying no XMPP, by server and by what they
 * carry instead, and frames of link types not read at all, so that an import can say what it did
 * not read and why: a capture of the wrong port or interface otherwise reads as an empty one. And
 * what was mended: frames whose damaged address or port was read as the connection they continue.
 */
final class LeftOutFlows {
    /** How many servers the sentence names; the rest are counted. */
    private static final int NAMED = 5;
    private static final Pattern HTTP = Pattern.compile("\\A(GET|POST|PUT|HEAD|DELETE|OPTIONS|PATCH|CONNECT) |\\AHTTP/");

    private final Map<String, Integer> byServer = new LinkedHashMap<>();
    private long connections;
    private boolean tls;
    /** Frames of link types that are not read at all, by link type. */
    private final Map<Integer, Long> unreadableFrames = new TreeMap<>();
    /** Segments whose damaged address or port was mended: read as the connection they continue. */
    private long repaired;

    /** A connection to {@code server} whose first data, {@code firstBytes}, is no XMPP. */
    void add(TcpEndpoint server, byte[] firstBytes) {
        connections++;
        String what = what(firstBytes);
        tls |= what.equals("TLS");
        byServer.merge(server + " (" + what + ")", 1, Integer::sum);
    }

    /** A frame of a link type that is not read (not Ethernet, Linux cooked, loopback or raw IP). */
    void unreadable(int linkType) {
        unreadableFrames.merge(linkType, 1L, Long::sum);
    }

    /** A segment whose damaged address or port was mended (see {@link PcapImporter}). */
    void repaired() {
        repaired++;
    }

    /** What was left out or mended, and why, a sentence each; null when nothing was. */
    String describe() {
        String mended = repaired == 0 ? null : repaired + (repaired == 1 ? " frame's address or port was" : " frames' addresses or ports were")
                + " damaged (one field differs from a connection's, their sequence numbers within its stream): read as that"
                + " connection's instead of as connections of their own";
        String left = leftOut();
        return mended == null ? left : left == null ? mended : left + "; " + mended;
    }

    private String leftOut() {
        if (unreadableFrames.isEmpty()) {
            return connections == 0 ? null : connections();
        }
        String frames = "left out " + unreadableFrames.entrySet().stream()
                .map(e -> e.getValue() + (e.getValue() == 1 ? " frame" : " frames") + " of link type " + e.getKey())
                .collect(Collectors.joining(", ")) + ": xmppscope reads Ethernet, Linux cooked (SLL, SLL2), BSD loopback and raw IP"
                + " frames (see https://www.tcpdump.org/linktypes.html; capture on another interface, or -i any)";
        return connections == 0 ? frames : frames + "; " + connections();
    }

    private String connections() {
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
