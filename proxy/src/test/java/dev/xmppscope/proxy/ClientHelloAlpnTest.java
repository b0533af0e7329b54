package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** The ALPN offer read from ClientHellos the JDK writes, as a client would send them. */
class ClientHelloAlpnTest {

    @Test
    void readsTheOfferInTheClientsOrder() throws Exception {
        assertEquals(List.of("xmpp-client", "h2", "xmpp-server"),
                ClientHelloAlpn.offered(clientHello(List.of("xmpp-client", "h2", "xmpp-server"))));
    }

    @Test
    void aHelloWithoutAlpnOffersNothing() throws Exception {
        assertEquals(List.of(), ClientHelloAlpn.offered(clientHello(List.of())));
    }

    @Test
    void aHelloCutShortAnywhereOffersNothingAndNeverThrows() throws Exception {
        ByteBuf hello = clientHello(List.of("xmpp-client"));
        int complete = 0;
        for (int length = 0; length <= hello.readableBytes(); length++) {
            List<String> offer = ClientHelloAlpn.offered(hello.slice(hello.readerIndex(), length));
            assertTrue(offer.isEmpty() || offer.equals(List.of("xmpp-client")), length + ": " + offer);
            complete += offer.isEmpty() ? 0 : 1;
        }
        assertTrue(complete > 0, "the whole hello was read");
    }

    @Test
    void aCorruptListLengthOffersNothing() throws Exception {
        ByteBuf hello = clientHello(List.of("xmpp-client"));
        int at = indexOf(hello, "xmpp-client") - 3; // the ProtocolNameList's 2-byte length
        hello.setShort(at, hello.getUnsignedShort(at) + 1);
        assertEquals(List.of(), ClientHelloAlpn.offered(hello));
    }

    /** The ClientHello body (from client_version on) a JDK client sends for {@code alpn}, with SNI. */
    private static ByteBuf clientHello(List<String> alpn) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("a.example", 5223);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName("a.example")));
        p.setApplicationProtocols(alpn.toArray(String[]::new));
        engine.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        ByteBuf record = Unpooled.wrappedBuffer(out);
        assertEquals(22, record.getUnsignedByte(0), "a handshake record");
        assertEquals(1, record.getUnsignedByte(5), "a ClientHello");
        return record.slice(9, record.readableBytes() - 9); // after the record (5) and handshake (4) headers
    }

    private static int indexOf(ByteBuf b, String ascii) {
        byte[] needle = ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= b.readableBytes(); i++) {
            for (int k = 0; k < needle.length; k++) {
                if (b.getByte(i + k) != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(ascii + " not in the hello");
    }
}
