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
        graph.updateStream(new StreamEndpoints(++connections, "s2s", from, to, from + "→" + to, null), "established", null, null, 1, 100);
    }

    private void client(String jid) {
        graph.updateStream(new StreamEndpoints(++connections, "c2s", null, null, jid, null), "established", null, null, 1, 100);
    }

    /**
     * A stream's warning is on its edge, as its error is: the graph (and the live socket, through
     * the edge's update) says what may have gone wrong on the link, not only the connection.
     */
    @Test
    void aStreamsWarningIsOnItsEdgeAndItsChangeIsAnUpdate() {
        StreamEndpoints s = new StreamEndpoints(1, "c2s", null, null, "alice@a.example/laptop", null);
        graph.updateStream(s, "established", null, null, 3, 300);
        graph.drainChanges();
        String warning = "SASL PLAIN without TLS: the credentials crossed the network readable";
        graph.updateStream(s, "established", null, warning, 3, 300);
        var edge = graph.snapshot().edges().get(0);
        assertEquals(warning, edge.warning());
        assertEquals(List.of(new ModelEvent.EdgeUpdated(edge)), graph.drainChanges());
    }

    private GraphNode node(String id) {
        return graph.snapshot().nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    /**
     * A client asking a.example's server for nobody.example gets host-unknown: no server of that
     * name exists, so none is drawn; the stream goes under the server at the address it reached,
     * once a client that binds there says which server that is.
     */
    @Test
    void aStreamWhoseDomainWasRefusedGoesUnderTheServerAtItsAddress() {
        String at = "127.0.0.2:5222";
        graph.updateStream(new StreamEndpoints(1, "c2s", null, "nobody.example", null, "127.0.0.1:40000", at, false), "negotiating",
                null, null, 1, 100);
        assertTrue(graph.snapshot().nodes().stream().anyMatch(n -> n.id().equals("server:nobody.example")), "as far as it knows yet");
        graph.updateStream(new StreamEndpoints(1, "c2s", null, "nobody.example", null, "127.0.0.1:40000", at, true), "error",
                "host-unknown", null, 2, 200);
        assertEquals(List.of(), graph.snapshot().nodes(), "no server of that name, and its stream waits");
        graph.updateStream(new StreamEndpoints(2, "c2s", null, "a.example", "alice@a.example/laptop", "127.0.0.1:40001", at, false),
                "established", null, null, 1, 100);
        var edge = graph.snapshot().edges().stream().filter(e -> e.id().equals("c2s:1")).findFirst().orElseThrow();
        assertEquals("server:a.example", edge.target());
        assertEquals("host-unknown", edge.error());
        assertEquals(List.of("client:alice@a.example/laptop", "client:conn-1", "server:a.example"),
                graph.snapshot().nodes().stream().map(GraphNode::id).sorted().toList());
    }

    /**
     * The same between servers: a.example asked for x.example at b.example's address, which refused
     * it; once a stream authenticated there says b.example is there, the refused stream goes to it.
     */
    @Test
    void anS2sStreamWhoseDomainWasRefusedGoesToTheServerAtItsAddress() {
        String at = "127.0.0.3:5269";
        graph.updateStream(new StreamEndpoints(1, "s2s", "a.example", "x.example", null, "127.0.0.1:40000", at, false),
                "negotiating", null, null, 1, 100);
        graph.updateStream(new StreamEndpoints(1, "s2s", "a.example", "x.example", null, "127.0.0.1:40000", at, true), "error",
                "host-unknown", null, 2, 200);
        assertEquals(List.of("server:a.example"), graph.snapshot().nodes().stream().map(GraphNode::id).toList(),
                "no server x.example, and the stream waits");
        graph.updateStream(new StreamEndpoints(2, "s2s", "c.example", "b.example", "c.example→b.example", "127.0.0.1:40001", at,
                false), "established", null, null, 5, 500);
        var edge = graph.snapshot().edges().stream().filter(e -> e.id().equals("s2s:1")).findFirst().orElseThrow();
        assertEquals("server:a.example→server:b.example", edge.source() + "→" + edge.target());
        assertEquals("host-unknown", edge.error());
        assertEquals(List.of("server:a.example", "server:b.example", "server:c.example"),
                graph.snapshot().nodes().stream().map(GraphNode::id).sorted().toList());
    }

    /**
     * Nothing in an external component's stream (XEP-0114) names the server it connects to, and its
     * name need not be under that server's: it is drawn beside the server the capture shows at the
     * address it reached, never beside a server made up from its name (bridge.example is not example's).
     */
    @Test
    void aComponentIsBesideTheServerAtTheAddressItConnectedTo() {
        graph.updateStream(new StreamEndpoints(1, "c2s", null, "a.example", "alice@a.example/laptop", "127.0.0.1:40000",
                "127.0.0.2:5222", false), "established", null, null, 1, 100);
        graph.updateStream(new StreamEndpoints(2, "component", null, "bridge.example", null, "127.0.0.1:40001", "127.0.0.2:5347",
                false), "established", null, null, 1, 100);
        assertEquals("server:a.example", node("server:bridge.example").parent());
        var edge = graph.snapshot().edges().stream().filter(e -> e.id().equals("component:2")).findFirst().orElseThrow();
        assertEquals("server:bridge.example→server:a.example", edge.source() + "→" + edge.target());
        assertEquals(List.of("client:alice@a.example/laptop", "server:a.example", "server:bridge.example"),
                graph.snapshot().nodes().stream().map(GraphNode::id).sorted().toList());
    }

    /**
     * A component whose server the capture has not shown yet is beside a stand-in for the server at
     * its address; once a client binds there, it moves beside that server and the stand-in goes.
     */
    @Test
    void aComponentMovesFromAStandInToItsServerOnceTheCaptureShowsIt() {
        StreamEndpoints component = new StreamEndpoints(1, "component", null, "bridge.a.example", null, "127.0.0.1:40001",
                "127.0.0.2:5347", false);
        graph.updateStream(component, "established", null, null, 1, 100);
        GraphNode standIn = node(node("server:bridge.a.example").parent());
        assertEquals("unnamed server 127.0.0.2:5347", standIn.label());
        assertTrue(graph.snapshot().nodes().stream().noneMatch(n -> n.id().equals("server:a.example")), "not seen: not drawn");
        graph.updateStream(new StreamEndpoints(2, "c2s", null, "a.example", "alice@a.example/laptop", "127.0.0.1:40000",
                "127.0.0.2:5222", false), "established", null, null, 1, 100);
        assertEquals("server:a.example", node("server:bridge.a.example").parent());
        var edge = graph.snapshot().edges().stream().filter(e -> e.id().equals("component:1")).findFirst().orElseThrow();
        assertEquals("server:a.example", edge.target());
        assertEquals(List.of("client:alice@a.example/laptop", "server:a.example", "server:bridge.a.example"),
                graph.snapshot().nodes().stream().map(GraphNode::id).sorted().toList(), "the stand-in is gone");
        graph.updateStream(component, "closed", null, null, 3, 300);
        assertEquals("server:a.example", node("server:bridge.a.example").parent(), "and stays there as its stream goes on");
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
    void aRoomServiceIsAComponentWithOrWithoutItsServerAndAServerOnceAClientLogsInToIt() {
        graph.roomService("conference.b.example"); // a room's presence came before any stream to it
        s2s("a.example", "conference.b.example");
        assertEquals("component", node("server:conference.b.example").kind(), "a room service, whoever hosts it");
        assertNull(node("server:conference.b.example").parent(), "no server of the capture hosts it");
        s2s("a.example", "b.example");
        assertEquals("server:b.example", node("server:conference.b.example").parent(), "its server showed up");

        s2s("a.example", "rooms.c.example");
        graph.drainChanges();
        graph.roomService("rooms.c.example");
        assertEquals("component", node("server:rooms.c.example").kind());
        assertEquals(List.of(new ModelEvent.NodeUpdated(node("server:rooms.c.example"))), graph.drainChanges());
        client("eve@rooms.c.example/desk");
        assertEquals("server", node("server:rooms.c.example").kind(), "a client logs in: a server of its own after all");
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
