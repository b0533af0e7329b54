package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.proxy.CertificateAuthority;
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
        try (AnalyzedFederation fed = AnalyzedFederation.start(AnalyzedFederation.aliceAndBob()
                .configure((domain, config) -> config.s2sSecureAuth(true).trust(proxyCa.certificate())), tmp)) {
            Analyzer analyzer = fed.analyzer;
            fed.messageAcross(body);
            ConnectionView aToB = fed.awaitConnection(c -> "s2s".equals(c.kind()) && "a.example".equals(c.streamFrom())
                    && "established".equals(c.state()), "a.example's stream to b.example established");
            List<NegotiationStep> steps = analyzer.negotiation(aToB.id());
            List<String> titles = steps.stream().filter(s -> s.step().startsWith("sasl-")).map(NegotiationStep::title).toList();
            assertEquals(List.of("a.example authenticates with SASL EXTERNAL (its certificate)",
                    "b.example accepts a.example (SASL EXTERNAL: its certificate)"), titles);
            assertEquals("a.example→b.example", aToB.jid());
            assertTrue(steps.stream().noneMatch(s -> s.step().startsWith("dialback")), "no dialback needed: " + steps);
        }
    }
}
