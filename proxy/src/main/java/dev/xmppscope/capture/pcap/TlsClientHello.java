package dev.xmppscope.capture.pcap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a TLS ClientHello says in the clear (RFC 8446 4.1.2): the server name the client asks for
 * (SNI, RFC 6066) and the protocols it offers (ALPN, RFC 7301). XEP-0368 clients offer
 * {@code xmpp-client} or {@code xmpp-server}, which tells Direct TLS XMPP on any port (443, say)
 * from other TLS.
 *
 * @param serverName the SNI host name, or null
 * @param protocols  the ALPN protocols offered, in order (empty without ALPN)
 */
record TlsClientHello(String serverName, List<String> protocols) {
    private static final int HANDSHAKE = 0x16;
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_NAME = 0;
    private static final int ALPN = 16;

    /** The ClientHello that {@code data}, a connection's first bytes, begins with; empty if it is none or is cut before its extensions. */
    static Optional<TlsClientHello> parse(byte[] data) {
        try {
            Reader r = new Reader(data);
            if (r.u8() != HANDSHAKE || r.u8() != 3) {
                return Optional.empty();
            }
            r.skip(3); // minor version, record length
            if (r.u8() != CLIENT_HELLO) {
                return Optional.empty();
            }
            r.skip(3 + 2 + 32); // handshake length, client version, random
            r.skip(r.u8()); // session id
            r.skip(r.u16()); // cipher suites
            r.skip(r.u8()); // compression methods
            int end = r.u16() + r.at;
            String name = null;
            List<String> protocols = new ArrayList<>();
            while (r.at + 4 <= end) {
                int type = r.u16();
                int next = r.u16() + r.at;
                if (type == SERVER_NAME) {
                    r.skip(2 + 1); // list length, name type (host_name)
                    name = r.text(r.u16());
                } else if (type == ALPN) {
                    int listEnd = r.u16() + r.at;
                    while (r.at < listEnd) {
                        protocols.add(r.text(r.u8()));
                    }
                }
                r.at = next;
            }
            return Optional.of(new TlsClientHello(name, List.copyOf(protocols)));
        } catch (IndexOutOfBoundsException cut) {
            return Optional.empty(); // not all of it in the first segment, or not TLS after all
        }
    }

    /** Whether the client asks for XMPP (XEP-0368's ALPN protocols). */
    boolean offersXmpp() {
        return protocols.contains("xmpp-client") || protocols.contains("xmpp-server");
    }

    /** For an event's detail: " for NAME (SNI), offering xmpp-client (ALPN)", or "" when it says neither. */
    String describe() {
        return (serverName == null ? "" : " for " + serverName + " (SNI)")
                + (protocols.isEmpty() ? "" : (serverName == null ? "" : ",") + " offering " + String.join(", ", protocols) + " (ALPN)");
    }

    private static final class Reader {
        private final byte[] d;
        int at;

        Reader(byte[] d) {
            this.d = d;
        }

        int u8() {
            return d[at++] & 0xFF;
        }

        int u16() {
            return (u8() << 8) | u8();
        }

        void skip(int n) {
            if (at + n > d.length) {
                throw new IndexOutOfBoundsException(at + n);
            }
            at += n;
        }

        String text(int n) {
            skip(n);
            return new String(d, at - n, n, StandardCharsets.US_ASCII);
        }
    }
}
