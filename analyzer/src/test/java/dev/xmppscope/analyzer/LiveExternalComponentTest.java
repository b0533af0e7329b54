package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.SlixmppComponent;
import dev.xmppscope.testing.XmppClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real external component (XEP-0114, slixmpp's ComponentXMPP) named bridge.example, which is no
 * subdomain of a.example, connects to a.example's Prosody through the recording proxy before anyone
 * logs in there. Its stream names no server: the graph draws it beside a stand-in for the server at
 * the address it reached, never beside a server "example" made up from its name; once alice logs
 * in at that address, beside a.example. Her message to it and its answer are followed through
 * a.example, hop by hop.
 */
class LiveExternalComponentTest {
    private static final String COMPONENT = "bridge.example";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void aComponentIsDrawnBesideTheServerAtItsAddressAndItsMessagesAreFollowedThroughIt() throws Exception {
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.builder("a.example")
                .user("a.example", "alice", "alice-pw").externalComponent("a.example", COMPONENT, "bridge-secret"), tmp);
             SlixmppComponent bridge = SlixmppComponent.start(tmp.resolve("component"), COMPONENT, "bridge-secret",
                     new InetSocketAddress(fed.servers.relayAddress("a.example"), Federation.COMPONENT))) {
            bridge.awaitSession(Duration.ofSeconds(20));
            fed.awaitConnection(c -> c.kind().equals("component") && "established".equals(c.state()), "the component's stream");
            String standIn = component(fed).parent();
            assertTrue(label(fed, standIn).startsWith("unnamed server "), fed.analyzer.graph().toString());
            assertTrue(fed.analyzer.graph().nodes().stream().noneMatch(n -> n.label().equals("example")),
                    "no server made up from the component's name: " + fed.analyzer.graph());

            String ping = pingPong(fed, bridge, "a.example", "alice", "laptop", COMPONENT);

            StanzaRoute pong = MessageRoutes.awaitRoute(fed.analyzer, "pong: " + ping, 2);
            assertEquals(List.of("server:" + COMPONENT + "→server:a.example", "server:a.example→client:alice@a.example/laptop"),
                    hops(pong));
            StanzaRoute sent = MessageRoutes.awaitRoute(fed.analyzer, ping, 2);
            assertEquals(List.of("client:alice@a.example/laptop→server:a.example", "server:a.example→server:" + COMPONENT),
                    hops(sent));
            GraphSnapshot graph = fed.analyzer.graph();
            assertEquals("server:a.example", component(fed).parent(), graph.toString());
            assertTrue(graph.nodes().stream().noneMatch(n -> n.id().equals(standIn)), "the stand-in is gone: " + graph);
            assertTrue(graph.edges().stream().anyMatch(e -> e.source().equals("server:" + COMPONENT)
                    && e.target().equals("server:a.example")), graph.toString());
        }
    }

    /**
     * An external component federates under its own name: bob on b.example writes to irc.a.example,
     * b.example opens s2s streams with irc.a.example (a.example's Prosody answers for it), and the
     * component's stream goes to a.example. One node, irc.a.example, a component of a.example, has
     * both; his message and the component's answer are followed across all three links.
     */
    @Test
    void aComponentOtherServersFederateWithIsOneNodeAndItsMessagesCrossItsServer() throws Exception {
        String irc = "irc.a.example";
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob()
                .externalComponent("a.example", irc, "bridge-secret"), tmp);
             SlixmppComponent bridge = SlixmppComponent.start(tmp.resolve("component"), irc, "bridge-secret",
                     new InetSocketAddress(fed.servers.relayAddress("a.example"), Federation.COMPONENT))) {
            bridge.awaitSession(Duration.ofSeconds(20));
            fed.messageAcross("alice and bob " + UUID.randomUUID()); // a.example's address is named by alice's login
            String ping = pingPong(fed, bridge, "b.example", "bob", "phone", irc);

            StanzaRoute sent = MessageRoutes.awaitRoute(fed.analyzer, ping, 3);
            assertEquals(List.of("client:bob@b.example/phone→server:b.example", "server:b.example→server:" + irc,
                    "server:a.example→server:" + irc), hops(sent));
            StanzaRoute pong = MessageRoutes.awaitRoute(fed.analyzer, "pong: " + ping, 3);
            assertEquals(List.of("server:" + irc + "→server:a.example", "server:" + irc + "→server:b.example",
                    "server:b.example→client:bob@b.example/phone"), hops(pong));
            GraphSnapshot graph = fed.analyzer.graph();
            List<GraphNode> named = graph.nodes().stream().filter(n -> n.label().equals(irc)).toList();
            assertEquals(1, named.size(), graph.toString());
            assertEquals("component", named.get(0).kind());
            assertEquals("server:a.example", named.get(0).parent());
        }
    }

    /** USER logs in, sends the component a fresh "ping ..." and gets its "pong: ping ..."; returns the ping. */
    private static String pingPong(AnalyzedFederation fed, SlixmppComponent component, String domain, String user,
                                   String resource, String componentDomain) throws InterruptedException {
        String ping = "ping " + UUID.randomUUID();
        try (XmppClient client = fed.login(domain, user, resource)) {
            client.send(componentDomain, ping);
            client.awaitMessage("pong: " + ping, Duration.ofSeconds(20));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\ncomponent: " + component.output(), fed.withDiagnostics(e));
        }
        component.awaitAnswered(Duration.ofSeconds(20));
        return ping;
    }

    private static List<String> hops(StanzaRoute route) {
        return route.hops().stream().map(h -> h.source() + "→" + h.target()).toList();
    }

    private static GraphNode component(AnalyzedFederation fed) {
        return fed.analyzer.graph().nodes().stream().filter(n -> n.id().equals("server:" + COMPONENT)).findFirst()
                .orElseThrow(() -> new AssertionError("the component is not drawn: " + fed.analyzer.graph()));
    }

    private static String label(AnalyzedFederation fed, String id) {
        return fed.analyzer.graph().nodes().stream().filter(n -> n.id().equals(id)).findFirst().map(GraphNode::label)
                .orElseThrow(() -> new AssertionError("no node " + id + ": " + fed.analyzer.graph()));
    }
}
