package dev.xmppscope.samples;

import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.TestCertificates;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * Records {@code federation.xscap}: three servers (a.example, b.example, c.example), four users
 * chatting across them, a presence subscription, IQ pings across servers, a chat room
 * on b.example's MUC service with an occupant on every server, a message kept in offline
 * storage until its addressee logs in again, an invitation back to the room through it, declined,
 * and message carbons to a user's second client. Run by {@code samples/record.sh}, not by the test
 * suite.
 */
class RecordFederationSample {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void record() throws Exception {
        Federation.Builder servers = Federation.builder("a.example", "b.example", "c.example")
                .user("a.example", "alice", "alice-secret").user("a.example", "dave", "dave-secret")
                .user("b.example", "bob", "bob-secret").user("c.example", "carol", "carol-secret")
                .configure((domain, cfg) -> {
                    if (domain.equals("a.example")) {
                        cfg.modules("carbons");
                    }
                    if (domain.equals("b.example")) {
                        cfg.muc("conference.b.example");
                    }
                });
        try (SampleRecording rec = new SampleRecording("federation", tmp, servers)) {
            Federation fed = rec.federation;
            X509TrustManager trust = TestCertificates.trustManager(rec.proxy.ca().certificate());
            try (XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).startTls(trust).resource("laptop")
                    .login("alice", "alice-secret");
                 XmppClient bob = XmppClient.options("b.example", fed.relayC2s("b.example")).startTls(trust).resource("phone")
                         .login("bob", "bob-secret");
                 XmppClient carol = XmppClient.options("c.example", fed.relayC2s("c.example")).startTls(trust).resource("desk")
                         .login("carol", "carol-secret");
                 XmppClient dave = XmppClient.options("a.example", fed.relayC2s("a.example")).startTls(trust).resource("tablet")
                         .login("dave", "dave-secret")) {
                // a message across a.example → b.example, and the answer back (two s2s streams, dialback both ways)
                alice.send("bob@b.example", "Hi Bob! Alice here, writing from a.example.");
                bob.awaitMessage("Hi Bob! Alice here, writing from a.example.", WAIT);
                bob.send(alice.jid().toString(), "Hello Alice, Bob on b.example: your message crossed two servers.");
                alice.awaitMessage("Hello Alice, Bob on b.example: your message crossed two servers.", WAIT);

                // a presence subscription: alice asks, bob's client accepts, presence flows across s2s
                Roster.getInstanceFor(bob.connection()).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
                Roster aliceRoster = Roster.getInstanceFor(alice.connection());
                aliceRoster.createItemAndRequestSubscription(JidCreate.bareFrom("bob@b.example"), "Bob", null);
                Thread.sleep(1_500);
                bob.connection().sendStanza(PresenceBuilder.buildPresence().ofType(Presence.Type.available)
                        .setMode(Presence.Mode.away).setStatus("Out for lunch").build());

                // carol on c.example joins in; dave stays on a.example (c2s to c2s, no s2s)
                carol.send("alice@a.example", "Carol from c.example: count me in!");
                alice.awaitMessage("Carol from c.example: count me in!", WAIT);
                alice.send(dave.jid().toString(), "Dave, Carol and Bob are on other servers; you are on mine.");
                dave.awaitMessage("Dave, Carol and Bob are on other servers; you are on mine.", WAIT);
                dave.send("carol@c.example", "Hi Carol, Dave from a.example.");
                carol.awaitMessage("Hi Carol, Dave from a.example.", WAIT);

                // IQ pings: a server across s2s, and a client across s2s (its client answers)
                PingManager.getInstanceFor(alice.connection()).ping(JidCreate.from("c.example"));
                PingManager.getInstanceFor(carol.connection()).ping(bob.jid());
                bob.send("carol@c.example", "Carol, I'm back.");
                carol.awaitMessage("Carol, I'm back.", WAIT);

                // a chat room (XEP-0045) on b.example's MUC service: one message in, a copy out to each occupant
                EntityBareJid lounge = JidCreate.entityBareFrom("lounge@conference.b.example");
                room(bob, lounge).create(Resourcepart.from("bob")).makeInstant();
                for (XmppClient occupant : List.of(alice, carol, dave)) {
                    room(occupant, lounge).join(Resourcepart.from(occupant.jid().getLocalpart().toString()));
                }
                String hello = "Hello room! One message from me, and the room sends each of you a copy.";
                room(alice, lounge).sendMessage(hello);
                for (XmppClient occupant : List.of(alice, bob, carol, dave)) {
                    occupant.awaitMessage(hello, WAIT);
                }

                // offline storage (XEP-0160): carol logs out, bob writes to her, c.example keeps it until she is back
                carol.close();
                Thread.sleep(1_000);
                String waiting = "Carol, this waits on c.example until you are back.";
                bob.send("carol@c.example", waiting);
                Thread.sleep(3_000);
                try (XmppClient carolAgain = XmppClient.options("c.example", fed.relayC2s("c.example")).startTls(trust)
                        .resource("desk").login("carol", "carol-secret")) {
                    carolAgain.awaitMessage(waiting, WAIT);
                    Thread.sleep(500);

                    // a mediated invitation (XEP-0045 §7.8.2): bob asks carol back through the room, which
                    // passes it on as a message of its own; she declines, and the room passes that on to bob
                    String invitation = "Carol, the lounge misses you: come back?";
                    room(bob, lounge).invite(JidCreate.entityBareFrom("carol@c.example"), invitation);
                    carolAgain.awaitMessage(m -> m.getBody() != null && m.getBody().contains(invitation), "the invitation",
                            WAIT);
                    String decline = "Not now, catching up on my messages.";
                    MultiUserChatManager.getInstanceFor(carolAgain.connection()).decline(lounge,
                            JidCreate.entityBareFrom("bob@b.example"), decline);
                    bob.awaitMessage(m -> m.getBody() != null && m.getBody().contains(decline), "the decline", WAIT);
                    Thread.sleep(500);
                }

                // message carbons (XEP-0280): alice's tablet comes online, and each of her clients gets a
                // copy of what the other receives and sends
                try (XmppClient aliceTablet = XmppClient.options("a.example", fed.relayC2s("a.example")).startTls(trust)
                        .resource("tablet").login("alice", "alice-secret").enableCarbons()) {
                    alice.enableCarbons();
                    String toLaptop = "Alice, are you on your tablet too?";
                    bob.send(alice.jid().toString(), toLaptop);
                    alice.awaitMessage(toLaptop, WAIT);
                    aliceTablet.awaitMessage(m -> m.toXML().toString().contains(toLaptop), "the carbon of bob's message", WAIT);
                    String fromTablet = "Yes: both my clients see this conversation.";
                    aliceTablet.send(bob.jid().toString(), fromTablet);
                    bob.awaitMessage(fromTablet, WAIT);
                    alice.awaitMessage(m -> m.toXML().toString().contains(fromTablet), "the carbon of her reply", WAIT);
                    Thread.sleep(500);
                }
            }
            rec.finish("A federation of three servers",
                    "Three Prosody servers federate (s2s with dialback), four users chat across them, a presence "
                            + "subscription crosses servers, IQ pings cross s2s and get answered, a message to a chat "
                            + "room reaches its occupants on all three servers, a message to a user who logged out "
                            + "waits on her server until she is back, she declines an invitation back to the room, "
                            + "and message carbons copy a conversation to a second client.");
        }
    }

    /** The client's handle on the room (Smack keeps one per connection and room). */
    private static MultiUserChat room(XmppClient client, EntityBareJid room) {
        return MultiUserChatManager.getInstanceFor(client.connection()).getMultiUserChat(room);
    }
}
