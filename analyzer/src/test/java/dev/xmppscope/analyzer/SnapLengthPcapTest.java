package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.capture.pcap.Tshark;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture whose snap length cut every frame with data short (dumpcap -s 150, as a habit from
 * header-only captures brings): most of each stream is missing, one gap after another. What is
 * shown of it must still be true: every byte listed once, at the time it was captured.
 */
class SnapLengthPcapTest {
    private static final int SNAP_LENGTH = 150;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void aCaptureCutByItsSnapLengthListsEachCapturedByteOnceAtItsOwnTime() throws Exception {
        Path pcap = tmp.resolve("snap.pcapng");
        long started;
        long ended;
        try (Federation fed = Federation.builder("a.example").relayed(false).user("a.example", "alice", "alice-secret")
                .user("a.example", "bob", "bob-secret").start(tmp.resolve("servers"))) {
            InetSocketAddress c2s = fed.server("a.example").c2s();
            Tshark.Capture capture = Tshark.capture(Tshark.trafficOf(c2s), pcap, false, SNAP_LENGTH);
            started = System.currentTimeMillis() * 1_000_000L;
            try (XmppClient bob = XmppClient.options("a.example", c2s).login("bob", "bob-secret");
                 XmppClient alice = XmppClient.options("a.example", c2s).login("alice", "alice-secret")) {
                for (int i = 0; i < 3; i++) {
                    String body = "cut by the snap length " + i + " " + "x".repeat(500);
                    alice.send(bob.jid().toString(), body);
                    bob.awaitMessage(body, Duration.ofSeconds(10));
                }
            } finally {
                capture.stop();
                ended = System.currentTimeMillis() * 1_000_000L;
            }
        }
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            CaptureFiles.importInto(store, pcap, ProgressBar.NONE, sink -> sink);
            try (Analyzer a = Analyzer.open(store); CaptureReader reader = store.newReader()) {
                a.analyze(reader, done -> { });
                assertEquals(2, a.connections().size());
                List<StanzaSummary> all = a.stanzas(StanzaQuery.all(2000)).items();
                assertTrue(all.stream().anyMatch(s -> s.kind().equals("unparsed")), "the snap length cut stanzas");
                for (StanzaSummary s : all) {
                    assertTrue(s.at() >= started - 1_000_000_000L && s.at() <= ended, "captured while the capture ran: " + s);
                }
                for (ConnectionView c : a.connections()) {
                    for (String direction : List.of("toServer", "toClient")) {
                        List<StanzaSummary> stream = all.stream().filter(s -> s.connection() == c.id()
                                && s.direction().equals(direction)).sorted(Comparator.comparingLong(StanzaSummary::offset)).toList();
                        long next = 0;
                        for (StanzaSummary s : stream) {
                            assertTrue(s.offset() >= next, "each captured byte is listed once: " + s.ref() + " at offset "
                                    + s.offset() + " overlaps what ends at " + next);
                            next = s.offset() + s.size();
                        }
                    }
                }
            }
        }
    }
}
