package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream management (XEP-0198) between a real Smack client and a real Prosody (mod_smacks),
 * through the recording proxy: the analyzer's counts agree with every ack the server sends, and
 * when the connection drops and Smack resumes the session on a new one, the resumption says how
 * many of the stanzas each side sent before were handled, and counts on from there.
 */
class LiveStreamManagementTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void acksAgreeWithTheCountsAndAResumptionSaysWhatWasHandled() throws Exception {
        String body = "counted " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.builder("a.example")
                .user("a.example", "alice", "alice-pw").user("a.example", "bob", "bob-pw")
                .configure((domain, cfg) -> cfg.modules("smacks")), tmp)) {
            try (XmppClient bob = fed.login("a.example", "bob", "desk"); XmppClient alice = fed.login("a.example", "alice", "phone")) {
                XMPPTCPConnection c = alice.connection();
                assertTrue(c.isSmEnabled(), "Smack enables stream management where the server offers it");
                for (int i = 0; i < 3; i++) {
                    alice.send("bob@a.example", body + " #" + i);
                }
                c.requestSmAcknowledgement();
                bob.awaitMessage(body + " #2", Duration.ofSeconds(20));
                Thread.sleep(500); // the server's ack
                c.instantShutdown(); // the network drops: no </stream:stream>, the server keeps the session
                c.connect().login(); // Smack resumes it on a new connection
                assertTrue(c.streamWasResumed(), "resumed");
                alice.send("bob@a.example", body + " after");
                c.requestSmAcknowledgement();
                bob.awaitMessage(body + " after", Duration.ofSeconds(20));
                Thread.sleep(500);
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
            Analyzer analyzer = fed.analyzer;
            List<ConnectionView> alices = alicesClosedConnections(analyzer);
            List<NegotiationStep> first = analyzer.negotiation(alices.get(0).id());
            List<NegotiationStep> resumed = analyzer.negotiation(alices.get(1).id());
            for (NegotiationStep s : concat(first, resumed)) {
                assertTrue(!s.step().startsWith("sm-") || !s.status().equals("failed"), "counts agree with the server's: " + s);
            }
            assertTrue(first.stream().anyMatch(s -> s.title().startsWith("Server acks") && s.detail().startsWith("all ")),
                    "the server acknowledged every stanza alice sent, as counted: " + first);
            NegotiationStep handled = resumed.stream().filter(s -> s.step().equals("sm-resumed")).findFirst().orElseThrow();
            assertTrue(handled.detail().matches("h=\\d+, bound to alice@a\\.example/phone; (all|\\d+ of) the \\d+ stanzas? the client"
                    + " sent on connection " + alices.get(0).id() + ": .*"), handled.detail());
            assertTrue(resumed.stream().anyMatch(s -> s.title().startsWith("Server acks") && s.detail().startsWith("all ")),
                    "on the resumed connection the counts go on from the resumption: " + resumed);
            assertEquals("sm-resume", resumed.stream().filter(s -> s.step().startsWith("sm-")).findFirst().orElseThrow().step());
        }
    }

    /**
     * A session the server let expire (a hibernation of 1 s, where Prosody keeps one 10 minutes):
     * Smack's resumption is refused with item-not-found, which the negotiation reads as the session
     * being gone, and Smack binds a new one.
     */
    @Test
    void aResumptionOfAnExpiredSessionIsSaidToFindItGone() throws Exception {
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.builder("a.example")
                .user("a.example", "alice", "alice-pw")
                .configure((domain, cfg) -> cfg.modules("smacks").lua("smacks_hibernation_time = 1")), tmp)) {
            try (XmppClient alice = fed.login("a.example", "alice", "phone")) {
                XMPPTCPConnection c = alice.connection();
                assertTrue(c.isSmResumptionPossible(), "resumable");
                c.instantShutdown();
                Thread.sleep(4_000); // past the hibernation: the server drops the session
                c.connect().login();
                assertTrue(!c.streamWasResumed() && c.isAuthenticated(), "a new session instead");
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
            List<ConnectionView> alices = alicesClosedConnections(fed.analyzer);
            NegotiationStep refused = fed.analyzer.negotiation(alices.get(1).id()).stream()
                    .filter(s -> s.step().equals("sm-failed")).findFirst()
                    .orElseThrow(() -> new AssertionError(fed.analyzer.negotiation(alices.get(1).id()).toString()));
            assertEquals("Server refuses to resume the session: item-not-found", refused.title());
            assertTrue(refused.detail().startsWith("the server no longer holds session "), refused.detail());
        }
    }

    /** Alice's two connections, once the analyzer has seen both end (the second when she logged out). */
    private static List<ConnectionView> alicesClosedConnections(Analyzer analyzer) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        List<ConnectionView> mine;
        do {
            Thread.sleep(100);
            mine = analyzer.connections().stream()
                    .filter(v -> "alice@a.example/phone".equals(v.jid()) && v.closedAt() != null).toList();
        } while (mine.size() < 2 && System.nanoTime() < deadline);
        assertEquals(2, mine.size(), "alice's connections: " + analyzer.connections());
        return mine;
    }

    private static List<NegotiationStep> concat(List<NegotiationStep> a, List<NegotiationStep> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
