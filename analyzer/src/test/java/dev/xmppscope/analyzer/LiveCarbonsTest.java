package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.xmppscope.analyzer.MessageRoutes.awaitRoute;

import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message carbons (XEP-0280) on two real Prosody servers through the recording proxy: alice and
 * bob each have two clients with carbons on. A message from alice's laptop to bob's phone is one
 * route, with the carbons to alice's tablet and bob's tablet as branches of it.
 */
class LiveCarbonsTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void theCarbonsOfAMessageAreBranchesOfItsRoute() throws Exception {
        String body = "carbon copied " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob()
                .configure((domain, cfg) -> cfg.modules("carbons")), tmp)) {
            try (XmppClient aliceLaptop = fed.login("a.example", "alice", "laptop").enableCarbons();
                 XmppClient aliceTablet = fed.login("a.example", "alice", "tablet").enableCarbons();
                 XmppClient bobPhone = fed.login("b.example", "bob", "phone").enableCarbons();
                 XmppClient bobTablet = fed.login("b.example", "bob", "tablet").enableCarbons()) {
                aliceLaptop.send("bob@b.example/phone", body);
                bobPhone.awaitMessage(body, Duration.ofSeconds(20));
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
            StanzaRoute route = awaitRoute(fed.analyzer, body, 5);
            // in whatever order the carbons and the delivery raced: alice's server copies it to her tablet and
            // passes it on; bob's delivers it to his phone and copies it to his tablet
            List<String> targets = route.hops().stream().map(StanzaRoute.Hop::target).toList();
            assertEquals("server:a.example", targets.get(0), route.toString());
            assertEquals(Set.of("server:a.example", "client:alice@a.example/tablet", "server:b.example",
                    "client:bob@b.example/phone", "client:bob@b.example/tablet"), new HashSet<>(targets), route.toString());
            for (StanzaRoute.Hop hop : route.hops().subList(1, 5)) {
                StanzaRoute.Hop from = route.hops().get(hop.after());
                assertEquals(from.target(), hop.source(), "each hop leaves where the one it continues arrived: " + route);
                assertTrue(hop.heldNanos() >= 0, route.toString());
            }
            assertTrue(route.explanation().contains("carbon"), route.explanation());
        }
    }
}
