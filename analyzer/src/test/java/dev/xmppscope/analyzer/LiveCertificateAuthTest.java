package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.proxy.CertificateAuthority;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.TestCertificates;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers that authenticate each other by certificate (Prosody's s2s_secure_auth) through the
 * intercepting proxy, whose CA they trust: a.example authenticates to b.example with SASL
 * EXTERNAL, and the steps say who accepted whom and how, not a login's "Authentication succeeded".
 */
class LiveCertificateAuthTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void saslExternalBetweenServersSaysWhoAcceptedWhomByCertificate() throws Exception {
        String body = "by certificate " + UUID.randomUUID();
        // the proxy's CA exists first, so the servers can be told to trust it
        CertificateAuthority proxyCa = CertificateAuthority.loadOrCreate(tmp.resolve("proxy").resolve("ca"));
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob()
                .configure((domain, config) -> config.s2sSecureAuth(true).trust(proxyCa.certificate())), tmp)) {
            Analyzer analyzer = fed.analyzer;
            fed.messageAcross(body);
            ConnectionView aToB = fed.awaitConnection(c -> "s2s".equals(c.kind()) && "a.example".equals(c.streamFrom())
                    && "established".equals(c.state()), "a.example's stream to b.example established");
            List<NegotiationStep> steps = analyzer.negotiation(aToB.id());
            List<String> titles = steps.stream().filter(s -> s.step().startsWith("sasl-")).map(NegotiationStep::title).toList();
            // what b.example judged was xmppscope's certificate for a.example: a.example's own cannot pass the proxy
            assertEquals(List.of("a.example authenticates with SASL EXTERNAL (the certificate xmppscope presented for it: its own"
                            + " cannot pass an intercepting proxy)",
                    "b.example accepts a.example (SASL EXTERNAL: xmppscope's certificate for it)"), titles);
            NegotiationStep withheld = steps.stream().filter(s -> s.title().startsWith("a.example presented its own certificate"))
                    .findFirst().orElseThrow(() -> new AssertionError("a.example's own certificate is not said: " + steps));
            assertEquals("a.example presented its own certificate, which xmppscope cannot pass on: b.example was shown"
                    + " xmppscope's for a.example instead", withheld.title());
            assertTrue(withheld.detail().startsWith("the client presented its certificate CN=a.example"), withheld.detail());
            assertTrue(withheld.detail().endsWith("the server was shown xmppscope's certificate for a.example instead"),
                    withheld.detail());
            assertEquals("info", withheld.status(), "dialback or a CA that trusts xmppscope's makes it no failure");
            assertEquals("a.example→b.example", aToB.jid());
            assertNull(aToB.warning(), "a server's certificate left behind is no warning: dialback or xmppscope's stood in");
            assertTrue(steps.stream().noneMatch(s -> s.step().startsWith("dialback")), "no dialback needed: " + steps);
        }
    }

    /**
     * A client that presents a certificate of its own through the intercepting proxy: it does not
     * reach the server (the proxy cannot pass it on), and the connection says so, naming it.
     */
    @Test
    void aClientsOwnCertificateIsSaidNotToReachTheServer() throws Exception {
        TestCertificates.Issued own = TestCertificates.selfSigned("alice.devices.example");
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.builder("a.example")
                .user("a.example", "alice", "alice-pw"), tmp)) {
            try (XmppClient alice = XmppClient.options("a.example", fed.servers.relayC2s("a.example"))
                    .startTls(TestCertificates.trustManager(fed.proxy.ca().certificate())).clientCertificate(own)
                    .resource("laptop").login("alice", "alice-pw")) {
                assertTrue(alice.isSecureConnection());
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
            ConnectionView c = fed.awaitConnection(v -> "alice@a.example/laptop".equals(v.jid()), "alice's stream");
            String said = "Client presented a certificate, which xmppscope cannot pass on: the server was shown none, so a login"
                    + " with it (SASL EXTERNAL) cannot succeed through an intercepting proxy";
            assertEquals(said, c.warning());
            NegotiationStep step = fed.analyzer.negotiation(c.id()).stream().filter(s -> s.title().equals(said)).findFirst()
                    .orElseThrow();
            assertEquals("the client presented its certificate CN=alice.devices.example (issued by CN=alice.devices.example);"
                    + " an intercepting proxy cannot pass it on, not holding its key: the server was shown no client certificate",
                    step.detail());
            assertEquals("warning", step.status());
        }
    }
}
