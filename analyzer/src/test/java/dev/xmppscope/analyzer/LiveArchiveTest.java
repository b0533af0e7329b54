package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.xmppscope.analyzer.MessageRoutes.awaitRoute;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.model.StanzaSummary;
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
 * Message Archive Management (XEP-0313) on two real Prosody servers through the recording proxy:
 * bob's tablet logs in after alice's message reached his phone, and asks b.example's archive for
 * his history. The archive's copy reads as such in the timeline, and links to alice's message as
 * she sent it.
 */
class LiveArchiveTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void anArchivedCopyLinksToTheMessageItHolds() throws Exception {
        String body = "read it on any device " + UUID.randomUUID();
        try (AnalyzedFederation fed = AnalyzedFederation.start(Federation.aliceAndBob()
                .configure((domain, cfg) -> cfg.modules("mam")), tmp)) {
            Analyzer analyzer = fed.analyzer;
            try (XmppClient alice = fed.login("a.example", "alice", "laptop");
                 XmppClient bobPhone = fed.login("b.example", "bob", "phone")) {
                alice.send("bob@b.example/phone", body);
                bobPhone.awaitMessage(body, Duration.ofSeconds(20));
                try (XmppClient bobTablet = fed.login("b.example", "bob", "tablet")) {
                    bobTablet.fetchArchive();
                }
            } catch (AssertionError | RuntimeException e) {
                throw fed.withDiagnostics(e);
            }
            StanzaRoute route = awaitRoute(analyzer, body, 3);
            String sent = route.hops().get(0).stanzaRef();
            StanzaSummary archived = awaitArchived(analyzer, body);
            assertEquals("archived chat from alice@a.example/laptop: " + body, archived.summary());
            assertEquals(sent, analyzer.stanza(archived.ref()).orElseThrow().carries(),
                    "the archive's copy links to alice's message as she sent it");
            assertEquals(null, analyzer.stanza(sent).orElseThrow().carries(), "which carries nothing");
        }
    }

    /** The archive's copy of the message with {@code body}, once analysed. */
    private static StanzaSummary awaitArchived(Analyzer analyzer, String body) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            List<StanzaSummary> found = analyzer.stanzas(new StanzaQuery(body, null, "message", null, "XEP-0313", null, null,
                    null, null, null, 20)).items();
            if (!found.isEmpty()) {
                assertTrue(found.size() == 1, found.toString());
                return found.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no archived copy of '" + body + "'");
            }
            Thread.sleep(100);
        }
    }
}
