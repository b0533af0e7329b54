package dev.xmppscope.analyzer.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.ModelEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityGraphTest {
    private final EntityGraph graph = new EntityGraph();
    private long connections;

    private void s2s(String from, String to) {
        graph.updateStream(new StreamEndpoints(++connections, "s2s", from, to, from + "→" + to, null), "established", null, 1, 100);
    }

    private void client(String jid) {
        graph.updateStream(new StreamEndpoints(++connections, "c2s", null, null, jid, null), "established", null, 1, 100);
    }

    private GraphNode node(String id) {
        return graph.snapshot().nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aDomainUnderAServersDomainIsThatServersService() {
        client("bob@b.example/phone");
        s2s("a.example", "conference.b.example");
        GraphNode muc = node("server:conference.b.example");
        assertEquals("component", muc.kind());
        assertEquals("server:b.example", muc.parent());
        assertEquals("server:b.example", graph.host("server:conference.b.example"));
        assertEquals("server:a.example", graph.host("server:a.example"));
        assertEquals("server", node("server:a.example").kind(), "a.example is no service of b.example");
    }

    @Test
    void aServiceSeenBeforeItsServerJoinsItWhenTheServerShowsUp() {
        s2s("a.example", "conference.b.example");
        assertEquals("server", node("server:conference.b.example").kind(), "nothing says whose it is yet");
        graph.drainChanges();
        s2s("a.example", "b.example");
        assertEquals("component", node("server:conference.b.example").kind());
        List<ModelEvent> changes = graph.drainChanges();
        assertTrue(changes.contains(new ModelEvent.NodeUpdated(node("server:conference.b.example"))),
                "the UI hears that it moved: " + changes);
    }

    @Test
    void theNearestServerHostsIt() {
        s2s("a.example", "b.example");
        s2s("a.example", "x.b.example");
        s2s("a.example", "conference.x.b.example");
        assertEquals("server:b.example", graph.host("server:x.b.example"));
        assertEquals("server:b.example", graph.host("server:conference.x.b.example"), "a service's service is the server's");
        assertEquals("server:b.example", node("server:conference.x.b.example").parent());
    }

    @Test
    void aDomainWithClientsOfItsOwnIsAServer() {
        client("bob@b.example/phone");
        client("dave@chat.b.example/tablet");
        assertEquals("server", node("server:chat.b.example").kind());
        s2s("a.example", "muc.b.example");
        assertEquals("component", node("server:muc.b.example").kind());
        client("eve@muc.b.example/desk"); // a client logs in: it was a virtual host after all
        GraphNode host = node("server:muc.b.example");
        assertEquals("server", host.kind());
        assertNull(host.parent());
        assertEquals("server:muc.b.example", graph.host("server:muc.b.example"));
    }

    @Test
    void addressLiteralsAreNotServices() {
        s2s("10.0.0.1", "0.0.1");
        s2s("10.0.0.1", "1.0.0.1");
        assertEquals("server", node("server:1.0.0.1").kind());
    }
}
