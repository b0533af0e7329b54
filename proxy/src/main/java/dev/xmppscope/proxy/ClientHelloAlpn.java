package dev.xmppscope.proxy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the ALPN protocols (RFC 7301) a TLS ClientHello offers. Netty's SNI handler reads the
 * server name from the ClientHello but no other extension, and the intercepting proxy must know
 * the offer before the client's handshake goes on: it offers the upstream the same list and
 * answers the client with what the upstream chose (XEP-0368 clients offer {@code xmpp-client},
 * servers {@code xmpp-server}; a multiplexing port such as Prosody's routes by it).
 */
final class ClientHelloAlpn {
    private static final int ALPN_EXTENSION = 16;
    /** client_version (2) and random (32) precede the session id. */
    private static final int FIXED_PREFIX = 34;

    private ClientHelloAlpn() {
    }

    /**
     * The protocols offered, in the client's order; empty when the ClientHello has no ALPN
     * extension or is cut short or malformed (the handshake itself then reports what is wrong).
     *
     * @param hello the ClientHello body from {@code client_version} on, as Netty's
     *              {@code SslClientHelloHandler} hands it over; not consumed
     */
    static List<String> offered(ByteBuf hello) {
        int end = hello.writerIndex();
        int i = hello.readerIndex() + FIXED_PREFIX;
        i = skipVector(hello, i, end, 1); // session id
        i = skipVector(hello, i, end, 2); // cipher suites
        i = skipVector(hello, i, end, 1); // compression methods
        if (i < 0 || i + 2 > end) {
            return List.of();
        }
        int extensionsEnd = i + 2 + hello.getUnsignedShort(i);
        if (extensionsEnd > end) {
            return List.of();
        }
        for (i += 2; i + 4 <= extensionsEnd; ) {
            int type = hello.getUnsignedShort(i);
            int length = hello.getUnsignedShort(i + 2);
            i += 4;
            if (i + length > extensionsEnd) {
                return List.of();
            }
            if (type == ALPN_EXTENSION) {
                return protocols(hello, i, i + length);
            }
            i += length;
        }
        return List.of();
    }

    /** The ProtocolNameList in {@code [from, to)}: a 2-byte length, then names each with a 1-byte length. */
    private static List<String> protocols(ByteBuf b, int from, int to) {
        if (from + 2 > to || from + 2 + b.getUnsignedShort(from) != to) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (int i = from + 2; i < to; ) {
            int length = b.getUnsignedByte(i++);
            if (length == 0 || i + length > to) {
                return List.of();
            }
            names.add(b.toString(i, length, StandardCharsets.ISO_8859_1)); // byte for byte, as the JDK sends ALPN names
            i += length;
        }
        return List.copyOf(names);
    }

    /** The index after a vector with a {@code lengthBytes}-byte length at {@code i}, or -1 past {@code end}. */
    private static int skipVector(ByteBuf b, int i, int end, int lengthBytes) {
        if (i < 0 || i + lengthBytes > end) {
            return -1;
        }
        int length = lengthBytes == 1 ? b.getUnsignedByte(i) : b.getUnsignedShort(i);
        int next = i + lengthBytes + length;
        return next > end ? -1 : next;
    }
}
