package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federation that fails, on real Prosody servers through the recording proxy: what a developer
 * debugging it reads on the failed s2s stream.
 */
class LiveS2sErrorsTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    /**
     * Both servers want certificates they trust ({@code s2s_secure_auth}), but the intercepting
     * proxy presents its own, from a CA they do not trust: b.example refuses a.example's stream,
     * saying why in its own words, and a.example then refuses b.example's certificate too. The
     * stream's error is b.example's refusal, the first, with those words, and with whose certificate
     * it refused and what to do about it.
     */
    @Test
    void aRefusedCertificateIsTheStreamsErrorInTheServersOwnWords() throws Exception {
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.builder("a.example", "b.example")
                .user("a.example", "alice", "alice-pw").configure((domain, config) -> config.s2sSecureAuth(true)), tmp)) {
            Analyzer analyzer = fed.analyzer;
            try (XmppClient alice = fed.login("a.example", "alice", "laptop")) {
                alice.send("bob@b.example", "through a proxy b.example does not trust");
                ConnectionView aToB = fed.awaitConnection(c -> "s2s".equals(c.kind()) && "a.example".equals(c.streamFrom())
                        && c.closedAt() != null, "a.example's stream to b.example closed");
                String refusal = "b.example ends the stream with error not-authorized (the peer is not authorized: it sent"
                        + " something before authenticating, or its authentication, a certificate or a dialback key, was refused):"
                        + " \"Your server's certificate is not trusted\". The certificate b.example refused is xmppscope's"
                        + " stand-in for a.example, from xmppscope's CA (a.example's own cannot pass an intercepting proxy):"
                        + " make b.example trust that CA (xmppscope ca --export), let dialback authenticate instead (Prosody:"
                        + " s2s_secure_auth = false), or relay this link with --tls passthrough";
                assertEquals(refusal, aToB.error());
                assertEquals("error", aToB.state());
                List<String> errors = analyzer.negotiation(aToB.id()).stream().filter(s -> s.step().equals("stream-error"))
                        .map(NegotiationStep::title).toList();
                assertEquals(refusal, errors.get(0), errors.toString());
                assertTrue(errors.size() == 1 || errors.get(1).startsWith("a.example ends the stream with error not-authorized"),
                        errors.toString());
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
        }
    }

    /**
     * a.example federates with b.example, then looks for a chat room service b.example does not
     * host (DNS sends conference.b.example there): b.example answers host-unknown. The graph shows
     * no server (or service) of that name, which does not exist, but the failed stream from
     * a.example to the server that refused it.
     */
    @Test
    void aStreamToADomainNobodyServesIsDrawnToTheServerThatRefusedItNotToAPhantom() throws Exception {
        String body = "before the room " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob(), tmp)) {
            Analyzer analyzer = fed.analyzer;
            try (XmppClient bob = fed.login("b.example", "bob", "phone");
                 XmppClient alice = fed.login("a.example", "alice", "laptop")) {
                alice.send("bob@b.example", body);
                bob.awaitMessage(body, Duration.ofSeconds(20));
                alice.send("room@conference.b.example", "is anybody there?");
                ConnectionView refused = fed.awaitConnection(c -> "s2s".equals(c.kind()) && "conference.b.example".equals(c.streamTo())
                        && "error".equals(c.state()), "the stream to conference.b.example refused");
                assertTrue(refused.error().contains("host-unknown"), refused.error());
                GraphSnapshot g = analyzer.graph();
                assertEquals(List.of("server:a.example", "server:b.example"),
                        g.nodes().stream().map(GraphNode::id).filter(id -> id.startsWith("server:")).sorted().toList(),
                        "no node for conference.b.example, which b.example does not serve: " + g.nodes());
                GraphEdge edge = g.edges().stream().filter(e -> e.id().equals("s2s:" + refused.id())).findFirst()
                        .orElseThrow(() -> new AssertionError("the refused stream is drawn: " + g.edges()));
                assertEquals("server:a.example→server:b.example", edge.source() + "→" + edge.target());
                assertEquals("error", edge.state());
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
        }
    }


    /**
     * b.example is killed (SIGKILL) with its streams to and from a.example open: its kernel closes
     * them with a plain FIN, but no stream close came first. Both streams say so, as a warning on
     * the step, on the connection and on its edge of the graph, not as an ordinary end.
     */
    @Test
    void aServerKilledMidLinkIsAWarningOnItsStreams() throws Exception {
        String body = "just before the crash " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob(), tmp)) {
            Analyzer analyzer = fed.analyzer;
            try (XmppClient bob = fed.login("b.example", "bob", "phone");
                 XmppClient alice = fed.login("a.example", "alice", "laptop")) {
                alice.send("bob@b.example", body);
                bob.awaitMessage(body, Duration.ofSeconds(20));
                ProcessHandle.of(fed.servers.server("b.example").pid()).orElseThrow().destroyForcibly();
                for (String from : List.of("a.example", "b.example")) {
                    ConnectionView s2s = fed.awaitConnection(c -> "s2s".equals(c.kind()) && from.equals(c.streamFrom())
                            && c.closedAt() != null, "the stream from " + from + " ended");
                    assertEquals("b.example closed TCP without closing its stream first (crashed, killed or cut off?)",
                            s2s.warning(), s2s.toString());
                    assertEquals("closed", s2s.state());
                    GraphEdge edge = analyzer.graph().edges().stream().filter(e -> e.connections().contains(s2s.id())).findFirst()
                            .orElseThrow(() -> new AssertionError("the stream is drawn: " + analyzer.graph().edges()));
                    assertEquals(s2s.warning(), edge.warning(), "the graph says it on the link");
                    List<NegotiationStep> steps = analyzer.negotiation(s2s.id());
                    NegotiationStep end = steps.get(steps.size() - 1);
                    assertEquals("warning", end.status(), end.toString());
                    assertTrue(end.title().contains("b.example closed TCP without closing the stream"), end.title());
                }
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
        }
    }
}
