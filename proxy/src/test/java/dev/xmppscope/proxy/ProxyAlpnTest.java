package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * ALPN through an intercepting route, against a real Prosody whose multiplexing TLS port
 * ({@code net_multiplex}, {@code ssl_ports}: one port for c2s, s2s and HTTPS, routed by ALPN)
 * answers the protocol a Direct TLS client offers: the client must see the server's answer.
 */
class ProxyAlpnTest {
    private static final String DOMAIN = "a.example";
    private static final int MULTIPLEX_TLS = 5443;
    private static final String HEADER = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
            + " to='" + DOMAIN + "' version='1.0'>";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;
    Federation fed;

    @BeforeEach
    void startServer() {
        fed = Federation.builder(DOMAIN)
                .configure((d, config) -> config.modules("net_multiplex").lua("ssl_ports = { " + MULTIPLEX_TLS + " }"))
                .start(tmp.resolve("servers"));
        fed.server(DOMAIN).awaitPort(MULTIPLEX_TLS);
    }

    @AfterEach
    void stopServer() {
        fed.close();
    }

    @Test
    void theUpstreamsAlpnChoiceReachesTheClientAndIsRecorded() throws IOException {
        InetAddress server = fed.server(DOMAIN).address();
        List<String> offer = List.of("xmpp-client");
        try (SSLSocket direct = connect(new InetSocketAddress(server, MULTIPLEX_TLS), fed.server(DOMAIN).certificate().trustManager(), offer)) {
            assertEquals("xmpp-client", direct.getApplicationProtocol(), "the server itself answers ALPN on this port");
        }
        try (RecordingProxy proxy = interceptingProxy()) {
            try (SSLSocket client = connect(new InetSocketAddress(fed.relayAddress(DOMAIN), MULTIPLEX_TLS),
                    TestCertificates.trustManager(proxy.ca().certificate()), offer)) {
                assertEquals("xmpp-client", client.getApplicationProtocol(), "the client sees what the server chose");
                RawXmppPeer.write(client.getOutputStream(), HEADER);
                String answer = RawXmppPeer.readUntil(client.getInputStream(), "</stream:features>");
                assertTrue(answer.contains("<mechanisms"), "Prosody serves c2s on the port: " + answer);
            }
            RecordingProxy.Capture c = proxy.awaitCapture(cap -> cap.connections.size() == 1
                    && cap.connections.get(0).closed() != null, "the connection, closed");
            long id = c.connections.get(0).id();
            List<String> established = c.events(id, EventKind.TLS_ESTABLISHED).stream().map(ConnectionEvent::detail).toList();
            assertEquals(2, established.size(), c.toString());
            for (String detail : established) {
                assertTrue(detail.contains("ALPN xmpp-client (chosen by the upstream from the client's xmpp-client)"), detail);
            }
            assertTrue(c.xml(id, Direction.TO_SERVER).contains(HEADER), "the plaintext inside TLS is recorded");
        }
    }

    @Test
    void aClientOfferingNoAlpnGetsNoneFromEitherSide() throws IOException {
        try (RecordingProxy proxy = interceptingProxy();
             SSLSocket client = connect(new InetSocketAddress(fed.relayAddress(DOMAIN), MULTIPLEX_TLS),
                     TestCertificates.trustManager(proxy.ca().certificate()), List.of())) {
            assertEquals("", client.getApplicationProtocol());
            RawXmppPeer.write(client.getOutputStream(), HEADER);
            assertTrue(RawXmppPeer.readUntil(client.getInputStream(), "</stream:features>").contains("<mechanisms"),
                    "without ALPN Prosody routes by the stream header");
        }
    }

    /** An intercepting proxy on the relay address's multiplexing port, in front of the server's. */
    private RecordingProxy interceptingProxy() {
        String route = fed.relayAddress(DOMAIN).getHostAddress() + ":" + MULTIPLEX_TLS + "="
                + fed.server(DOMAIN).address().getHostAddress() + ":" + MULTIPLEX_TLS;
        return RecordingProxy.start(tmp.resolve("proxy"), List.of(route), TlsMode.INTERCEPT, true, false);
    }

    /** A Direct TLS client with SNI for the domain, offering {@code alpn}, handshake done. */
    private static SSLSocket connect(InetSocketAddress to, X509TrustManager trust, List<String> alpn) throws IOException {
        Socket plain = new Socket(to.getAddress(), to.getPort());
        plain.setSoTimeout(20_000);
        SSLSocket tls = (SSLSocket) TestCertificates.clientContext(trust).getSocketFactory().createSocket(plain, DOMAIN, to.getPort(), true);
        SSLParameters p = tls.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(DOMAIN)));
        p.setApplicationProtocols(alpn.toArray(String[]::new));
        tls.setSSLParameters(p);
        tls.startHandshake();
        return tls;
    }
}
