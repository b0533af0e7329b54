package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct TLS (XEP-0368) passed through: nothing inside TLS is readable, no stream header says
 * what a connection is. Its ClientHello (ALPN, SNI) and its port still say it, as plainly as a
 * person reading them would conclude: the clients' streams are c2s to their server, the servers'
 * s2s to the server they ask for, drawn so, and said to be inferred.
 */
class LivePassthroughDirectTlsTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void directTlsPassedThroughIsReadAsC2sAndS2sFromItsClientHelloAndPort() throws Exception {
        String body = "inside TLS " + UUID.randomUUID();
        try (Federation fed = Federation.aliceAndBob().s2sDirectTls(true).start(tmp.resolve("servers"));
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.PASSTHROUGH, true, false);
             Analyzer analyzer = Analyzer.open(proxy.store())) {
            proxy.recorder().addListener(analyzer);
            try (XmppClient bob = XmppClient.options("b.example", fed.relayDirectTls("b.example"))
                    .directTls(fed.server("b.example").certificate().trustManager()).login("bob", "bob-pw");
                 XmppClient alice = XmppClient.options("a.example", fed.relayDirectTls("a.example"))
                         .directTls(fed.server("a.example").certificate().trustManager()).login("alice", "alice-pw")) {
                alice.send(bob.jid().toString(), body);
                bob.awaitMessage(body, Duration.ofSeconds(20));
            }
            List<ConnectionView> all = awaitAll(analyzer, 4);
            GraphSnapshot graph = analyzer.graph();
            for (String domain : List.of("a.example", "b.example")) {
                ConnectionView c2s = one(all, "c2s", domain);
                assertEquals("direct-tls-passthrough", c2s.tls());
                assertEquals("it went to port 5223, XEP-0368's Direct TLS port for clients, and its SNI names " + domain,
                        c2s.kindInferred(), "Smack sends SNI, no ALPN");
                assertEquals("server:" + domain, edgeOf(graph, c2s).target(), "drawn as a client of " + domain);
                ConnectionView s2s = one(all, "s2s", domain);
                assertEquals("its ClientHello offers xmpp-server (ALPN), and its SNI names " + domain, s2s.kindInferred());
                GraphEdge edge = edgeOf(graph, s2s);
                assertEquals("server:" + domain, edge.target(), "drawn as a stream to " + domain);
                assertEquals("server", graph.nodes().stream().filter(n -> n.id().equals(edge.source())).findFirst().orElseThrow().kind(),
                        "from a server, whose name is inside TLS");
                assertEquals("Read as an s2s stream to " + domain + ": its ClientHello offers xmpp-server (ALPN), and its SNI names "
                        + domain, analyzer.negotiation(s2s.id()).stream().filter(s -> s.step().equals("tls-inferred")).findFirst()
                        .orElseThrow().title());
            }
        }
    }

    private static ConnectionView one(List<ConnectionView> all, String kind, String domain) {
        List<ConnectionView> found = all.stream().filter(c -> kind.equals(c.kind()) && domain.equals(c.streamTo())).toList();
        assertEquals(1, found.size(), kind + " to " + domain + " in " + all);
        return found.get(0);
    }

    private static GraphEdge edgeOf(GraphSnapshot graph, ConnectionView c) {
        return graph.edges().stream().filter(e -> e.connections().contains(c.id())).findFirst()
                .orElseThrow(() -> new AssertionError("connection " + c.id() + " is not drawn: " + graph));
    }

    /** The analysis's connections once it shows {@code n} that are not unknown (within 20 s), else all it shows. */
    private static List<ConnectionView> awaitAll(Analyzer analyzer, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && analyzer.connections().stream().filter(c -> !c.kind().equals("unknown")).count() < n) {
            Thread.sleep(100);
        }
        return analyzer.connections();
    }
}
