package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.testing.Federation;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers that connect to each other with Direct TLS (XEP-0368: DNS advertises
 * {@code _xmpps-server._tcp}, Prosody's s2s_direct_tls_ports), through the intercepting proxy. TLS
 * comes before any stream header, so who is at either end is known only after it: the TLS steps
 * then name the servers, as they do on a STARTTLS stream, not a "Client" and a "Server"; what its
 * ClientHello asked for (SNI, ALPN) is said, no longer as a guess once the header is there.
 */
class LiveS2sDirectTlsTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void theTlsStepsOfADirectTlsStreamBetweenServersNameTheServers() throws Exception {
        String body = "straight into TLS " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob().s2sDirectTls(true), tmp)) {
            fed.messageAcross(body);
            ConnectionView aToB = fed.awaitConnection(c -> "s2s".equals(c.kind()) && "a.example".equals(c.streamFrom())
                    && "established".equals(c.state()), "a.example's stream to b.example established");
            assertEquals("direct-tls-intercepted", aToB.tls());
            List<String> first = fed.analyzer.negotiation(aToB.id()).stream().limit(6).map(s -> s.step() + ": " + s.title()).toList();
            assertEquals(List.of("tls: a.example starts with TLS directly (XEP-0368)",
                    "tls: a.example's TLS ClientHello asks for b.example (SNI) and offers xmpp-server (ALPN)",
                    "tls: TLS established with b.example",
                    "tls: TLS established with a.example",
                    "tls: a.example presented a certificate of its own, which xmppscope cannot pass on",
                    "header: a.example opens an s2s stream to b.example"), first);
        }
    }
}
