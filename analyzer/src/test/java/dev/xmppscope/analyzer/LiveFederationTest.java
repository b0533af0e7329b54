package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.TestCertificates;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The analyzer live on a real federation: two Prosody servers, every c2s and s2s link through one
 * recording proxy (TLS intercepted, so STARTTLS streams are visible), the analyzer listening to
 * the recorder. Smack clients alice@a.example and bob@b.example exchange messages, presence and a
 * cross-server ping; someone types a wrong password.
 */
class LiveFederationTest {
    private static final int MESSAGES = 8;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void everyStreamEveryStepAndEveryMessageRouteOfARealFederation() throws Exception {
        try (Federation fed = Federation.builder("a.example", "b.example")
                .user("a.example", "alice", "alice-secret").user("b.example", "bob", "bob-secret").start(tmp);
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.INTERCEPT, true, false);
             Analyzer analyzer = Analyzer.open(proxy.store())) {
            proxy.recorder().addListener(analyzer);
            X509TrustManager trustProxy = TestCertificates.trustManager(proxy.ca().certificate());
            List<String> bodies = new ArrayList<>();
            try (XmppClient bob = XmppClient.options("b.example", fed.relayC2s("b.example")).startTls(trustProxy)
                    .resource("laptop").login("bob", "bob-secret");
                 XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).startTls(trustProxy)
                         .resource("phone").login("alice", "alice-secret")) {
                PingManager.getInstanceFor(bob.connection());
                alice.connection().sendStanza(PresenceBuilder.buildPresence().to(JidCreate.from("bob@b.example"))
                        .ofType(Presence.Type.available).setStatus("directed to bob").build());
                for (int i = 0; i < MESSAGES; i++) {
                    String body = "message " + i + " to bob " + UUID.randomUUID();
                    bodies.add(body);
                    alice.send("bob@b.example", body);
                }
                for (String body : bodies) {
                    bob.awaitMessage(body, Duration.ofSeconds(20));
                }
                bob.send("alice@a.example", "thanks alice");
                alice.awaitMessage("thanks alice", Duration.ofSeconds(20));
                assertTrue(PingManager.getInstanceFor(alice.connection()).ping(bob.jid(), 15_000), "bob answers a ping");
                IllegalStateException refused = assertThrows(IllegalStateException.class, () ->
                        XmppClient.options("a.example", fed.relayC2s("a.example")).startTls(trustProxy)
                                .login("alice", "not-her-password"));
                assertTrue(refused.getMessage().contains("not-authorized"), refused.getMessage());
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + fed.diagnostics(), e);
            }
            // the recorder hands data to listeners after committing it: wait until the analysis has caught up
            awaitTrue(() -> analyzer.connections().stream().filter(c -> c.closedAt() != null).count() >= 3
                    && routesFound(analyzer, bodies) == MESSAGES, "all connections closed and every message routed", analyzer);

            List<ConnectionView> conns = analyzer.connections();
            ConnectionView aliceC2s = only(conns, c -> "c2s".equals(c.kind()) && "alice@a.example/phone".equals(c.jid()));
            ConnectionView bobC2s = only(conns, c -> "c2s".equals(c.kind()) && "bob@b.example/laptop".equals(c.jid()));
            ConnectionView aToB = only(conns, c -> "s2s".equals(c.kind()) && "a.example".equals(c.streamFrom())
                    && "b.example".equals(c.streamTo()));
            ConnectionView failed = only(conns, c -> "c2s".equals(c.kind()) && c.jid() == null);
            assertTrue(conns.stream().anyMatch(c -> "s2s".equals(c.kind()) && "b.example".equals(c.streamFrom())),
                    "b.example opened its own stream back to a.example: " + conns);

            assertGraph(analyzer.graph(), aliceC2s, bobC2s, aToB, failed);
            assertC2sLogin(analyzer.negotiation(aliceC2s.id()), "alice@a.example/phone");
            assertC2sLogin(analyzer.negotiation(bobC2s.id()), "bob@b.example/laptop");
            assertS2s(analyzer.negotiation(aToB.id()), aToB);
            assertWrongPassword(analyzer.negotiation(failed.id()), analyzer.connection(failed.id()).orElseThrow());
            assertEveryMessageHasItsOwnThreeHopRoute(analyzer, bodies, aliceC2s.id(), aToB.id(), bobC2s.id());
            assertPingPaired(analyzer, aliceC2s.id());
        }
    }

    private static void assertGraph(GraphSnapshot g, ConnectionView alice, ConnectionView bob, ConnectionView aToB,
                                    ConnectionView failed) {
        List<String> servers = g.nodes().stream().filter(n -> n.kind().equals("server")).map(GraphNode::id).sorted().toList();
        assertEquals(List.of("server:a.example", "server:b.example"), servers);
        long clients = g.nodes().stream().filter(n -> n.kind().equals("client")).count();
        assertTrue(clients >= 2, "alice and bob (and the failed login's client): " + g.nodes());
        assertEquals("client:alice@a.example/phone→server:a.example", edge(g, "c2s:" + alice.id()));
        assertEquals("client:bob@b.example/laptop→server:b.example", edge(g, "c2s:" + bob.id()));
        assertEquals("server:a.example→server:b.example", edge(g, "s2s:" + aToB.id()));
        GraphEdge failedEdge = g.edges().stream().filter(e -> e.id().equals("c2s:" + failed.id())).findFirst().orElseThrow();
        assertEquals("error", failedEdge.state());
    }

    private static String edge(GraphSnapshot g, String id) {
        GraphEdge e = g.edges().stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no edge " + id + " in " + g.edges()));
        assertTrue(e.stanzas() > 0 && e.bytes() > 0, "edge " + id + " counts its traffic");
        return e.source() + "→" + e.target();
    }

    private static void assertC2sLogin(List<NegotiationStep> steps, String jid) {
        assertSubsequence(List.of("header", "header", "features", "starttls", "proceed", "restart", "header", "features",
                "sasl-auth", "sasl-success", "restart", "header", "features", "bind", "bind"), steps);
        NegotiationStep bound = steps.stream().filter(s -> s.step().equals("bind") && s.status().equals("ok")).findFirst()
                .orElseThrow();
        assertEquals("Bound to " + jid, bound.title());
        assertTrue(steps.stream().anyMatch(s -> s.step().equals("tls") && s.status().equals("ok")),
                "the proxy reports the TLS handshakes: " + names(steps));
        NegotiationStep last = steps.get(steps.size() - 1);
        assertEquals("close", last.step());
        assertTrue(last.title().startsWith("Connection ended after "), last.title());
    }

    private static void assertS2s(List<NegotiationStep> steps, ConnectionView aToB) {
        assertSubsequence(List.of("header", "header", "features"), steps);
        boolean dialback = steps.stream().anyMatch(s -> s.step().equals("dialback-result") && s.status().equals("ok"));
        boolean external = steps.stream().anyMatch(s -> s.step().equals("sasl-success"));
        assertTrue(dialback || external, "a.example authenticated to b.example: " + names(steps));
        assertEquals("a.example→b.example", aToB.jid());
        assertTrue(aToB.tls().startsWith("starttls"), aToB.tls());
    }

    private static void assertWrongPassword(List<NegotiationStep> steps, ConnectionView view) {
        NegotiationStep failure = steps.stream().filter(s -> s.step().equals("sasl-failure")).findFirst()
                .orElseThrow(() -> new AssertionError("no sasl-failure in " + names(steps)));
        assertEquals("failed", failure.status());
        assertTrue(failure.detail().startsWith("not-authorized"), failure.detail());
        assertEquals("Authentication failed: not-authorized (wrong username or password, or no such account)", failure.title());
        assertEquals("error", view.state());
        assertEquals(failure.title(), view.error());
    }

    private static void assertEveryMessageHasItsOwnThreeHopRoute(Analyzer a, List<String> bodies, long alice, long aToB,
                                                                 long bob) {
        Set<String> hopRefs = new HashSet<>();
        for (String body : bodies) {
            StanzaSummary sent = sentByAlice(a, body, alice);
            StanzaRoute route = a.route(sent.ref()).orElseThrow(() -> new AssertionError("no route for '" + body + "'"));
            assertEquals(List.of(alice, aToB, bob), route.hops().stream().map(StanzaRoute.Hop::connection).toList(),
                    "'" + body + "' went alice → a.example → b.example → bob");
            assertEquals(sent.ref(), route.hops().get(0).stanzaRef());
            for (int i = 0; i < 3; i++) {
                StanzaRoute.Hop hop = route.hops().get(i);
                StanzaDetail seen = a.stanza(hop.stanzaRef()).orElseThrow();
                assertTrue(seen.xml().contains(body), "hop " + i + " of '" + body + "' is that message: " + seen.xml());
                assertTrue(hopRefs.add(hop.stanzaRef()), "hop " + hop.stanzaRef() + " joined to two routes");
                if (i > 0) {
                    assertNotNull(hop.heldNanos());
                    assertTrue(hop.heldNanos() >= 0 && hop.at() >= route.hops().get(i - 1).at(), route.toString());
                }
            }
            assertEquals(1.0, route.confidence(), route.explanation());
        }
    }

    private static void assertPingPaired(Analyzer a, long alice) {
        List<StanzaSummary> pings = a.stanzas(new StanzaQuery(null, null, "iq", "get", "urn:xmpp:ping", null, alice, null,
                null, null, 50)).items().stream().filter(s -> "toServer".equals(s.direction())).toList();
        assertTrue(!pings.isEmpty(), "alice's ping is indexed under XEP-0199");
        StanzaDetail ping = a.stanza(pings.get(pings.size() - 1).ref()).orElseThrow();
        assertNotNull(ping.iqPartner(), "the ping is paired with bob's answer");
        assertTrue(ping.iqRttNanos() != null && ping.iqRttNanos() > 0);
        assertEquals(3, ping.route().hops().size(), "the ping crossed alice's c2s, a→b and bob's c2s");
    }

    private static StanzaSummary sentByAlice(Analyzer a, String body, long alice) {
        List<StanzaSummary> found = a.stanzas(new StanzaQuery(body, null, "message", null, null, null, alice, null, null,
                null, 10)).items();
        assertEquals(1, found.size(), "alice's c2s carries '" + body + "' once: " + found);
        return found.get(0);
    }

    private static int routesFound(Analyzer a, List<String> bodies) {
        int n = 0;
        for (String body : bodies) {
            List<StanzaSummary> found = a.stanzas(new StanzaQuery(body, null, "message", null, null, null, null, null, null,
                    null, 10)).items();
            if (found.size() == 3 && a.route(found.get(0).ref()).map(r -> r.hops().size() == 3).orElse(false)) {
                n++;
            }
        }
        return n;
    }

    private static void awaitTrue(BooleanSupplier condition, String what, Analyzer a) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder sb = new StringBuilder("the analysis never showed " + what + "; connections:\n");
                for (ConnectionView c : a.connections()) {
                    sb.append(c).append("\n  ").append(names(a.negotiation(c.id()))).append('\n');
                }
                throw new AssertionError(sb.toString());
            }
            Thread.sleep(100);
        }
    }

    private static ConnectionView only(List<ConnectionView> conns, java.util.function.Predicate<ConnectionView> p) {
        List<ConnectionView> found = conns.stream().filter(p).toList();
        assertEquals(1, found.size(), "exactly one such connection among " + conns);
        return found.get(0);
    }

    private static void assertSubsequence(List<String> expected, List<NegotiationStep> steps) {
        int i = 0;
        for (NegotiationStep s : steps) {
            if (i < expected.size() && s.step().equals(expected.get(i))) {
                i++;
            }
        }
        assertEquals(expected.size(), i, "steps " + expected + " in order, within " + names(steps));
    }

    private static List<String> names(List<NegotiationStep> steps) {
        return steps.stream().map(s -> s.step() + "(" + s.status() + ": " + s.title() + ")").toList();
    }
}
