package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.xmppscope.analyzer.MessageRoutes.awaitRoute;
import static dev.xmppscope.analyzer.MessageRoutes.routeOf;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * A room on b.example's MUC service (conference.b.example, a component of the same Prosody) with
 * occupants on three federated servers, every c2s and s2s link through one recording proxy (TLS
 * intercepted). Each message to the room is one route: to the room's server, then the room's copy to
 * every occupant, whether it leaves under the service's name (s2s) or the server's (b's own clients).
 * So is a join (the room's presence of the new occupant to everyone), a private message through
 * the room (its one copy to the occupant addressed), an invitation through the room (the room's
 * own message to the invitee, who is in no room), and the invitee's decline (the room's own message
 * to the inviter).
 */
class LiveMucFederationTest {
    private static final String ROOM = "lounge@conference.b.example";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void aMessageToARoomIsOneRouteToEveryOccupantOnEveryServer() throws Exception {
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.builder("a.example", "b.example", "c.example")
                .user("a.example", "alice", "alice-pw").user("b.example", "bob", "bob-pw").user("c.example", "carol", "carol-pw")
                .user("a.example", "dave", "dave-pw").user("a.example", "erin", "erin-pw")
                .configure((domain, cfg) -> {
                    if (domain.equals("b.example")) {
                        cfg.muc("conference.b.example");
                    }
                }), tmp)) {
            Analyzer analyzer = fed.analyzer;
            EntityBareJid room = JidCreate.entityBareFrom(ROOM);
            Map<String, String> bodyBySender = new LinkedHashMap<>();
            String whisper = "carol to bob alone " + UUID.randomUUID();
            String reason = "carol asks dave in " + UUID.randomUUID();
            String declined = "dave cannot come " + UUID.randomUUID();
            String toBoth = "bob to alice and dave " + UUID.randomUUID();
            try (XmppClient alice = fed.login("a.example", "alice", "laptop");
                 XmppClient bob = fed.login("b.example", "bob", "phone");
                 XmppClient carol = fed.login("c.example", "carol", "desk");
                 XmppClient dave = fed.login("a.example", "dave", "tablet")) {
                Map<String, MultiUserChat> rooms = new LinkedHashMap<>();
                rooms.put("alice", MultiUserChatManager.getInstanceFor(alice.connection()).getMultiUserChat(room));
                rooms.get("alice").create(Resourcepart.from("alice")).makeInstant();
                rooms.put("bob", MultiUserChatManager.getInstanceFor(bob.connection()).getMultiUserChat(room));
                rooms.get("bob").join(Resourcepart.from("bob"));
                rooms.put("carol", MultiUserChatManager.getInstanceFor(carol.connection()).getMultiUserChat(room));
                rooms.get("carol").join(Resourcepart.from("carol"));
                // from another server than the room's (alice, carol) and from the room's own (bob)
                for (String sender : rooms.keySet()) {
                    String body = sender + " to the room " + UUID.randomUUID();
                    bodyBySender.put(sender, body);
                    rooms.get(sender).sendMessage(body);
                    for (XmppClient occupant : List.of(alice, bob, carol)) {
                        occupant.awaitMessage(body, Duration.ofSeconds(20));
                    }
                }
                carol.send(ROOM + "/bob", whisper); // a private message through the room (XEP-0045 §7.5)
                bob.awaitMessage(whisper, Duration.ofSeconds(20));
                // a mediated invitation (XEP-0045 §7.8.2): the room passes it on to dave as its own message
                rooms.get("carol").invite(JidCreate.entityBareFrom("dave@a.example"), reason);
                dave.awaitMessage(m -> m.getBody() != null && m.getBody().contains(reason), "the room's invitation",
                        Duration.ofSeconds(20));
                // and dave's decline, which the room passes on to carol (to her bare JID, as dave names her)
                MultiUserChatManager.getInstanceFor(dave.connection()).decline(room,
                        JidCreate.entityBareFrom("carol@c.example"), declined);
                carol.awaitMessage(m -> m.getBody() != null && m.getBody().contains(declined), "the room's decline",
                        Duration.ofSeconds(20));
                // dave joins after all: the room's copies to alice and to dave then cross one link, to a.example
                // (without the room's history: its copies of earlier messages to dave would join their routes)
                MultiUserChat daveIn = MultiUserChatManager.getInstanceFor(dave.connection()).getMultiUserChat(room);
                daveIn.join(daveIn.getEnterConfigurationBuilder(Resourcepart.from("dave")).requestNoHistory().build());
                rooms.get("bob").sendMessage(toBoth);
                for (XmppClient occupant : List.of(alice, dave)) {
                    occupant.awaitMessage(toBoth, Duration.ofSeconds(20));
                }
                // erin joins asking for the last message of the room's history: the room copies it to her from there
                try (XmppClient erin = fed.login("a.example", "erin", "phone")) {
                    MultiUserChat erinIn = MultiUserChatManager.getInstanceFor(erin.connection()).getMultiUserChat(room);
                    erinIn.join(erinIn.getEnterConfigurationBuilder(Resourcepart.from("erin")).requestMaxStanzasHistory(1).build());
                    erin.awaitMessage(toBoth, Duration.ofSeconds(20));
                }
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
            // sender's hops to the room's server, then the copies' five (alice's and carol's two each, bob's one);
            // once the last message's route is whole, the room's presences to dave when he joined are analyzed too
            for (Map.Entry<String, Integer> e : Map.of(bodyBySender.get("alice"), 7, bodyBySender.get("bob"), 6,
                    bodyBySender.get("carol"), 7, whisper, 3, reason, 4, declined, 4, toBoth, 10).entrySet()) {
                awaitRoute(analyzer, e.getKey(), e.getValue());
            }

            List<ConnectionView> conns = analyzer.connections();
            Map<String, Long> c2s = new LinkedHashMap<>();
            for (String who : List.of("alice@a.example/laptop", "bob@b.example/phone", "carol@c.example/desk",
                    "dave@a.example/tablet")) {
                c2s.put(who.substring(0, who.indexOf('@')), only(conns, "c2s", who).id());
            }
            long aToRoom = only(conns, "s2s", "a.example→conference.b.example").id();
            long roomToA = only(conns, "s2s", "conference.b.example→a.example").id();
            long cToRoom = only(conns, "s2s", "c.example→conference.b.example").id();
            long roomToC = only(conns, "s2s", "conference.b.example→c.example").id();
            assertServiceOfB(analyzer.graph());

            // each copy: the room's server to the occupant, through the occupant's server when it is another
            Set<List<Long>> copies = Set.of(List.of(roomToA, c2s.get("alice")), List.of(c2s.get("bob")),
                    List.of(roomToC, c2s.get("carol")));
            assertRoute(analyzer, bodyBySender.get("alice"), List.of(c2s.get("alice"), aToRoom), copies);
            assertRoute(analyzer, bodyBySender.get("bob"), List.of(c2s.get("bob")), copies);
            assertRoute(analyzer, bodyBySender.get("carol"), List.of(c2s.get("carol"), cToRoom), copies);
            assertJoinReachedEveryone(analyzer, c2s.get("alice"));
            assertEquals(List.of(c2s.get("carol"), cToRoom, c2s.get("bob")),
                    routeOf(analyzer, whisper).orElseThrow().hops().stream().map(StanzaRoute.Hop::connection).toList(),
                    "the private message: to the room, then the room's copy to bob alone");
            assertInvitationReachedDave(analyzer, reason, List.of(c2s.get("carol"), cToRoom, roomToA, c2s.get("dave")));
            assertDeclineReachedCarol(analyzer, declined, List.of(c2s.get("dave"), aToRoom, roomToC, c2s.get("carol")));
            StanzaRoute both = awaitRoute(analyzer, toBoth, 10);
            assertCopiesSayWhomTheyAreFor(both, roomToA, c2s.get("alice"), c2s.get("dave"));
            assertErinGotItFromTheHistory(both, roomToA);
        }
    }

    /**
     * Alice's join, too, is one route: to the room, then the room's presence of her to every
     * occupant, herself first (the room was hers), then bob, carol, dave and erin as each joined after
     * her. Those four are the room telling each newcomer who is there: newcomer's copies, not copies
     * held since her join (they read "room copy, held" up to seconds).
     */
    private static void assertJoinReachedEveryone(Analyzer a, long aliceC2s) {
        StanzaSummary join = a.stanzas(new StanzaQuery("http://jabber.org/protocol/muc'", null, "presence", null, null, null,
                aliceC2s, null, null, null, 10)).items().stream().filter(s -> s.direction().equals("toServer")).findFirst()
                .orElseThrow();
        StanzaRoute route = a.route(join.ref()).orElseThrow(() -> new AssertionError("no route for alice's join " + join));
        assertEquals(Set.of("client:alice@a.example/laptop", "client:bob@b.example/phone", "client:carol@c.example/desk",
                        "client:dave@a.example/tablet", "client:erin@a.example/phone"),
                route.hops().stream().map(StanzaRoute.Hop::target).filter(t -> t.startsWith("client:"))
                        .collect(java.util.stream.Collectors.toSet()), route.toString());
        assertTrue(route.explanation().contains("the room sent 1 copy to its occupants"), route.explanation());
        assertTrue(route.explanation().contains("the room sent it 4 times to someone who joined later"), route.explanation());
        for (StanzaRoute.Hop hop : route.hops()) {
            if (StanzaRoute.Hop.TO_NEWCOMER.equals(hop.how())) {
                assertEquals(null, hop.heldNanos(), "a new delivery, not a hold: " + route);
            }
        }
    }

    /**
     * Carol's invitation of dave is one route: to the room, then the room's own message to dave
     * (another payload: a body and a {@code jabber:x:conference} element added), through a.example.
     */
    private static void assertInvitationReachedDave(Analyzer a, String reason, List<Long> links) {
        assertPassedOnByTheRoom(a, reason, links, StanzaRoute.Hop.ROOM_INVITATION, "the same invitation",
                "the room passed the invitation on to its invitee");
    }

    /**
     * Dave's decline is one route too: to the room, then the room's own message to carol (a body
     * added; who declined named by full JID), through c.example.
     */
    private static void assertDeclineReachedCarol(Analyzer a, String reason, List<Long> links) {
        assertPassedOnByTheRoom(a, reason, links, StanzaRoute.Hop.ROOM_DECLINE, "the same decline",
                "the room passed the decline on to the inviter");
        StanzaRoute route = routeOf(a, reason).orElseThrow();
        assertTrue(a.stanza(route.hops().get(0).stanzaRef()).orElseThrow().stanza().summary()
                .startsWith("normal: declines the invitation of carol@c.example"), "summarized as a decline");
    }

    /** The route of the message with {@code reason}: over {@code links}, the third hop where the room passed it on. */
    private static void assertPassedOnByTheRoom(Analyzer a, String reason, List<Long> links, String how, String... said) {
        StanzaRoute route = routeOf(a, reason).orElseThrow(() -> new AssertionError("no route for '" + reason + "'"));
        assertEquals(links, route.hops().stream().map(StanzaRoute.Hop::connection).toList(), route.toString());
        assertEquals(java.util.Arrays.asList(null, null, how, null),
                route.hops().stream().map(StanzaRoute.Hop::how).toList(), "passed on where it leaves the room: " + route);
        assertEquals(1.0, route.confidence(), route.explanation());
        for (String words : said) {
            assertTrue(route.explanation().contains(words), route.explanation());
        }
    }

    /**
     * The room's copies to alice and to dave cross the same link (to a.example): each says whom it is for,
     * and each is followed by its own delivery, so that the hops, numbered down the route's tree, count up.
     */
    private static void assertCopiesSayWhomTheyAreFor(StanzaRoute route, long roomToA, long aliceC2s, long daveC2s) {
        List<StanzaRoute.Hop> hops = route.hops();
        Map<String, Long> deliveryByCopy = new LinkedHashMap<>();
        for (int i = 0; i < hops.size(); i++) {
            StanzaRoute.Hop hop = hops.get(i);
            if (hop.connection() == roomToA && !StanzaRoute.Hop.FROM_HISTORY.equals(hop.how())) {
                assertEquals(StanzaRoute.Hop.ROOM_COPY, hop.how(), route.toString());
                StanzaRoute.Hop next = hops.get(i + 1);
                assertEquals(i, next.after(), "the copy's delivery follows it: " + route);
                deliveryByCopy.put(hop.to(), next.connection());
            }
        }
        assertEquals(Map.of("alice@a.example/laptop", aliceC2s, "dave@a.example/tablet", daveC2s), deliveryByCopy,
                route.toString());
        for (int i = 1; i < hops.size(); i++) {
            int parent = hops.get(i).after();
            for (int between = parent + 1; between < i; between++) {
                assertTrue(descends(hops, between, parent), "hop " + (i + 1) + " follows its branch's last: " + route);
            }
        }
    }

    /** The room's copy to erin, who joined after the message, is a new delivery out of its history, not a hold. */
    private static void assertErinGotItFromTheHistory(StanzaRoute route, long roomToA) {
        List<StanzaRoute.Hop> fromHistory = route.hops().stream()
                .filter(h -> StanzaRoute.Hop.FROM_HISTORY.equals(h.how())).toList();
        assertEquals(1, fromHistory.size(), route.toString());
        StanzaRoute.Hop copy = fromHistory.get(0);
        assertEquals(roomToA, copy.connection(), route.toString());
        assertEquals(null, copy.heldNanos(), "not held: sent anew when erin joined: " + route);
        assertTrue(copy.to().startsWith("erin@a.example/"), route.toString());
        StanzaRoute.Hop delivery = route.hops().get(route.hops().indexOf(copy) + 1);
        assertTrue(delivery.target().startsWith("client:erin@a.example/"), route.toString());
        assertTrue(route.explanation().contains("1 copy out of its history"), route.explanation());
    }

    private static boolean descends(List<StanzaRoute.Hop> hops, int hop, int ancestor) {
        for (Integer at = hop; at != null; at = hops.get(at).after()) {
            if (at == ancestor) {
                return true;
            }
        }
        return false;
    }

    private static void assertServiceOfB(GraphSnapshot g) {
        List<String> servers = g.nodes().stream().filter(n -> n.kind().equals("server")).map(GraphNode::id).sorted().toList();
        assertEquals(List.of("server:a.example", "server:b.example", "server:c.example"), servers,
                "three servers: the MUC service is not a fourth");
        GraphNode muc = g.nodes().stream().filter(n -> n.id().equals("server:conference.b.example")).findFirst().orElseThrow();
        assertEquals("component", muc.kind());
        assertEquals("server:b.example", muc.parent());
    }

    /**
     * The route of the message to the room: the hops {@code toRoom} on the way in, then every copy's
     * hops (in the order each copy took them; the copies may interleave), each hop held and in time order.
     */
    private static void assertRoute(Analyzer a, String body, List<Long> toRoom, Set<List<Long>> copies) {
        StanzaRoute route = routeOf(a, body).orElseThrow(() -> new AssertionError("no route for '" + body + "'"));
        List<Long> links = route.hops().stream().map(StanzaRoute.Hop::connection).toList();
        assertEquals(toRoom, links.subList(0, toRoom.size()), "'" + body + "' reached the room's server first: " + route);
        List<Long> rest = new ArrayList<>(links.subList(toRoom.size(), links.size()));
        for (List<Long> copy : copies) {
            int at = -1;
            for (long link : copy) {
                int i = rest.indexOf(link);
                assertTrue(i > at, "copy " + copy + " in order in " + route);
                at = i;
            }
        }
        assertEquals(copies.stream().mapToInt(List::size).sum(), rest.size(), "only the copies' hops: " + route);
        Set<String> refs = new HashSet<>();
        for (int i = 0; i < route.hops().size(); i++) {
            StanzaRoute.Hop hop = route.hops().get(i);
            assertTrue(a.stanza(hop.stanzaRef()).orElseThrow().xml().contains(body), "hop " + i + " carries the message");
            assertTrue(refs.add(hop.stanzaRef()), "each hop once: " + route);
            if (i > 0) {
                assertNotNull(hop.heldNanos(), route.toString());
                assertTrue(hop.heldNanos() >= 0, route.toString());
            }
        }
        assertEquals(1.0, route.confidence(), route.explanation());
        assertTrue(route.explanation().contains("the room sent 3 copies"), route.explanation());
    }

    private static ConnectionView only(List<ConnectionView> conns, String kind, String jid) {
        List<ConnectionView> found = conns.stream().filter(c -> kind.equals(c.kind()) && jid.equals(c.jid())).toList();
        assertEquals(1, found.size(), "exactly one " + kind + " " + jid + " among " + conns);
        return found.get(0);
    }
}
