package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.xmppscope.analyzer.MessageRoutes.awaitRoute;

import dev.xmppscope.analyzer.model.ConnectionView;
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
import java.util.function.Predicate;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Routes of what a user sends herself and of presence, on two real Prosody servers with the recording
 * proxy on every link: alice@a.example and bob@b.example are contacts of each other.
 */
class LivePresenceRoutesTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void aNoteToSelfComesBackACachedPresenceIsReplayedNotHeldAndAnUnmarkedProbeAnswerIsFollowed() throws Exception {
        String note = "note to self " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob(), tmp)) {
            Analyzer analyzer = fed.analyzer;
            try (XmppClient alice = fed.login("a.example", "alice", "phone");
                 XmppClient bob = fed.login("b.example", "bob", "phone")) {
                alice.send("alice@a.example", note); // her server delivers it to her own resources: this one
                alice.awaitMessage(note, Duration.ofSeconds(20));
                befriend(alice, bob);
                Thread.sleep(1500); // so that a replay's lateness is plain to see
                try (XmppClient aliceLaptop = fed.login("a.example", "alice", "laptop");
                     XmppClient bobLaptop = fed.login("b.example", "bob", "laptop")) {
                    awaitHop(analyzer, "alice@a.example/phone", h -> h.target().equals("client:bob@b.example/laptop"));
                    awaitHop(analyzer, "alice@a.example/phone", h -> h.target().equals("client:alice@a.example/laptop"));
                }
                alice.close();
                Thread.sleep(500);
                // bob's new resource probes alice, now offline: a.example answers for her, without id or payload
                try (XmppClient bobTablet = fed.login("b.example", "bob", "tablet")) {
                    StanzaRoute answer = awaitProbeAnswer(analyzer, "bob@b.example/tablet");
                    assertEquals(List.of("server:a.example", "server:b.example"),
                            answer.hops().stream().map(StanzaRoute.Hop::source).toList(), answer.toString());
                    assertTrue(answer.explanation().contains("nothing but these tells it from another alike"),
                            answer.explanation());
                }
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
            long phone = c2s(analyzer, "alice@a.example/phone");

            StanzaRoute toSelf = awaitRoute(analyzer, note, 2);
            assertEquals(List.of(phone, phone), toSelf.hops().stream().map(StanzaRoute.Hop::connection).toList(),
                    "to her server and back to her on the same stream: " + toSelf);
            assertEquals("client:alice@a.example/phone", toSelf.hops().get(1).target(), toSelf.toString());

            // alice/phone's presence reached her laptop and bob's laptop from a.example's cache, seconds later
            StanzaRoute presence = initialPresenceRoute(analyzer, "alice@a.example/phone").orElseThrow();
            StanzaRoute.Hop toLaptop = hop(presence, h -> h.target().equals("client:alice@a.example/laptop"));
            assertEquals(StanzaRoute.Hop.REPLAYED, toLaptop.how(), presence.toString());
            assertNull(toLaptop.heldNanos(), "a replay is not a hold: " + presence);
            assertFalse(toLaptop.linkOpened(), presence.toString());
            assertEquals("alice@a.example/laptop", toLaptop.to(), "says whom the replay is for: " + presence);
            StanzaRoute.Hop toBobLaptop = hop(presence, h -> h.target().equals("client:bob@b.example/laptop"));
            StanzaRoute.Hop replayToB = presence.hops().get(toBobLaptop.after());
            assertEquals("server:b.example", replayToB.target(), presence.toString());
            assertEquals(StanzaRoute.Hop.REPLAYED, replayToB.how(), "replayed where a.example sent it again: " + presence);
            assertNull(toBobLaptop.how(), "b.example relays the replay on: " + presence);
            assertTrue(toBobLaptop.heldNanos() < Duration.ofSeconds(1).toNanos(), "held by b.example briefly: " + presence);
            assertTrue(presence.explanation().contains("out of its presence cache"), presence.explanation());
            assertTrue(presence.explanation().contains("a new delivery, not a hold"), presence.explanation());
        }
    }

    /** Alice and bob subscribe to each other's presence, each approving the other's request at once. */
    private static void befriend(XmppClient alice, XmppClient bob) throws Exception {
        for (XmppClient c : List.of(alice, bob)) {
            Roster.getInstanceFor(c.connection()).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        }
        Roster.getInstanceFor(alice.connection()).createItemAndRequestSubscription(JidCreate.bareFrom("bob@b.example"),
                "bob", null);
        Roster.getInstanceFor(bob.connection()).createItemAndRequestSubscription(JidCreate.bareFrom("alice@a.example"),
                "alice", null);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (XmppClient c : List.of(alice, bob)) {
            Roster roster = Roster.getInstanceFor(c.connection());
            while (roster.getEntries().stream().noneMatch(e -> e.getType() == RosterPacket.ItemType.both)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(c.jid() + " has no mutual subscription: " + roster.getEntries());
                }
                Thread.sleep(50);
            }
        }
    }

    /** The route of the first presence the client {@code jid} sent (its initial presence, at login). */
    private static Optional<StanzaRoute> initialPresenceRoute(Analyzer a, String jid) {
        StanzaSummary first = a.stanzas(new StanzaQuery(null, null, "presence", null, null, null, c2s(a, jid), null, null,
                null, 20)).items().stream().filter(s -> s.direction().equals("toServer")).findFirst().orElseThrow();
        return a.route(first.ref());
    }

    private static void awaitHop(Analyzer a, String sender, Predicate<StanzaRoute.Hop> hop) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Optional<StanzaRoute> route = initialPresenceRoute(a, sender);
            if (route.isPresent() && route.get().hops().stream().anyMatch(hop)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such hop in the route of " + sender + "'s presence: " + route);
            }
            Thread.sleep(100);
        }
    }

    /** The route of a.example's unavailable presence for alice, as it reached the client {@code jid}. */
    private static StanzaRoute awaitProbeAnswer(Analyzer a, String jid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Optional<Long> conn = a.connections().stream().filter(c -> "c2s".equals(c.kind()) && jid.equals(c.jid()))
                    .map(ConnectionView::id).findFirst();
            Optional<StanzaSummary> answer = conn.flatMap(id -> a.stanzas(new StanzaQuery(null, null, "presence",
                    "unavailable", null, null, id, null, null, null, 20)).items().stream()
                    .filter(s -> "alice@a.example".equals(s.from())).findFirst());
            Optional<StanzaRoute> route = answer.flatMap(s -> a.route(s.ref()));
            if (route.isPresent()) {
                return route.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no route for the answer to bob's probe: " + answer);
            }
            Thread.sleep(100);
        }
    }

    private static StanzaRoute.Hop hop(StanzaRoute r, Predicate<StanzaRoute.Hop> which) {
        List<StanzaRoute.Hop> found = r.hops().stream().filter(which).toList();
        assertEquals(1, found.size(), r.toString());
        return found.get(0);
    }

    private static long c2s(Analyzer a, String jid) {
        List<ConnectionView> found = a.connections().stream().filter(c -> "c2s".equals(c.kind()) && jid.equals(c.jid())).toList();
        assertEquals(1, found.size(), "one c2s " + jid + " among " + a.connections());
        return found.get(0).id();
    }
}
