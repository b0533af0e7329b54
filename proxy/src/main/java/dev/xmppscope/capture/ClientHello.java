package dev.xmppscope.capture;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What a TLS ClientHello says in the clear (RFC 8446 §4.1.2): the server name the client asks for
 * (SNI, RFC 6066) and the protocols it offers (ALPN, RFC 7301). XEP-0368 clients offer
 * {@code xmpp-client}, servers {@code xmpp-server}: the intercepting proxy offers the upstream the
 * same list, and the pcap importer tells Direct TLS XMPP on any port (443, say) from other TLS.
 * Netty's SNI handler reads the server name but no other extension.
 *
 * @param serverName the SNI host name, or null
 * @param protocols  the ALPN protocols offered, in the client's order (empty without ALPN)
 */
public record ClientHello(String serverName, List<String> protocols) {
    private static final int HANDSHAKE_RECORD = 0x16;
    private static final int CLIENT_HELLO = 1;
    /** A record header (type, version, length) and a handshake header (type, length) come before the body. */
    private static final int HEADERS = 5 + 4;
    /** client_version (2) and random (32) start the body, before the session id. */
    private static final int FIXED_PREFIX = 34;
    private static final int SERVER_NAME = 0;
    private static final int HOST_NAME = 0;
    private static final int ALPN = 16;

    /** The ClientHello that {@code data}, a connection's first bytes, begins with; empty if it is none, or cut before its end. */
    public static Optional<ClientHello> ofRecord(byte[] data) {
        if (data.length < HEADERS || (data[0] & 0xFF) != HANDSHAKE_RECORD || data[1] != 3 || data[5] != CLIENT_HELLO) {
            return Optional.empty();
        }
        return ofBody(data, HEADERS, data.length);
    }

    /**
     * How many bytes the TLS handshake record that {@code start} begins with takes, header and
     * body, or -1 if {@code start} begins no such record: a ClientHello larger than a TCP segment
     * (a post-quantum key share makes one) arrives in pieces, gathered to this length before it is read.
     */
    public static int recordLength(byte[] start) {
        if (start.length < 5 || (start[0] & 0xFF) != HANDSHAKE_RECORD || start[1] != 3) {
            return -1;
        }
        return 5 + u16(start, 3);
    }

    /**
     * The ClientHello whose body (from {@code client_version} on, as Netty's
     * {@code SslClientHelloHandler} hands it over) is {@code b[from, to)}; empty when it is cut
     * short or malformed (the handshake itself then says what is wrong).
     */
    public static Optional<ClientHello> ofBody(byte[] b, int from, int to) {
        int i = from + FIXED_PREFIX;
        i = skipVector(b, i, to, 1); // session id
        i = skipVector(b, i, to, 2); // cipher suites
        i = skipVector(b, i, to, 1); // compression methods
        if (i < 0 || i + 2 > to) {
            return Optional.empty();
        }
        int extensionsEnd = i + 2 + u16(b, i);
        if (extensionsEnd > to) {
            return Optional.empty();
        }
        String name = null;
        List<String> protocols = List.of();
        for (i += 2; i + 4 <= extensionsEnd; ) {
            int type = u16(b, i);
            int end = i + 4 + u16(b, i + 2);
            if (end > extensionsEnd) {
                return Optional.empty();
            }
            if (type == SERVER_NAME) {
                name = hostName(b, i + 4, end);
            } else if (type == ALPN) {
                protocols = protocols(b, i + 4, end);
                if (protocols == null) {
                    return Optional.empty();
                }
            }
            i = end;
        }
        return Optional.of(new ClientHello(name, protocols));
    }

    /** Whether the client asks for XMPP (XEP-0368's ALPN protocols). */
    public boolean offersXmpp() {
        return protocols.contains("xmpp-client") || protocols.contains("xmpp-server");
    }

    /** For an event's detail: " for NAME (SNI), offering xmpp-client (ALPN)", or "" when it says neither. */
    public String describe() {
        return (serverName == null ? "" : " for " + serverName + " (SNI)")
                + (protocols.isEmpty() ? "" : (serverName == null ? "" : ",") + " offering " + String.join(", ", protocols) + " (ALPN)");
    }

    /**
     * What a {@link EventKind#TLS_CLIENT_HELLO} event's detail holds: {@code "sni=a.example;
     * alpn=xmpp-client,h2"}, either part left empty when the client sent none; a protocol name's
     * bytes outside printable ASCII, and its {@code % , ;}, are written {@code %XX}.
     */
    public String detail() {
        StringBuilder b = new StringBuilder("sni=").append(serverName == null ? "" : escape(serverName)).append("; alpn=");
        for (int i = 0; i < protocols.size(); i++) {
            b.append(i == 0 ? "" : ",").append(escape(protocols.get(i)));
        }
        return b.toString();
    }

    /** The ClientHello a {@link #detail()} describes; empty for a detail of another shape. */
    public static Optional<ClientHello> ofDetail(String detail) {
        if (detail == null || !detail.startsWith("sni=") || !detail.contains("; alpn=")) {
            return Optional.empty();
        }
        int alpn = detail.indexOf("; alpn=");
        String name = detail.substring("sni=".length(), alpn);
        String list = detail.substring(alpn + "; alpn=".length());
        List<String> protocols = new ArrayList<>();
        for (String p : list.isEmpty() ? new String[0] : list.split(",", -1)) {
            protocols.add(unescape(p));
        }
        return Optional.of(new ClientHello(name.isEmpty() ? null : unescape(name), List.copyOf(protocols)));
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x21 || c > 0x7E || c == '%' || c == ',' || c == ';') {
                b.append('%').append(String.format("%02X", c & 0xFF));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && HexFormat.isHexDigit(s.charAt(i + 1)) && HexFormat.isHexDigit(s.charAt(i + 2))) {
                b.append((char) HexFormat.fromHexDigits(s, i + 1, i + 3));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The host_name in a ServerNameList in {@code [from, to)}, or null if it holds none. */
    private static String hostName(byte[] b, int from, int to) {
        if (from + 2 > to || from + 2 + u16(b, from) != to) {
            return null;
        }
        for (int i = from + 2; i + 3 <= to; ) {
            int type = b[i] & 0xFF;
            int end = i + 3 + u16(b, i + 1);
            if (end > to) {
                return null;
            }
            if (type == HOST_NAME) {
                return new String(b, i + 3, end - i - 3, StandardCharsets.US_ASCII);
            }
            i = end;
        }
        return null;
    }

    /** The ProtocolNameList in {@code [from, to)}: a 2-byte length, then names each with a 1-byte length; null if malformed. */
    private static List<String> protocols(byte[] b, int from, int to) {
        if (from + 2 > to || from + 2 + u16(b, from) != to) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int i = from + 2; i < to; ) {
            int length = b[i++] & 0xFF;
            if (length == 0 || i + length > to) {
                return null;
            }
            names.add(new String(b, i, length, StandardCharsets.ISO_8859_1)); // byte for byte, as the JDK sends ALPN names
            i += length;
        }
        return List.copyOf(names);
    }

    /** The index after a vector with a {@code lengthBytes}-byte length at {@code i}, or -1 past {@code end}. */
    private static int skipVector(byte[] b, int i, int end, int lengthBytes) {
        if (i < 0 || i + lengthBytes > end) {
            return -1;
        }
        int length = lengthBytes == 1 ? b[i] & 0xFF : u16(b, i);
        int next = i + lengthBytes + length;
        return next > end ? -1 : next;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | b[i + 1] & 0xFF;
    }
}
