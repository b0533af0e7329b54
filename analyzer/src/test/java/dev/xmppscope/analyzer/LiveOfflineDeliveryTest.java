package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.xmppscope.analyzer.MessageRoutes.awaitRoute;

import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * Offline storage (XEP-0160) on two real Prosody servers through the recording proxy: bob is
 * offline while alice (on a.example) and carol (on his own server) write to him. When he logs in,
 * long after the window in which hops are matched (2 s here, instead of 30), b.example delivers
 * both messages out of its storage, and each becomes the last hop of its message's route.
 */
class LiveOfflineDeliveryTest {
    private static final long WINDOW_NANOS = 2_000_000_000L;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void aMessageToAnOfflineUserIsFollowedIntoTheirLaterLogin() throws Exception {
        String fromAlice = "while you were away " + UUID.randomUUID();
        String fromCarol = "same server, later " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob().user("b.example", "carol", "carol-pw"),
                tmp, WINDOW_NANOS)) {
            Analyzer analyzer = fed.analyzer;
            try (XmppClient alice = fed.login("a.example", "alice", "laptop");
                 XmppClient carol = fed.login("b.example", "carol", "desk")) {
                alice.send("bob@b.example", fromAlice);
                carol.send("bob@b.example", fromCarol);
                awaitRoute(analyzer, fromAlice, 2); // it reached b.example, which keeps it for bob
                Thread.sleep(2 * WINDOW_NANOS / 1_000_000);
                try (XmppClient bob = fed.login("b.example", "bob", "phone")) {
                    bob.awaitMessage(fromAlice, Duration.ofSeconds(20));
                    bob.awaitMessage(fromCarol, Duration.ofSeconds(20));
                }
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
            StanzaRoute federated = awaitRoute(analyzer, fromAlice, 3);
            assertEquals(List.of("server:a.example", "server:b.example", "client:bob@b.example/phone"),
                    federated.hops().stream().map(StanzaRoute.Hop::target).toList(), federated.toString());
            StanzaRoute.Hop delivery = federated.hops().get(2);
            assertEquals(1, delivery.after(), federated.toString());
            assertEquals(StanzaRoute.Hop.FROM_STORAGE, delivery.how(), federated.toString());
            assertTrue(delivery.heldNanos() >= 2 * WINDOW_NANOS, "held while bob was away: " + federated);
            assertTrue(federated.explanation().contains("kept in offline storage (XEP-0160)"), federated.explanation());

            StanzaRoute local = awaitRoute(analyzer, fromCarol, 2);
            assertEquals(List.of("server:b.example", "client:bob@b.example/phone"),
                    local.hops().stream().map(StanzaRoute.Hop::target).toList(), local.toString());
            assertTrue(local.hops().get(1).heldNanos() >= 2 * WINDOW_NANOS, local.toString());
        }
    }

    /**
     * An invitation through a room (XEP-0045 §7.8.2) to someone offline: the room's message passing
     * it on waits in the storage of the invitee's server, whether that is another (dave, on
     * a.example: the room's message crosses s2s first) or the room's own (bob, on b.example: it is
     * first seen when b.example delivers it).
     */
    @Test
    void anInvitationToSomeoneOfflineIsFollowedIntoTheirLaterLogin() throws Exception {
        String toBob = "bob, join us " + UUID.randomUUID();
        String toDave = "dave, join us " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob().user("a.example", "dave", "dave-pw")
                .configure((domain, cfg) -> {
                    if (domain.equals("b.example")) {
                        cfg.muc("conference.b.example");
                    }
                }), tmp, WINDOW_NANOS)) {
            Analyzer analyzer = fed.analyzer;
            try (XmppClient alice = fed.login("a.example", "alice", "laptop")) {
                MultiUserChat room = MultiUserChatManager.getInstanceFor(alice.connection())
                        .getMultiUserChat(JidCreate.entityBareFrom("lounge@conference.b.example"));
                room.create(Resourcepart.from("alice")).makeInstant();
                room.invite(JidCreate.entityBareFrom("bob@b.example"), toBob);
                room.invite(JidCreate.entityBareFrom("dave@a.example"), toDave);
                awaitRoute(analyzer, toDave, 3); // the room passed it on to a.example, which keeps it for dave
                Thread.sleep(2 * WINDOW_NANOS / 1_000_000);
                try (XmppClient bob = fed.login("b.example", "bob", "phone");
                     XmppClient dave = fed.login("a.example", "dave", "tablet")) {
                    bob.awaitMessage(m -> m.getBody() != null && m.getBody().contains(toBob), "bob's invitation",
                            Duration.ofSeconds(20));
                    dave.awaitMessage(m -> m.getBody() != null && m.getBody().contains(toDave), "dave's invitation",
                            Duration.ofSeconds(20));
                }
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
            StanzaRoute toOther = awaitRoute(analyzer, toDave, 4);
            assertEquals(List.of("server:a.example", "server:conference.b.example", "server:a.example",
                    "client:dave@a.example/tablet"), toOther.hops().stream().map(StanzaRoute.Hop::target).toList(),
                    toOther.toString());
            assertEquals(java.util.Arrays.asList(null, null, StanzaRoute.Hop.ROOM_INVITATION, StanzaRoute.Hop.FROM_STORAGE),
                    toOther.hops().stream().map(StanzaRoute.Hop::how).toList(), toOther.toString());
            assertTrue(toOther.hops().get(3).heldNanos() >= 2 * WINDOW_NANOS, "held while dave was away: " + toOther);

            StanzaRoute toOwn = awaitRoute(analyzer, toBob, 3);
            assertEquals(List.of("server:a.example", "server:conference.b.example", "client:bob@b.example/phone"),
                    toOwn.hops().stream().map(StanzaRoute.Hop::target).toList(), toOwn.toString());
            assertEquals(StanzaRoute.Hop.FROM_STORAGE, toOwn.hops().get(2).how(), toOwn.toString());
            assertTrue(toOwn.explanation().contains("the room passed the invitation on to its invitee")
                    && toOwn.explanation().contains("kept in offline storage (XEP-0160)"), toOwn.explanation());
        }
    }
}
