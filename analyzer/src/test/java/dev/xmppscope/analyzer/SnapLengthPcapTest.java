package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.SnapLengthCut;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        try (Federation fed = Federation.aliceAndBobUnrelayed().start(tmp.resolve("servers"))) {
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
                Map<String, long[]> cuts = snapLengthCuts(store);
                assertTrue(cuts.values().stream().anyMatch(n -> n[0] > 1), "streams cut many times: " + cuts.keySet());
                for (ConnectionView c : a.connections()) {
                    for (String direction : List.of("toServer", "toClient")) {
                        // one step per stream counts its cuts: a step each was hundreds of failures to read through
                        List<NegotiationStep> gaps = a.negotiation(c.id()).stream()
                                .filter(s -> s.step().equals("gap") && s.direction().equals(direction)).toList();
                        long[] cut = cuts.getOrDefault(c.id() + " " + direction, new long[2]);
                        assertEquals(cut[0] == 0 ? 0 : 1, gaps.size(), c.id() + " " + direction + ": " + gaps);
                        if (cut[0] > 1) {
                            assertEquals("Data is missing from the capture: " + cut[0] + " segments the "
                                    + (direction.equals("toServer") ? "client" : "server") + " sent were cut short by the capture's"
                                    + " snap length, " + cut[1] + " bytes missing", gaps.get(0).title());
                        }
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

    /** Per "connection direction", how many segments the snap length cut and how many bytes it cut off, as imported. */
    private static Map<String, long[]> snapLengthCuts(CaptureStore store) {
        Map<String, long[]> cuts = new HashMap<>();
        try (CaptureReader reader = store.newReader()) {
            reader.replay(new CaptureSink() {
                @Override
                public void opened(ConnectionOpened c) {
                }

                @Override
                public void chunk(Chunk c) {
                }

                @Override
                public void event(ConnectionEvent e) {
                    SnapLengthCut.missingBytes(e.detail()).ifPresent(n -> {
                        long[] cut = cuts.computeIfAbsent(e.connectionId() + " " + e.direction().wireName(), k -> new long[2]);
                        cut[0]++;
                        cut[1] += n;
                    });
                }

                @Override
                public void closed(ConnectionClosed c) {
                }
            });
        }
        return cuts;
    }
}
