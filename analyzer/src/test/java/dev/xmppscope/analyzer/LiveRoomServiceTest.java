package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * alice on a.example talks in a room on b.example's MUC service (conference.b.example, a component
 * of b.example's Prosody), every link through a recording proxy, and nobody on b.example itself:
 * the capture never names b.example, only the service, which federates under its own name. The
 * room's presences show it is a chat-room service: a component, not a server of its own, in the
 * graph and in its Graphviz export.
 */
class LiveRoomServiceTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void aRoomServiceWhoseServerTheCaptureNeverNamesIsAComponent() throws Exception {
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.builder("a.example", "b.example")
                .user("a.example", "alice", "alice-pw").configure((domain, cfg) -> {
                    if (domain.equals("b.example")) {
                        cfg.muc("conference.b.example");
                    }
                }), tmp)) {
            String body = "in the room " + UUID.randomUUID();
            try (XmppClient alice = fed.login("a.example", "alice", "laptop")) {
                MultiUserChat room = MultiUserChatManager.getInstanceFor(alice.connection())
                        .getMultiUserChat(JidCreate.entityBareFrom("lounge@conference.b.example"));
                room.create(Resourcepart.from("alice")).makeInstant();
                room.sendMessage(body);
                alice.awaitMessage(m -> body.equals(m.getBody()), "the room's copy of " + body, Duration.ofSeconds(20));
            }
            // the analysis follows the recording: once it holds the room's copy back to alice, it has the presences before it
            MessageRoutes.awaitRoute(fed.analyzer, body, 4);
            GraphNode service = fed.analyzer.graph().nodes().stream().filter(n -> n.label().equals("conference.b.example"))
                    .findFirst().orElseThrow(() -> new AssertionError("not drawn: " + fed.analyzer.graph()));
            assertEquals("component", service.kind(), fed.analyzer.graph().toString());
            assertNull(service.parent(), "the server hosting it is not in the capture");
            assertTrue(fed.analyzer.graph().nodes().stream().noneMatch(n -> n.label().equals("b.example")), "nothing names b.example");
            Path dot = tmp.resolve("mesh.dot");
            GraphExport.write(fed.analyzer, dot);
            assertTrue(Files.readString(dot).lines().anyMatch(l -> l.contains("\"server:conference.b.example\"")
                    && l.contains("\"kind\"=\"component\"")), Files.readString(dot));
        }
    }
}
