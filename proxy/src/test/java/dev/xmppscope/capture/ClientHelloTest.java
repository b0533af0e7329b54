package dev.xmppscope.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** What ClientHellos the JDK writes, as a client would send them, say in the clear. */
class ClientHelloTest {
    /** A record header (5) and a handshake header (4) come before the body Netty hands over. */
    private static final int HEADERS = 9;

    @Test
    void readsTheServerNameAndTheOfferInTheClientsOrder() throws Exception {
        ClientHello hello = ClientHello.ofRecord(record("a.example", List.of("xmpp-client", "h2", "xmpp-server"))).orElseThrow();
        assertEquals("a.example", hello.serverName());
        assertEquals(List.of("xmpp-client", "h2", "xmpp-server"), hello.protocols());
        assertTrue(hello.offersXmpp());
        assertEquals(" for a.example (SNI), offering xmpp-client, h2, xmpp-server (ALPN)", hello.describe());
    }

    @Test
    void aHelloWithoutAlpnOrSniOffersNothing() throws Exception {
        ClientHello hello = ClientHello.ofRecord(record(null, List.of())).orElseThrow();
        assertNull(hello.serverName());
        assertEquals(List.of(), hello.protocols());
        assertEquals("", hello.describe());
    }

    @Test
    void theBodyAloneReadsAsTheRecordDoes() throws Exception {
        byte[] record = record("a.example", List.of("xmpp-server"));
        assertEquals(ClientHello.ofRecord(record), ClientHello.ofBody(record, HEADERS, record.length));
    }

    @Test
    void aHelloCutShortAnywhereIsNoneAndNeverThrows() throws Exception {
        byte[] record = record("a.example", List.of("xmpp-client"));
        int complete = 0;
        for (int length = 0; length <= record.length; length++) {
            Optional<ClientHello> hello = ClientHello.ofRecord(Arrays.copyOf(record, length));
            assertTrue(hello.isEmpty() || hello.get().protocols().equals(List.of("xmpp-client")), length + ": " + hello);
            complete += hello.isEmpty() ? 0 : 1;
        }
        assertTrue(complete > 0, "the whole hello was read");
    }

    @Test
    void aCorruptListLengthIsNone() throws Exception {
        byte[] record = record("a.example", List.of("xmpp-client"));
        int at = indexOf(record, "xmpp-client") - 3; // the ProtocolNameList's 2-byte length
        record[at + 1]++;
        assertEquals(Optional.empty(), ClientHello.ofRecord(record));
    }

    @Test
    void whatIsNoClientHelloIsNone() {
        assertEquals(Optional.empty(), ClientHello.ofRecord("<stream:stream>".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), ClientHello.ofRecord(new byte[0]));
    }

    /** An event's detail holds what the hello says, and reads back as it, whatever bytes a protocol name holds. */
    @Test
    void theDetailOfAnEventReadsBackAsTheHello() throws Exception {
        ClientHello hello = ClientHello.ofRecord(record("a.example", List.of("xmpp-client", "h2"))).orElseThrow();
        assertEquals("sni=a.example; alpn=xmpp-client,h2", hello.detail());
        for (ClientHello h : List.of(hello, new ClientHello(null, List.of()), new ClientHello("b.example", List.of("a,b; c%\u00ff", "x")))) {
            assertEquals(Optional.of(h), ClientHello.ofDetail(h.detail()), h.detail());
        }
        assertEquals(Optional.empty(), ClientHello.ofDetail("the client's first byte is a TLS handshake"), "another event's words");
        assertEquals(Optional.of(new ClientHello("%zz", List.of("%4"))), ClientHello.ofDetail("sni=%zz; alpn=%4"),
                "a damaged escape is kept as it is");
    }

    /** The first TLS record a JDK client sends for {@code sni} (or none) and {@code alpn}. */
    private static byte[] record(String sni, List<String> alpn) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        p.setApplicationProtocols(alpn.toArray(String[]::new));
        engine.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] record = new byte[out.remaining()];
        out.get(record);
        assertEquals(22, record[0], "a handshake record");
        assertEquals(1, record[5], "a ClientHello");
        return record;
    }

    private static int indexOf(byte[] b, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= b.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (b[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(ascii + " not in the hello");
    }
}
