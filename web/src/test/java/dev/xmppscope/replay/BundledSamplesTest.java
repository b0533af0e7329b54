package dev.xmppscope.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The samples the application jar carries: they read, their narration lands, they teach what their README says. */
class BundledSamplesTest {
    @TempDir
    Path tmp;

    @Test
    void everySampleIsBundled() {
        assertEquals(BundledSample.NAMES, BundledSample.available());
    }

    @ParameterizedTest
    @ValueSource(strings = {"federation", "negotiation", "failures"})
    void everyNoteOfTheNarrationLandsOnTheSample(String name) {
        BundledSample s = BundledSample.open(name);
        assertFalse(s.reader().header().meta().get("teaches").isBlank());
        ReplayTimeline timeline = ReplayTimeline.load(s.reader());
        List<Annotation> notes = s.annotations(timeline); // throws, naming the note, when a match finds nothing
        assertTrue(notes.size() >= 10, name + ": " + notes.size() + " notes");
        assertTrue(notes.stream().allMatch(n -> n.at() >= timeline.start() && n.at() <= timeline.end()));
    }

    private Analyzer analyze(String name, CaptureStore store) {
        Analyzer a = Analyzer.open(store);
        BundledSample.open(name).reader().replay(a);
        return a;
    }

    @Test
    void federationShowsThreeServersFourClientsAndDialback() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("f")); Analyzer a = analyze("federation", store)) {
            Set<String> nodes = a.graph().nodes().stream().map(GraphNode::id).collect(Collectors.toSet());
            assertTrue(nodes.containsAll(Set.of("server:a.example", "server:b.example", "server:c.example",
                    "client:alice@a.example/laptop", "client:bob@b.example/phone", "client:carol@c.example/desk",
                    "client:dave@a.example/tablet")), nodes.toString());
            List<StanzaSummary> dialback = a.stanzas(new StanzaQuery(null, null, "dialback", null, null, null, null, null,
                    null, null, 500)).items();
            assertTrue(dialback.size() >= 12, "db:result and db:verify for three pairs of servers: " + dialback.size());
            assertTrue(a.graph().edges().stream().filter(e -> e.kind().equals("s2s")).count() >= 6, "s2s is one-way: 2 per pair");
        }
    }

    @Test
    void federationFollowsAMessageToARoomToEveryOccupant() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("f")); Analyzer a = analyze("federation", store)) {
            GraphNode muc = a.graph().nodes().stream().filter(n -> n.id().equals("server:conference.b.example")).findFirst()
                    .orElseThrow();
            assertEquals("component", muc.kind(), "the MUC service is drawn beside its server, not as a fourth");
            assertEquals("server:b.example", muc.parent());
            List<StanzaSummary> sent = a.stanzas(new StanzaQuery("Hello room!", null, "message", "groupchat", null, null, null,
                    null, null, null, 50)).items();
            StanzaRoute route = a.route(sent.get(0).ref()).orElseThrow();
            // in: alice's c2s, a.example → conference.b.example; out: bob on b.example (1 hop), alice and
            // dave on a.example and carol on c.example (2 hops each)
            assertEquals(9, route.hops().size(), route.toString());
            assertEquals(Set.of("client:alice@a.example/laptop", "client:bob@b.example/phone", "client:carol@c.example/desk",
                    "client:dave@a.example/tablet"), route.hops().stream().map(StanzaRoute.Hop::target)
                    .filter(t -> t.startsWith("client:")).collect(Collectors.toSet()));
            assertEquals(sent.size(), route.hops().size(), "every sighting of the message is on its route");

            StanzaSummary join = a.stanzas(new StanzaQuery("lounge@conference.b.example/alice", null, "presence", null, null,
                    null, null, null, null, null, 50)).items().get(0);
            assertEquals(Set.of("client:alice@a.example/laptop", "client:bob@b.example/phone", "client:carol@c.example/desk",
                    "client:dave@a.example/tablet"), a.route(join.ref()).orElseThrow().hops().stream()
                    .map(StanzaRoute.Hop::target).filter(t -> t.startsWith("client:")).collect(Collectors.toSet()),
                    "alice's join reaches every occupant: herself, bob already there, carol and dave as they join");
        }
    }

    @Test
    void federationFollowsAMessageThroughOfflineStorage() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("f")); Analyzer a = analyze("federation", store)) {
            List<StanzaSummary> sightings = a.stanzas(new StanzaQuery("this waits on c.example", null, "message", null, null,
                    null, null, null, null, null, 50)).items();
            StanzaRoute route = a.route(sightings.get(0).ref()).orElseThrow();
            assertEquals(List.of("server:b.example", "server:c.example", "client:carol@c.example/desk"),
                    route.hops().stream().map(StanzaRoute.Hop::target).toList(), route.toString());
            assertTrue(route.hops().get(2).heldNanos() >= 3_000_000_000L, "kept until carol logged in again: " + route);
            assertEquals(StanzaRoute.Hop.FROM_STORAGE, route.hops().get(2).how());
            assertTrue(route.explanation().contains("offline storage (XEP-0160)"), route.explanation());
            StanzaDetail delivered = a.stanza(route.hops().get(2).stanzaRef()).orElseThrow();
            assertTrue(delivered.xml().contains("urn:xmpp:delay"), delivered.xml());
        }
    }

    @Test
    void federationFollowsAnInvitationAndItsDeclineThroughTheRoom() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("f")); Analyzer a = analyze("federation", store)) {
            // bob, on the room's own server, to the room; the room's message to carol, on c.example
            assertRoute(a, "the lounge misses you", List.of("server:b.example", "server:c.example",
                    "client:carol@c.example/desk"), 1, StanzaRoute.Hop.ROOM_INVITATION);
            // carol back to the room across s2s; the room's message to bob, from within b.example
            assertRoute(a, "Not now, catching up", List.of("server:c.example", "server:conference.b.example",
                    "client:bob@b.example/phone"), 2, StanzaRoute.Hop.ROOM_DECLINE);
        }
    }

    @Test
    void federationFollowsAMessageToItsCarbon() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("f")); Analyzer a = analyze("federation", store)) {
            List<StanzaSummary> sightings = a.stanzas(new StanzaQuery("are you on your tablet too", null, "message", null,
                    null, null, null, null, null, null, 50)).items();
            StanzaRoute route = a.route(sightings.get(0).ref()).orElseThrow(() -> new AssertionError("no route: " + sightings));
            // bob's c2s, b.example → a.example, then alice's laptop and the carbon to her tablet, in either order
            assertEquals(Set.of("server:b.example", "server:a.example", "client:alice@a.example/laptop",
                    "client:alice@a.example/tablet"), route.hops().stream().map(StanzaRoute.Hop::target)
                    .collect(Collectors.toSet()), route.toString());
            StanzaRoute.Hop carbon = route.hops().stream().filter(h -> h.target().equals("client:alice@a.example/tablet"))
                    .findFirst().orElseThrow();
            assertEquals(StanzaRoute.Hop.CARBON, carbon.how(), route.toString());
            assertEquals("server:a.example", route.hops().get(carbon.after()).target(), "copied where the message arrived");
        }
    }

    /** The route of the message that says {@code text}: its hops' targets, and which of them the room made. */
    private static void assertRoute(Analyzer a, String text, List<String> targets, int roomsHop, String how) {
        List<StanzaSummary> sightings = a.stanzas(new StanzaQuery(text, null, "message", null, null, null, null, null,
                null, null, 50)).items();
        StanzaRoute route = a.route(sightings.get(0).ref()).orElseThrow(() -> new AssertionError("no route: " + sightings));
        assertEquals(targets, route.hops().stream().map(StanzaRoute.Hop::target).toList(), route.toString());
        assertEquals(how, route.hops().get(roomsHop).how(), route.toString());
        assertEquals(sightings.size(), route.hops().size(), "every sighting is on the route");
    }

    @Test
    void negotiationShowsStartTlsScramBindAndResumption() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("n")); Analyzer a = analyze("negotiation", store)) {
            Set<String> steps = a.negotiation(1).stream().map(s -> s.step()).collect(Collectors.toSet());
            assertTrue(steps.containsAll(Set.of("starttls", "proceed", "sasl-auth", "sasl-challenge", "sasl-success", "bind",
                    "sm-enable", "sm-enabled")), steps.toString());
            Set<String> resumed = a.negotiation(2).stream().map(s -> s.step()).collect(Collectors.toSet());
            assertTrue(resumed.contains("sm-resume"), resumed.toString());
            assertEquals("alice@a.example/phone", a.connection(1).orElseThrow().jid());
            assertEquals("alice@a.example/phone", a.connection(2).orElseThrow().jid(),
                    "the resumed stream binds nothing, yet it is alice's");
        }
    }

    @Test
    void failuresShowASaslFailureAStreamErrorABounceAndAnUnansweredIq() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("x")); Analyzer a = analyze("failures", store)) {
            assertTrue(a.negotiation(1).stream().anyMatch(s -> s.step().equals("sasl-failure")), a.negotiation(1).toString());
            assertTrue(a.negotiation(2).stream().anyMatch(s -> s.step().equals("stream-error")), a.negotiation(2).toString());
            StanzaSummary ping = a.stanzas(new StanzaQuery(null, null, "iq", "get", "urn:xmpp:ping", null, 4L, null, null, null, 10))
                    .items().get(0);
            assertTrue(a.stanza(ping.ref()).orElseThrow().unanswered(), "the ping to mute was never answered");
            List<StanzaSummary> bounces = a.stanzas(new StanzaQuery("remote-server-not-found", null, "message", "error", null,
                    null, null, null, null, null, 10)).items();
            assertEquals(1, bounces.size(), bounces.toString());
            StanzaDetail bounce = a.stanza(bounces.get(0).ref()).orElseThrow();
            StanzaDetail bounced = a.stanza(bounce.iqPartner()).orElseThrow(() -> new AssertionError("no partner: " + bounce));
            assertEquals(List.of("message", "chat", "someone@unreachable.example", bounce.stanza().id()),
                    List.of(bounced.stanza().kind(), bounced.stanza().type(), bounced.stanza().to(), bounced.stanza().id()),
                    "the error bounces alice's message to the server that does not exist");
            assertEquals(bounce.stanza().ref(), bounced.iqPartner());
            assertTrue(bounced.iqRttNanos() > 0);
        }
    }
}
