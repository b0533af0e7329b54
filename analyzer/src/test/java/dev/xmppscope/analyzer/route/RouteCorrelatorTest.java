package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.StanzaRoute;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteCorrelatorTest {
    static final String ALICE = "client:alice@a.example/phone";
    static final String A = "server:a.example";
    static final String B = "server:b.example";
    static final String BOB = "client:bob@b.example/laptop";
    static final String BOB2 = "client:bob@b.example/tablet";

    static Sighting seen(String ref, long conn, String from, String to, long atMs, String id, long digest) {
        return new Sighting(ref, conn, from, to, atMs * 1_000_000L, "message", "chat", id, "alice@a.example",
                "bob@b.example", digest, false, Copying.NONE, false);
    }

    /** The same sighting as the hop that hands it to the client it is addressed to. */
    static Sighting delivered(Sighting s) {
        return new Sighting(s.ref(), s.connection(), s.source(), s.target(), s.at(), s.kind(), s.type(), s.id(), s.fromBare(),
                s.toBare(), s.digest(), true, s.copying(), s.fromStore());
    }

    /** An archive that also lists what it was given. */
    static RouteArchive recording(List<StanzaRoute> saved) {
        RouteArchive inner = RouteArchive.inMemory();
        return new RouteArchive() {
            @Override
            public void save(StanzaRoute route) {
                saved.add(route);
                inner.save(route);
            }

            @Override
            public java.util.Optional<StanzaRoute> find(String ref) {
                return inner.find(ref);
            }
        };
    }

    @Test
    void hopsThatLeaveWhereTheLastArrivedFormOneRoute() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m1", 42));
        r.observe(seen("2-s-3", 2, A, B, 14, "m1", 42));
        r.observe(seen("4-c-9", 4, B, BOB, 15, "m1", 42));
        StanzaRoute route = r.route("2-s-3").orElseThrow();
        assertEquals(List.of("1-s-5", "2-s-3", "4-c-9"), route.hops().stream().map(StanzaRoute.Hop::stanzaRef).toList());
        assertEquals(List.of(4_000_000L, 1_000_000L), List.of(route.hops().get(1).heldNanos(), route.hops().get(2).heldNanos()));
    }

    @Test
    void aMessageAServerHeldPastTheWindowWhileSendingNothingAtAllKeepsItsRoute() {
        RouteCorrelator r = new RouteCorrelator(1_000_000_000L, RouteArchive.inMemory(), node -> node);
        r.observe(seen("2-s-1", 2, A, B, 0, "earlier", 7)); // a.example was sending before
        r.observe(seen("1-s-5", 1, ALICE, A, 100, "m1", 42));
        // frozen: nothing leaves a.example for 5 s, while b.example goes on
        r.observe(seen("3-s-1", 3, B, A, 2_000, "other", 8));
        assertEquals("1-s-5", r.observe(seen("2-s-3", 2, A, B, 5_100, "m1", 42)).orElseThrow(), "the first it sends again");
        assertEquals("1-s-5", r.observe(seen("4-c-9", 4, B, BOB, 5_101, "m1", 42)).orElseThrow(), "and on as usual");
        StanzaRoute route = r.route("4-c-9").orElseThrow();
        assertEquals(5_000_000_000L, route.hops().get(1).heldNanos());
        assertTrue(route.explanation().contains("a.example sent nothing at all for 5.0 s"), route.explanation());
    }

    /**
     * A subscription request b.example keeps for bob, offline, and hands him when he logs in after
     * a quiet spell: b.example was idle, not frozen, and the late copy is not said to be a frozen
     * server's hold. (A directed presence or an IQ request is: servers store neither.)
     */
    @Test
    void aSubscriptionRequestAnIdleServerDeliversAtLoginIsNotTakenForAFrozenServersHold() {
        for (String type : List.of("subscribe", "available")) {
            RouteCorrelator r = new RouteCorrelator(1_000_000_000L, RouteArchive.inMemory(), node -> node);
            r.observe(presence("2-s-0", 2, B, A, 0, "available", "earlier")); // b.example was sending before
            r.observe(presence("1-s-5", 1, ALICE, A, 100, type, "p1"));
            r.observe(presence("2-s-3", 2, A, B, 110, type, "p1")); // then b.example sends nothing for 5 s
            boolean joined = r.observe(delivered(presence("4-c-9", 4, B, BOB, 5_200, type, "p1"))).isPresent();
            assertEquals(!type.equals("subscribe"), joined, type);
        }
    }

    private static Sighting presence(String ref, long conn, String from, String to, long atMs, String type, String id) {
        return new Sighting(ref, conn, from, to, atMs * 1_000_000L, "presence", type, id, "alice@a.example", "bob@b.example", 7,
                false, Copying.NONE, false);
    }

    @Test
    void aServerThatWentOnSendingDidNotHoldAMessagePastTheWindow() {
        RouteCorrelator r = new RouteCorrelator(1_000_000_000L, RouteArchive.inMemory(), node -> node);
        r.observe(seen("2-s-1", 2, A, B, 0, "earlier", 7));
        r.observe(seen("1-s-5", 1, ALICE, A, 100, "m1", 42));
        r.observe(seen("2-s-2", 2, A, B, 200, "later", 9)); // after m1 reached it: a.example was not frozen
        assertTrue(r.observe(seen("2-s-3", 2, A, B, 5_100, "m1", 42)).isEmpty(), "silent only after it went on sending");
    }

    @Test
    void aDifferentPayloadOrIdIsADifferentStanza() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m1", 42));
        r.observe(seen("2-s-3", 2, A, B, 14, "m1", 43));
        r.observe(seen("2-s-4", 2, A, B, 15, "m2", 42));
        assertTrue(r.route("1-s-5").isEmpty());
    }

    @Test
    void aHopFromTheWrongServerOrBackInTimeIsNotJoined() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m1", 42));
        r.observe(seen("4-c-9", 4, B, BOB, 12, "m1", 42));
        assertTrue(r.route("4-c-9").isEmpty(), "b.example never received it from alice's server");
        r.observe(seen("2-s-3", 2, A, B, 9, "m1", 42));
        assertTrue(r.route("2-s-3").isEmpty(), "sent before it arrived");
    }

    @Test
    void outsideTheWindowNothingIsJoined() {
        RouteCorrelator r = new RouteCorrelator(5_000_000L);
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m1", 42));
        r.observe(seen("2-s-3", 2, A, B, 16, "m1", 42));
        assertTrue(r.route("1-s-5").isEmpty());
    }

    @Test
    void twoIndistinguishableStanzasInFlightAreNotGuessedBetween() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(seen("1-s-5", 1, ALICE, A, 10, null, 42));
        r.observe(seen("1-s-6", 1, ALICE, A, 11, null, 42)); // the same text sent twice without ids
        r.observe(seen("2-s-3", 2, A, B, 14, null, 42));
        assertTrue(r.route("2-s-3").isEmpty(), "a missed hop is better than a wrong one");
    }

    @Test
    void aRouteWhoseWindowHasPassedIsArchivedAndStillFoundByEachHop() {
        List<StanzaRoute> saved = new java.util.ArrayList<>();
        RouteCorrelator r = new RouteCorrelator(5_000_000L, recording(saved));
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m1", 42));
        r.observe(seen("2-s-3", 2, A, B, 12, "m1", 42));
        r.observe(seen("1-s-6", 1, ALICE, A, 100, "m2", 42)); // much later: m1's window has passed
        assertEquals(1, saved.size(), "archived once, when it stopped being tracked");
        assertEquals(List.of("1-s-5", "2-s-3"), r.route("1-s-5").orElseThrow().hops().stream().map(StanzaRoute.Hop::stanzaRef).toList());
        assertTrue(r.route("2-s-3").isPresent());
        r.observe(seen("4-c-9", 4, B, BOB, 101, "m1", 42));
        assertEquals(2, r.route("1-s-5").orElseThrow().hops().size(), "a hop after the window does not join");
    }

    @Test
    void aStanzaRepeatedManyTimesKeepsOnlyItsLatestRoutesOpen() {
        RouteCorrelator r = new RouteCorrelator();
        // one client sends the same id and payload 10,000 times: each sighting tests at most the latest few
        for (int i = 0; i < 10_000; i++) {
            r.observe(seen("1-s-" + i, 1, ALICE, A, i, "same", 42));
        }
        r.observe(seen("2-s-1", 2, A, B, 10_000, "same", 42));
        assertTrue(r.route("2-s-1").isEmpty(), "still ambiguous: the open copies are indistinguishable");
        RouteCorrelator once = new RouteCorrelator();
        once.observe(seen("1-s-0", 1, ALICE, A, 0, "same", 42));
        for (int i = 1; i <= RouteCorrelator.MAX_OPEN_PER_KEY; i++) {
            // copies that also reached a.example, but on the s2s link itself: they cannot continue on it
            once.observe(seen("2-c-" + i, 2, B, A, i, "same", 42));
        }
        once.observe(seen("2-s-1", 2, A, B, 100, "same", 42));
        assertTrue(once.route("2-s-1").isEmpty(), "alice's route was the oldest of more than the bound: no longer open");
        RouteCorrelator elsewhere = new RouteCorrelator();
        elsewhere.observe(seen("1-s-0", 1, ALICE, A, 0, "same", 42));
        for (int i = 1; i <= 2 * RouteCorrelator.MAX_OPEN_PER_KEY; i++) {
            elsewhere.observe(seen("9-c-" + i, 9, B, BOB, i, "same", 42)); // copies that reached another node
        }
        elsewhere.observe(seen("2-s-1", 2, A, B, 100, "same", 42));
        assertEquals(2, elsewhere.route("2-s-1").orElseThrow().hops().size(), "the bound counts routes at one node only");
    }

    @Test
    void oneMessageDeliveredToTwoResourcesKeepsBothDeliveries() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m1", 42));
        r.observe(seen("2-s-3", 2, A, B, 14, "m1", 42));
        r.observe(seen("4-c-9", 4, B, BOB, 15, "m1", 42));
        r.observe(seen("6-c-2", 6, B, BOB2, 16, "m1", 42));
        StanzaRoute route = r.route("6-c-2").orElseThrow();
        assertEquals(4, route.hops().size());
        assertEquals(2_000_000L, route.hops().get(3).heldNanos(), "held since it reached b.example");
    }

    static Sighting presence(String ref, long conn, String from, String to, long atMs, String toBare) {
        return new Sighting(ref, conn, from, to, atMs * 1_000_000L, "presence", "available", "p1", "alice@a.example",
                toBare, 77, false, Copying.NONE, false);
    }

    @Test
    void aBroadcastPresenceIsFollowedToEachContact() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(presence("1-s-2", 1, ALICE, A, 10, null));
        r.observe(presence("2-s-4", 2, A, B, 12, "bob@b.example"));
        r.observe(presence("2-s-5", 2, A, B, 12, "carol@b.example"));
        r.observe(presence("4-c-7", 4, B, BOB, 13, "bob@b.example"));
        StanzaRoute route = r.route("4-c-7").orElseThrow();
        assertEquals(List.of("1-s-2", "2-s-4", "4-c-7", "2-s-5"), route.hops().stream().map(StanzaRoute.Hop::stanzaRef).toList(),
                "in the order of the route's tree: bob's copy, then its delivery, then carol's copy");
        assertEquals(1_000_000L, route.hops().get(2).heldNanos(), "bob's copy left b.example 1 ms after it arrived");
    }

    @Test
    void messagesWithoutIdOrPayloadAreNotCorrelated() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(seen("1-s-5", 1, ALICE, A, 10, null, PayloadDigest.EMPTY));
        r.observe(seen("2-s-3", 2, A, B, 14, null, PayloadDigest.EMPTY));
        assertTrue(r.route("2-s-3").isEmpty());
    }

    /** A presence without id or payload from {@code sender} (a full JID) to bob's bare JID, as a server sends one. */
    static Sighting unmarked(String ref, long conn, String from, String to, long atMs, String sender) {
        return new Sighting(ref, conn, from, to, atMs * 1_000_000L, "presence", "unavailable", null, "alice@a.example",
                "bob@b.example", sender, "bob@b.example", PayloadDigest.EMPTY, false, Copying.NONE, false);
    }

    @Test
    void aPresenceWithoutIdOrPayloadIsFollowedByItsAddressesWithinAShortWindow() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(unmarked("2-s-3", 2, A, B, 10, "alice@a.example"));
        assertEquals("2-s-3", r.observe(unmarked("4-c-9", 4, B, BOB, 12, "alice@a.example")).orElseThrow());
        StanzaRoute route = r.route("4-c-9").orElseThrow();
        assertEquals(0.6, route.confidence());
        assertTrue(route.explanation().contains("no payload: nothing but these tells it from another alike"), route.explanation());
        assertTrue(r.observe(unmarked("5-c-1", 5, B, BOB2, 6_000, "alice@a.example")).isEmpty(),
                "one alike 6 s later, to bob's tablet, is another (b.example passes on at once)");
        r.observe(unmarked("2-s-4", 2, A, B, 7_000, "alice@a.example/phone"));
        assertTrue(r.observe(unmarked("4-c-10", 4, B, BOB, 7_001, "alice@a.example/laptop")).isEmpty(),
                "one from another of her resources is another");
        assertEquals("2-s-4", r.observe(unmarked("4-c-11", 4, B, BOB, 7_002, "alice@a.example/phone")).orElseThrow());
    }

    @Test
    void twoPresencesAlikeInFlightAtOnceAreNotTakenForEachOther() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(unmarked("2-s-3", 2, A, B, 10, "alice@a.example"));
        r.observe(unmarked("3-s-3", 3, A, B, 11, "alice@a.example")); // a second stream a→b, say
        assertTrue(r.observe(unmarked("4-c-9", 4, B, BOB, 12, "alice@a.example")).isEmpty(), "which one it is, nothing says");
    }

    @Test
    void aDeliveryToItsAddresseeEndsTheRouteAtOnce() {
        List<StanzaRoute> saved = new java.util.ArrayList<>();
        RouteCorrelator r = new RouteCorrelator(RouteCorrelator.DEFAULT_WINDOW_NANOS, recording(saved));
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m1", 42));
        r.observe(seen("2-s-3", 2, A, B, 14, "m1", 42));
        assertEquals(List.of(), saved, "still open: b.example may pass it on");
        assertEquals("1-s-5", r.observe(delivered(seen("4-c-9", 4, B, BOB, 15, "m1", 42))).orElseThrow());
        assertEquals(1, saved.size(), "archived as soon as it reached bob, not after the window");
        assertEquals(List.of("1-s-5", "2-s-3", "4-c-9"),
                r.route("2-s-3").orElseThrow().hops().stream().map(StanzaRoute.Hop::stanzaRef).toList());
        r.observe(seen("1-s-6", 1, ALICE, A, 16, "m2", 7));
        r.observe(delivered(seen("6-c-1", 6, A, ALICE, 17, "m3", 8))); // a stanza that starts at its addressee
        assertTrue(r.route("6-c-1").isEmpty());
        assertEquals(1, saved.size());
    }

    @Test
    void aStanzaDeliveredAgainOnAResumedStreamJoinsItsRoute() {
        RouteCorrelator r = new RouteCorrelator(5_000_000L);
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m1", 42));
        r.observe(seen("2-s-3", 2, A, B, 11, "m1", 42));
        r.observe(delivered(seen("4-c-9", 4, B, BOB, 12, "m1", 42)));
        // bob's stream broke before he acknowledged it; b.example resends it when he resumes (a
        // resumed stream binds nothing: if the capture missed the session's start, bob shows as
        // that connection, not as the addressee)
        assertEquals("1-s-5", r.observe(seen("7-c-2", 7, B, "client:conn-7", 14, "m1", 42)).orElseThrow());
        StanzaRoute route = r.route("1-s-5").orElseThrow();
        assertEquals(List.of("1-s-5", "2-s-3", "4-c-9", "7-c-2"), route.hops().stream().map(StanzaRoute.Hop::stanzaRef).toList());
        assertEquals(3_000_000L, route.hops().get(3).heldNanos(), "held since it reached b.example");
        assertTrue(route.explanation().endsWith("delivered again on connection 7"), route.explanation());
        assertEquals(StanzaRoute.Hop.RESENT, route.hops().get(3).how());
        assertEquals(route, r.route("7-c-2").orElseThrow());
        assertTrue(r.observe(delivered(seen("7-c-3", 7, B, BOB, 15, "m1", 42))).isEmpty(), "the same link twice: another stanza");
        assertEquals("1-s-5", r.observe(delivered(seen("10-c-1", 10, B, BOB, 16, "m1", 42))).orElseThrow(),
                "known as the addressee, too");
        assertTrue(r.observe(delivered(seen("9-c-1", 9, A, BOB, 16, "m1", 42))).isEmpty(), "from a node it never reached");
        assertTrue(r.observe(delivered(seen("8-c-1", 8, B, BOB, 30, "m1", 42))).isEmpty(), "after the window");
        assertEquals(5, r.route("1-s-5").orElseThrow().hops().size());
    }

    @Test
    void aBroadcastPresenceStaysOpenAfterItsFirstDelivery() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(presence("1-s-2", 1, ALICE, A, 10, null));
        r.observe(presence("2-s-4", 2, A, B, 12, "bob@b.example"));
        r.observe(delivered(presence("4-c-7", 4, B, BOB, 13, "bob@b.example")));
        r.observe(delivered(presence("6-c-1", 6, B, BOB2, 14, "bob@b.example")));
        assertEquals(List.of("1-s-2", "2-s-4", "4-c-7", "6-c-1"),
                r.route("1-s-2").orElseThrow().hops().stream().map(StanzaRoute.Hop::stanzaRef).toList());
    }

    static final String ROOM = "lounge@conference.b.example";
    static final String MUC = "server:conference.b.example";
    static final String C = "server:c.example";
    static final String CAROL = "client:carol@c.example/desk";

    /** A groupchat message: alice's to the room when {@code from} is alice, else the room's copy to {@code toBare}. */
    static Sighting groupchat(String ref, long conn, String from, String to, long atMs, String fromBare, String toBare,
                              long digest, boolean delivered) {
        return new Sighting(ref, conn, from, to, atMs * 1_000_000L, "message", "groupchat", "g1", fromBare, toBare, digest,
                delivered, toBare.equals(ROOM) ? Copying.TO_ROOM : fromBare.equals(ROOM) ? Copying.FROM_ROOM : Copying.NONE, false);
    }

    /** conference.b.example is b.example's MUC service. */
    static RouteCorrelator withMucOnB() {
        return new RouteCorrelator(RouteCorrelator.DEFAULT_WINDOW_NANOS, RouteArchive.inMemory(),
                node -> node.equals(MUC) ? B : node);
    }

    @Test
    void aGroupchatMessageIsFollowedToEveryOccupantThroughTheRoomsServer() {
        RouteCorrelator r = withMucOnB();
        r.observe(groupchat("1-s-2", 1, ALICE, A, 10, "alice@a.example", ROOM, 5, false));
        r.observe(groupchat("4-s-3", 4, A, MUC, 11, "alice@a.example", ROOM, 5, false));
        // the room's copies, from lounge@conference.b.example/alice: bob's leaves b.example on his own
        // stream, the others leave under the service's name on s2s streams
        r.observe(groupchat("2-c-8", 2, B, BOB, 13, ROOM, "bob@b.example", 5, true));
        r.observe(groupchat("5-s-4", 5, MUC, A, 14, ROOM, "alice@a.example", 5, false));
        r.observe(groupchat("7-s-2", 7, MUC, C, 15, ROOM, "carol@c.example", 5, false));
        r.observe(groupchat("5-s-5", 5, MUC, A, 15, ROOM, "dave@a.example", 5, false)); // dave, also on a.example
        r.observe(groupchat("1-c-9", 1, A, ALICE, 16, ROOM, "alice@a.example", 5, true));
        r.observe(groupchat("6-c-3", 6, A, "client:dave@a.example/tablet", 17, ROOM, "dave@a.example", 5, true));
        assertEquals("1-s-2", r.observe(groupchat("3-c-6", 3, C, CAROL, 18, ROOM, "carol@c.example", 5, true)).orElseThrow());
        StanzaRoute route = r.route("3-c-6").orElseThrow();
        assertEquals(List.of("1-s-2", "4-s-3", "2-c-8", "5-s-4", "1-c-9", "7-s-2", "3-c-6", "5-s-5", "6-c-3"),
                route.hops().stream().map(StanzaRoute.Hop::stanzaRef).toList(),
                "in the order of the route's tree: each copy, in the order they left the room, then its delivery");
        List<Long> held = route.hops().stream().map(StanzaRoute.Hop::heldNanos).toList();
        assertEquals(java.util.Arrays.asList(null, 1_000_000L, 2_000_000L, 3_000_000L, 2_000_000L, 4_000_000L, 3_000_000L,
                        4_000_000L, 2_000_000L), held,
                "each copy held by the room's server since the message reached it, then by the occupant's server");
        assertEquals(java.util.Arrays.asList(null, 0, 1, 1, 3, 1, 5, 1, 7), route.hops().stream().map(StanzaRoute.Hop::after).toList(),
                "a tree: the copies continue the hop that reached the room's server, each delivery its own copy");
        String copy = StanzaRoute.Hop.ROOM_COPY;
        assertEquals(java.util.Arrays.asList(null, null, copy, copy, null, copy, null, copy, null),
                route.hops().stream().map(StanzaRoute.Hop::how).toList(), "a copy is made where it leaves the room, then relayed");
        assertTrue(route.explanation().endsWith("the room sent 4 copies to its occupants, from the server that hosts it"),
                route.explanation());
        assertEquals(route, r.route("2-c-8").orElseThrow());
    }

    /** Carol's invitation of dave through the room (its digest {@link PayloadDigest#ofInvitation}), or the room's passing it on. */
    static Sighting invitation(String ref, long conn, String from, String to, long atMs, String fromBare, String toBare) {
        return throughRoom(ref, conn, from, to, atMs, fromBare, toBare, false);
    }

    /** An invitation (its id inv1) or a decline (dec1) sent to the room (to {@link #ROOM}), or the room's passing it on. */
    private static Sighting throughRoom(String ref, long conn, String from, String to, long atMs, String fromBare,
                                        String toBare, boolean decline) {
        boolean sent = toBare.equals(ROOM);
        return new Sighting(ref, conn, from, to, atMs * 1_000_000L, "message", "normal", decline ? "dec1" : "inv1", fromBare,
                toBare, decline ? 78 : 77, false, decline ? (sent ? Copying.DECLINE : Copying.ROOM_DECLINE)
                : (sent ? Copying.INVITATION : Copying.ROOM_INVITATION), false);
    }

    @Test
    void anInvitationIsFollowedThroughTheRoomToItsInvitee() {
        RouteCorrelator r = withMucOnB();
        r.observe(invitation("3-s-1", 3, CAROL, C, 10, "carol@c.example", ROOM));
        r.observe(invitation("8-s-1", 8, C, MUC, 11, "carol@c.example", ROOM));
        r.observe(invitation("5-s-6", 5, MUC, A, 13, ROOM, "dave@a.example"));
        assertEquals("3-s-1", r.observe(invitation("6-c-1", 6, A, "client:dave@a.example/tablet", 14, ROOM,
                "dave@a.example")).orElseThrow());
        StanzaRoute route = r.route("6-c-1").orElseThrow();
        assertEquals(List.of("3-s-1", "8-s-1", "5-s-6", "6-c-1"), route.hops().stream().map(StanzaRoute.Hop::stanzaRef).toList());
        assertEquals(java.util.Arrays.asList(null, null, StanzaRoute.Hop.ROOM_INVITATION, null),
                route.hops().stream().map(StanzaRoute.Hop::how).toList(), "passed on where it leaves the room, then relayed");
        assertEquals("same id 'inv1', type normal, from carol@c.example to lounge@conference.b.example, the same invitation"
                + " (invitee and reason); each hop leaves the server the previous one reached, within 30.0 s; the room"
                + " passed the invitation on to its invitee as a message of its own (XEP-0045 §7.8.2), from the server that"
                + " hosts it", route.explanation());
    }

    /** Dave's decline of carol's invitation, sent to the room, or the room's passing it on to carol. */
    static Sighting decline(String ref, long conn, String from, String to, long atMs, String fromBare, String toBare) {
        return throughRoom(ref, conn, from, to, atMs, fromBare, toBare, true);
    }

    @Test
    void aDeclineIsFollowedThroughTheRoomToTheInviter() {
        RouteCorrelator r = withMucOnB();
        r.observe(decline("6-s-2", 6, "client:dave@a.example/tablet", A, 20, "dave@a.example", ROOM));
        r.observe(decline("4-s-9", 4, A, MUC, 21, "dave@a.example", ROOM));
        r.observe(decline("9-s-1", 9, MUC, C, 23, ROOM, "carol@c.example"));
        assertEquals("6-s-2", r.observe(decline("3-c-7", 3, C, CAROL, 24, ROOM, "carol@c.example")).orElseThrow());
        StanzaRoute route = r.route("3-c-7").orElseThrow();
        assertEquals(List.of("6-s-2", "4-s-9", "9-s-1", "3-c-7"), route.hops().stream().map(StanzaRoute.Hop::stanzaRef).toList());
        assertEquals(java.util.Arrays.asList(null, null, StanzaRoute.Hop.ROOM_DECLINE, null),
                route.hops().stream().map(StanzaRoute.Hop::how).toList(), "passed on where it leaves the room, then relayed");
        assertEquals("same id 'dec1', type normal, from dave@a.example to lounge@conference.b.example, the same decline"
                + " (who declined, and reason); each hop leaves the server the previous one reached, within 30.0 s; the room"
                + " passed the decline on to the inviter as a message of its own (XEP-0045 §7.8.2), from the server that"
                + " hosts it", route.explanation());
    }

    @Test
    void aJoinIsFollowedToTheOccupantsTheRoomTellsOfIt() {
        RouteCorrelator r = withMucOnB();
        r.observe(roomPresence("1-s-2", 1, ALICE, A, 10, "alice@a.example", ROOM, true, false));
        r.observe(roomPresence("4-s-3", 4, A, MUC, 11, "alice@a.example", ROOM, true, false));
        r.observe(roomPresence("5-s-4", 5, MUC, A, 12, ROOM, "alice@a.example", false, false)); // her own (110)
        r.observe(roomPresence("1-c-9", 1, A, ALICE, 13, ROOM, "alice@a.example", false, true));
        // bob joins later: the room tells him who is there, alice's join among them
        assertEquals("1-s-2", r.observe(roomPresence("2-c-8", 2, B, BOB, 20, ROOM, "bob@b.example", false, true)).orElseThrow());
        assertEquals(List.of("1-s-2", "4-s-3", "5-s-4", "1-c-9", "2-c-8"),
                r.route("2-c-8").orElseThrow().hops().stream().map(StanzaRoute.Hop::stanzaRef).toList());
        assertTrue(r.observe(roomPresence("2-c-7", 2, B, BOB, 21, "den@conference.b.example", "bob@b.example", false, true))
                .isEmpty(), "another room's presence");
    }

    static Sighting roomPresence(String ref, long conn, String from, String to, long atMs, String fromBare, String toBare,
                                 boolean toRoom, boolean delivered) {
        return new Sighting(ref, conn, from, to, atMs * 1_000_000L, "presence", "available", "j1", fromBare, toBare, 9,
                delivered, toRoom ? Copying.TO_ROOM : fromBare.endsWith("@conference.b.example") ? Copying.FROM_ROOM : Copying.NONE,
                false);
    }

    static final String ALICE2 = "client:alice@a.example/tablet";

    /** The carbon of {@code seen(...)}'s message on a link of its own: never "delivered". */
    static Sighting carbon(String ref, long conn, String from, String to, long atMs) {
        return new Sighting(ref, conn, from, to, atMs * 1_000_000L, "message", "chat", "m1", "alice@a.example",
                "bob@b.example", 42, false, Copying.CARBON, false);
    }

    @Test
    void carbonsAreHopsOfTheMessagesRoute() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m1", 42));
        assertEquals("1-s-5", r.observe(carbon("3-c-4", 3, A, ALICE2, 11)).orElseThrow(), "alice's tablet gets a copy");
        r.observe(seen("2-s-3", 2, A, B, 12, "m1", 42));
        r.observe(delivered(seen("4-c-9", 4, B, BOB, 13, "m1", 42)));
        // bob's tablet gets its copy after the message reached his phone, and its route was archived
        assertEquals("1-s-5", r.observe(carbon("6-c-2", 6, B, BOB2, 14)).orElseThrow());
        StanzaRoute route = r.route("1-s-5").orElseThrow();
        assertEquals(List.of("1-s-5", "3-c-4", "2-s-3", "4-c-9", "6-c-2"),
                route.hops().stream().map(StanzaRoute.Hop::stanzaRef).toList());
        assertEquals(java.util.Arrays.asList(null, 0, 0, 2, 2), route.hops().stream().map(StanzaRoute.Hop::after).toList());
        assertEquals(java.util.Arrays.asList(null, StanzaRoute.Hop.CARBON, null, null, StanzaRoute.Hop.CARBON),
                route.hops().stream().map(StanzaRoute.Hop::how).toList());
        assertTrue(route.explanation().contains("; 1 carbon (XEP-0280) to other clients of its sender or addressee"),
                route.explanation());
        assertTrue(route.explanation().endsWith("; a carbon (XEP-0280) to another client on connection 6"), route.explanation());
    }

    @Test
    void aSentCarbonThatComesAfterTheDeliveryStillJoinsTheRoute() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m1", 42));
        r.observe(seen("2-s-3", 2, A, B, 11, "m1", 42));
        r.observe(delivered(seen("4-c-9", 4, B, BOB, 12, "m1", 42))); // archived: delivered to bob
        // alice's server copies it to her tablet after bob's got it to him: another server than the one that delivered it
        assertEquals("1-s-5", r.observe(carbon("3-c-4", 3, A, ALICE2, 13)).orElseThrow());
        StanzaRoute route = r.route("1-s-5").orElseThrow();
        assertEquals(List.of("1-s-5", "2-s-3", "4-c-9", "3-c-4"), route.hops().stream().map(StanzaRoute.Hop::stanzaRef).toList());
        assertEquals(0, route.hops().get(3).after(), "copied where the message reached a.example");
        assertEquals(StanzaRoute.Hop.CARBON, route.hops().get(3).how());
        assertTrue(r.observe(carbon("5-c-4", 5, "server:c.example", "client:alice@c.example/x", 14)).isEmpty(),
                "not from a server it never reached");
    }

    @Test
    void onlyTheRoomsCopiesOfThatMessageJoinIt() {
        RouteCorrelator r = withMucOnB();
        r.observe(groupchat("1-s-2", 1, ALICE, A, 10, "alice@a.example", ROOM, 5, false));
        r.observe(groupchat("4-s-3", 4, A, MUC, 11, "alice@a.example", ROOM, 5, false));
        assertTrue(r.observe(groupchat("2-c-8", 2, B, BOB, 13, ROOM, "bob@b.example", 6, true)).isEmpty(), "another body");
        assertTrue(r.observe(groupchat("2-c-9", 2, B, BOB, 13, "den@conference.b.example", "bob@b.example", 5, true))
                .isEmpty(), "another room");
        assertTrue(r.observe(groupchat("2-c-7", 2, B, BOB, 10, ROOM, "bob@b.example", 5, true)).isEmpty(),
                "before the message reached the room");
        assertTrue(r.observe(groupchat("3-c-6", 3, C, CAROL, 12, ROOM, "carol@c.example", 5, true)).isEmpty(),
                "from a server that does not host the room");
        assertEquals(2, r.route("1-s-2").orElseThrow().hops().size());
    }

    @Test
    void withoutKnowingWhoHostsTheServiceOnlyCopiesUnderItsNameJoin() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(groupchat("1-s-2", 1, ALICE, A, 10, "alice@a.example", ROOM, 5, false));
        r.observe(groupchat("4-s-3", 4, A, MUC, 11, "alice@a.example", ROOM, 5, false));
        assertTrue(r.observe(groupchat("2-c-8", 2, B, BOB, 13, ROOM, "bob@b.example", 5, true)).isEmpty());
        assertEquals("1-s-2", r.observe(groupchat("7-s-2", 7, MUC, C, 15, ROOM, "carol@c.example", 5, false)).orElseThrow());
    }

    /** The same message as its addressee's server delivers it out of offline storage (XEP-0160). */
    static Sighting fromStore(Sighting s) {
        return new Sighting(s.ref(), s.connection(), s.source(), s.target(), s.at(), s.kind(), s.type(), s.id(), s.fromBare(),
                s.toBare(), s.digest(), false, Copying.NONE, true);
    }

    @Test
    void aMessageHeldForAnOfflineAddresseeJoinsItsRouteWhenTheServerDeliversItLater() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m1", 42));
        r.observe(seen("2-s-3", 2, A, B, 14, "m1", 42));
        // bob logs in ten minutes later: b.example delivers it from its storage, long after the window
        long tenMinutes = 600_000;
        assertEquals("1-s-5", r.observe(fromStore(seen("4-c-9", 4, B, BOB, 14 + tenMinutes, "m1", 42))).orElseThrow());
        StanzaRoute route = r.route("4-c-9").orElseThrow();
        assertEquals(List.of("1-s-5", "2-s-3", "4-c-9"), route.hops().stream().map(StanzaRoute.Hop::stanzaRef).toList());
        assertEquals(1, route.hops().get(2).after(), "it continues the hop that reached b.example");
        assertEquals(StanzaRoute.Hop.FROM_STORAGE, route.hops().get(2).how());
        assertEquals(tenMinutes * 1_000_000L, route.hops().get(2).heldNanos());
        assertTrue(route.explanation().endsWith("; kept in offline storage (XEP-0160) while its addressee was away, "
                + "delivered 10 min 0 s after it reached their server"), route.explanation());
        assertEquals(route, r.route("1-s-5").orElseThrow(), "found by its first hop too");
    }

    /** The room's invitation as the invitee's server delivers it out of offline storage, when they log in. */
    static Sighting storedInvitation(String ref, long conn, String from, String to, long atMs, String toBare) {
        return new Sighting(ref, conn, from, to, atMs * 1_000_000L, "message", "normal", "inv1", ROOM, toBare, 77, false,
                Copying.ROOM_INVITATION, true);
    }

    @Test
    void anInvitationToSomeoneOfflineOnAnotherServerIsFollowedIntoTheirLogin() {
        RouteCorrelator r = withMucOnB();
        r.observe(invitation("3-s-1", 3, CAROL, C, 10, "carol@c.example", ROOM));
        r.observe(invitation("8-s-1", 8, C, MUC, 11, "carol@c.example", ROOM));
        r.observe(invitation("5-s-6", 5, MUC, A, 13, ROOM, "dave@a.example")); // a.example keeps it: dave is away
        long tenMinutes = 600_000;
        assertEquals("3-s-1", r.observe(storedInvitation("6-c-1", 6, A, "client:dave@a.example/tablet", 13 + tenMinutes,
                "dave@a.example")).orElseThrow());
        StanzaRoute route = r.route("6-c-1").orElseThrow();
        assertEquals(List.of("3-s-1", "8-s-1", "5-s-6", "6-c-1"), route.hops().stream().map(StanzaRoute.Hop::stanzaRef).toList());
        assertEquals(java.util.Arrays.asList(null, null, StanzaRoute.Hop.ROOM_INVITATION, StanzaRoute.Hop.FROM_STORAGE),
                route.hops().stream().map(StanzaRoute.Hop::how).toList());
        assertEquals(2, route.hops().get(3).after(), "it continues the room's message to a.example");
        assertEquals(tenMinutes * 1_000_000L, route.hops().get(3).heldNanos());
        assertTrue(route.explanation().contains("the room passed the invitation on to its invitee")
                && route.explanation().contains("kept in offline storage (XEP-0160)"), route.explanation());
    }

    @Test
    void anInvitationToSomeoneOfflineOnTheRoomsOwnServerIsFollowedIntoTheirLogin() {
        RouteCorrelator r = withMucOnB();
        r.observe(invitation("3-s-1", 3, CAROL, C, 10, "carol@c.example", ROOM));
        r.observe(invitation("8-s-1", 8, C, MUC, 11, "carol@c.example", ROOM));
        // the room's message to bob never crosses a link before b.example delivers it out of its storage
        Sighting delivery = storedInvitation("2-c-4", 2, B, BOB, 11 + 600_000, "bob@b.example");
        assertTrue(r.observe(new Sighting("9-c-1", 9, B, "client:erin@b.example/x", delivery.at(), "message", "normal",
                "inv1", ROOM, "erin@b.example", 78, false, Copying.ROOM_INVITATION, true)).isEmpty(),
                "another invitee's invitation (another digest)");
        assertEquals("3-s-1", r.observe(delivery).orElseThrow());
        StanzaRoute route = r.route("2-c-4").orElseThrow();
        assertEquals(List.of("3-s-1", "8-s-1", "2-c-4"), route.hops().stream().map(StanzaRoute.Hop::stanzaRef).toList());
        assertEquals(java.util.Arrays.asList(null, null, StanzaRoute.Hop.FROM_STORAGE),
                route.hops().stream().map(StanzaRoute.Hop::how).toList());
        assertEquals(1, route.hops().get(2).after(), "it continues the hop that reached the room, hosted by b.example");
        assertTrue(route.explanation().contains("the room passed the invitation on to its invitee"), route.explanation());
    }

    @Test
    void aMessageHeldByTheSendersOwnServerBecomesARouteWhenDelivered() {
        RouteCorrelator r = new RouteCorrelator();
        String carol = "client:carol@b.example/desk";
        Sighting sent = new Sighting("3-s-1", 3, carol, B, 10_000_000L, "message", "normal", "m7", "carol@b.example",
                "bob@b.example", 9, false, Copying.NONE, false);
        r.observe(sent);
        assertTrue(r.route("3-s-1").isEmpty(), "one hop is no route yet");
        Sighting later = new Sighting("4-c-2", 4, B, BOB, 3_600_000_000_000L, "message", "normal", "m7", "carol@b.example",
                "bob@b.example", 9, false, Copying.NONE, true);
        assertEquals("3-s-1", r.observe(later).orElseThrow());
        assertEquals(List.of("3-s-1", "4-c-2"), r.route("3-s-1").orElseThrow().hops().stream().map(StanzaRoute.Hop::stanzaRef)
                .toList());
    }

    @Test
    void onlyTheStoredCopyOfThatMessageFromThatServerJoinsItsHeldRoute() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m1", 42));
        r.observe(seen("2-s-3", 2, A, B, 14, "m1", 42));
        long later = 60_000;
        assertTrue(r.observe(seen("4-c-5", 4, B, BOB, later, "m1", 42)).isEmpty(), "not out of storage: past the window");
        assertTrue(r.observe(fromStore(seen("4-c-6", 4, B, BOB, later, "m1", 43))).isEmpty(), "another payload");
        assertTrue(r.observe(fromStore(seen("4-c-7", 4, A, BOB, later, "m1", 42))).isEmpty(), "from a server it never reached");
        assertEquals("1-s-5", r.observe(fromStore(seen("4-c-8", 4, B, BOB, later, "m1", 42))).orElseThrow());
        assertTrue(r.observe(fromStore(seen("5-c-1", 5, B, BOB2, later + 1, "m1", 42))).isEmpty(),
                "delivered out of storage once");
        assertEquals(3, r.route("1-s-5").orElseThrow().hops().size());
    }

    @Test
    void onlyRoutesWhoseWindowPassedAreKeptForStorageNotThoseDroppedForRoom() {
        RouteCorrelator r = new RouteCorrelator();
        for (int i = 0; i <= RouteCorrelator.MAX_OPEN; i++) { // the first is dropped to make room for the last
            r.observe(seen("1-s-" + i, 1, ALICE, A, 10, "m" + i, 42));
        }
        assertTrue(r.observe(fromStore(seen("2-c-1", 2, A, "client:alice@a.example/tablet", 20, "m0", 42))).isEmpty(),
                "dropped for room, not kept");
        long later = 60_000;
        String last = "m" + RouteCorrelator.MAX_OPEN;
        assertEquals("1-s-" + RouteCorrelator.MAX_OPEN,
                r.observe(fromStore(seen("2-c-2", 2, A, "client:alice@a.example/tablet", later, last, 42))).orElseThrow());
    }

    @Test
    void messagesThatReachedAClientDoNotCrowdOutOneInStorage() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m0", 42));
        r.observe(seen("2-s-3", 2, A, B, 11, "m0", 42)); // bob is away: b.example stores it
        // more messages to bob's bare JID than are kept, each delivered to his laptop (not marked
        // delivered: a bare JID may go to several clients)
        for (int i = 1; i <= RouteCorrelator.MAX_HELD; i++) {
            r.observe(seen("1-s-" + (10 + i), 1, ALICE, A, 20, "m" + i, 42));
            r.observe(seen("2-s-" + (10 + i), 2, A, B, 21, "m" + i, 42));
            r.observe(seen("4-c-" + (10 + i), 4, B, BOB, 22, "m" + i, 42));
        }
        assertEquals("1-s-5", r.observe(fromStore(seen("5-c-1", 5, B, BOB2, 60_000, "m0", 42))).orElseThrow());
    }

    @Test
    void aMessageWhoseOnlyClientCopyWasACarbonIsStillHeld() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(seen("1-s-6", 1, ALICE, A, 20, "m2", 42));
        r.observe(new Sighting("3-c-4", 3, A, ALICE2, 21_000_000L, "message", "chat", "m2", "alice@a.example", "bob@b.example",
                42, false, Copying.CARBON, false)); // alice's tablet gets its carbon; bob is away
        r.observe(seen("2-s-4", 2, A, B, 22, "m2", 42));
        assertEquals("1-s-6", r.observe(fromStore(seen("5-c-2", 5, B, BOB2, 60_000, "m2", 42))).orElseThrow());
    }

    @Test
    void aMessageDeliveredOrSentToARoomIsNotHeld() {
        RouteCorrelator r = new RouteCorrelator();
        r.observe(seen("1-s-5", 1, ALICE, A, 10, "m1", 42));
        r.observe(seen("2-s-3", 2, A, B, 14, "m1", 42));
        r.observe(delivered(seen("4-c-9", 4, B, BOB, 15, "m1", 42)));
        assertTrue(r.observe(fromStore(seen("5-c-1", 5, B, BOB2, 60_000, "m1", 42))).isEmpty(),
                "bob had it already: this is another message");
        RouteCorrelator rooms = withMucOnB();
        rooms.observe(groupchat("1-s-2", 1, ALICE, A, 10, "alice@a.example", ROOM, 5, false));
        rooms.observe(groupchat("4-s-3", 4, A, MUC, 11, "alice@a.example", ROOM, 5, false));
        Sighting stored = new Sighting("2-c-8", 2, MUC, BOB, 60_000_000_000L, "message", "groupchat", "m1", "alice@a.example",
                ROOM, 5, false, Copying.NONE, true);
        assertTrue(rooms.observe(stored).isEmpty(), "a groupchat message is not stored for later");
    }
}
