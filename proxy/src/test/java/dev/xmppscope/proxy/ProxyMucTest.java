package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.ConnectionRecord;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** A password-protected MUC room on a real Prosody, set up and joined by Smack clients through the proxy. */
class ProxyMucTest {
    private static final String ROOM_SECRET = "room-secret-" + UUID.randomUUID();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void aRoomPasswordIsMaskedWhereverItCrossesTheProxy() throws Exception {
        String body = "room hello " + UUID.randomUUID();
        try (Federation fed = Federation.builder("a.example").user("a.example", "alice", "alice-pw")
                .user("a.example", "bob", "bob-pw").configure((domain, cfg) -> cfg.muc("conference." + domain))
                .start(tmp.resolve("servers"));
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.PASSTHROUGH, true, false)) {
            EntityBareJid room = JidCreate.entityBareFrom("locked@conference.a.example");
            try (XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).login("alice", "alice-pw");
                 XmppClient bob = XmppClient.options("a.example", fed.relayC2s("a.example")).login("bob", "bob-pw")) {
                // the owner sets the secret in the room's configuration form, which the server then echoes back to her
                MultiUserChat owned = MultiUserChatManager.getInstanceFor(alice.connection()).getMultiUserChat(room);
                owned.create(Resourcepart.from("alice")).getConfigFormManager().setRoomSecret(ROOM_SECRET)
                        .submitConfigurationForm();
                owned.getConfigurationForm(); // the form as the server now holds it, secret included
                MultiUserChat joined = MultiUserChatManager.getInstanceFor(bob.connection()).getMultiUserChat(room);
                BlockingQueue<String> heard = new ArrayBlockingQueue<>(16);
                joined.addMessageListener(m -> {
                    if (m.getBody() != null) { // not the subject
                        heard.offer(m.getBody());
                    }
                });
                joined.join(Resourcepart.from("bob"), ROOM_SECRET); // the secret in the joining presence
                owned.sendMessage(body);
                assertEquals(body, heard.poll(20, TimeUnit.SECONDS), "bob, admitted with the secret, hears the room");
            }
            RecordingProxy.Capture c = proxy.awaitCapture(cap -> cap.connections.size() == 2
                    && cap.connections.stream().allMatch(r -> r.closed() != null), "two closed connections");
            for (ConnectionRecord r : c.connections) {
                String both = c.text(r.id(), Direction.TO_SERVER, TlsLayer.PLAIN) + c.text(r.id(), Direction.TO_CLIENT, TlsLayer.PLAIN);
                assertFalse(both.contains(ROOM_SECRET), "room secret in clear on connection " + r.id() + ": " + both);
                assertTrue(c.events(r.id(), EventKind.SECRET_REDACTED).stream().anyMatch(e -> e.detail().contains("MUC")),
                        "said on connection " + r.id() + ": " + c.events(r.id(), EventKind.SECRET_REDACTED));
            }
        }
    }
}
