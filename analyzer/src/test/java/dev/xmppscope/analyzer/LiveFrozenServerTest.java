package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.xmppscope.analyzer.MessageRoutes.awaitRoute;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server frozen (SIGSTOP) while a message waits in it holds the message longer than the route
 * window; it sends nothing at all meanwhile, so the message it passes on once thawed still joins its
 * route. Two real Prosody servers, the recording proxy on every link, a 2 s window to keep it short.
 */
class LiveFrozenServerTest {
    private static final long WINDOW = Duration.ofSeconds(2).toNanos();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void aMessageAFrozenServerHeldPastTheWindowKeepsItsRoute() throws Exception {
        String body = "held by a frozen server " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob(), tmp, WINDOW)) {
            try (XmppClient alice = fed.login("a.example", "alice", "phone");
                 XmppClient bob = fed.login("b.example", "bob", "phone")) {
                String warmUp = "the link is up " + UUID.randomUUID(); // so that a.example opens no link once thawed
                alice.send("bob@b.example", warmUp);
                bob.awaitMessage(warmUp, Duration.ofSeconds(20));
                long pid = fed.servers.server("a.example").pid();
                signal("STOP", pid);
                try {
                    alice.send("bob@b.example", body);
                    Thread.sleep(2 * WINDOW / 1_000_000);
                } finally {
                    signal("CONT", pid);
                }
                bob.awaitMessage(body, Duration.ofSeconds(20));
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
            StanzaRoute route = awaitRoute(fed.analyzer, body, 3);
            assertEquals(List.of("client:alice@a.example/phone", "server:a.example", "server:b.example"),
                    route.hops().stream().map(StanzaRoute.Hop::source).toList(), "alice's stream, a→b, bob's stream: " + route);
            assertTrue(route.hops().get(1).heldNanos() > WINDOW, "held by a.example while frozen: " + route);
            assertTrue(route.explanation().contains("a.example sent nothing at all for"), route.explanation());
        }
    }

    /**
     * The same for an IQ request and a directed presence: alice pings bob's phone and sends it her
     * presence while a.example is frozen; once thawed it passes both on, and each route still runs
     * alice → a.example → b.example → bob, its held hop saying how long a.example was silent. The
     * clients stay until bob's phone has both (alice has its pong): under load the thawed a.example
     * passed them on after the clients had logged out, and b.example had no one to deliver them to.
     */
    @Test
    void anIqRequestAndADirectedPresenceAFrozenServerHeldPastTheWindowKeepTheirRoutes() throws Exception {
        Ping ping;
        String status = "directed while frozen " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob(), tmp, WINDOW)) {
            try (XmppClient alice = fed.login("a.example", "alice", "phone");
                 XmppClient bob = fed.login("b.example", "bob", "phone")) {
                String warmUp = "the link is up " + UUID.randomUUID();
                alice.send("bob@b.example", warmUp);
                bob.awaitMessage(warmUp, Duration.ofSeconds(20));
                ping = new Ping(bob.jid());
                StanzaCollector directed = bob.connection().createStanzaCollector(
                        st -> st instanceof Presence p && status.equals(p.getStatus()));
                long pid = fed.servers.server("a.example").pid();
                signal("STOP", pid);
                StanzaCollector pong;
                try {
                    pong = alice.connection().createStanzaCollectorAndSend(ping);
                    alice.connection().sendStanza(alice.connection().getStanzaFactory().buildPresenceStanza().to(bob.jid())
                            .setStatus(status).build());
                    Thread.sleep(2 * WINDOW / 1_000_000);
                } finally {
                    signal("CONT", pid);
                }
                assertNotNull(pong.nextResult(Duration.ofSeconds(20).toMillis()), "bob's phone answered the ping: it had it");
                pong.cancel();
                assertNotNull(directed.nextResult(Duration.ofSeconds(20).toMillis()), "bob's phone got alice's presence");
                directed.cancel();
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
            for (StanzaQuery sent : List.of(new StanzaQuery(null, null, "iq", "get", null, ping.getStanzaId(), null, null, null, null, 20),
                    new StanzaQuery(status, null, "presence", null, null, null, null, null, null, null, 20))) {
                StanzaRoute route = awaitRouteOf(fed.analyzer, sent, 3);
                assertEquals(List.of("client:alice@a.example/phone", "server:a.example", "server:b.example"),
                        route.hops().stream().map(StanzaRoute.Hop::source).toList(), "alice's stream, a→b, bob's stream: " + route);
                assertTrue(route.hops().get(1).heldNanos() > WINDOW, "held by a.example while frozen: " + route);
                assertTrue(route.explanation().contains("a.example sent nothing at all for"), route.explanation());
            }
        }
    }

    /** Waits up to 20 s for the route of the first stanza {@code query} finds to have at least {@code hops} hops. */
    private static StanzaRoute awaitRouteOf(Analyzer a, StanzaQuery query, int hops) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            List<StanzaSummary> found = a.stanzas(query).items();
            Optional<StanzaRoute> route = found.isEmpty() ? Optional.empty() : a.route(found.get(0).ref());
            if (route.isPresent() && route.get().hops().size() >= hops) {
                return route.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no route of " + hops + " hops for " + query + ": " + route + "\nstanzas: " + found);
            }
            Thread.sleep(100);
        }
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name + " " + pid);
    }
}
