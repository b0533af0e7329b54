package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphEdge;
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
 * A server stopped on purpose, on real Prosody servers through the recording proxy: SIGTERM makes
 * Prosody end each stream with system-shutdown and close it, and its streams read as closed
 * (grey in the graph), not failed (red).
 */
class LiveServerShutdownTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void aServerStoppedWithSigtermClosesItsStreamsItDoesNotFailThem() throws Exception {
        String body = "before b.example stops " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob(), tmp)) {
            Analyzer analyzer = fed.analyzer;
            long linkId;
            long bobsId;
            try (XmppClient bob = fed.login("b.example", "bob", "phone");
                 XmppClient alice = fed.login("a.example", "alice", "laptop")) {
                alice.send("bob@b.example", body);
                bob.awaitMessage(body, Duration.ofSeconds(20));
                // the streams up when b.example stops (an earlier attempt may have closed for reasons of its own)
                linkId = fed.awaitConnection(c -> "s2s".equals(c.kind()) && "a.example".equals(c.streamFrom())
                        && "established".equals(c.state()) && c.closedAt() == null, "a.example's stream to b.example up").id();
                bobsId = fed.awaitConnection(c -> "bob@b.example/phone".equals(c.jid()), "bob's stream").id();
                fed.servers.server("b.example").close(); // SIGTERM
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
            ConnectionView aToB = fed.awaitConnection(c -> c.id() == linkId && c.closedAt() != null,
                    "a.example's stream to b.example closed");
            ConnectionView bobs = fed.awaitConnection(c -> c.id() == bobsId && c.closedAt() != null, "bob's stream closed");
            for (ConnectionView c : List.of(aToB, bobs)) {
                assertEquals("closed", c.state(), c.toString());
                assertNull(c.error(), c.toString());
                List<NegotiationStep> steps = analyzer.negotiation(c.id());
                NegotiationStep shutdown = steps.stream().filter(s -> s.step().equals("stream-error")).findFirst()
                        .orElseThrow(() -> new AssertionError("no stream error on " + c + ": " + steps + "\n" + fed.servers.diagnostics()));
                assertTrue(shutdown.title().endsWith("is shutting down and ends the stream (system-shutdown): \"Received SIGTERM\""),
                        shutdown.title());
                assertEquals("info", shutdown.status());
            }
            GraphEdge link = analyzer.graph().edges().stream().filter(e -> e.connections().contains(aToB.id())).findFirst()
                    .orElseThrow();
            assertEquals("closed", link.state(), "grey, not red: " + link);
            assertNull(link.error(), link.toString());
        }
    }
}
