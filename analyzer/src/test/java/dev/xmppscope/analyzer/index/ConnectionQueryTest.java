package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query narrowed to one connection (a stream picked in the graph) reads that connection's
 * elements through their positions instead of the whole timeline: its pages, forwards and back,
 * must hold exactly what the timeline holds of that connection, in its order, also while another
 * analyzer of the same capture (a replay beside the live view) appends what this one has not filed.
 */
class ConnectionQueryTest {
    private static final int CONNECTIONS = 30;

    @TempDir
    Path tmp;

    @Test
    void aConnectionsPagesHoldExactlyItsElementsInTimelineOrder() {
        Random random = new Random(5222);
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            StanzaIndex index = open(store);
            List<IndexedStanza> all = new ArrayList<>();
            add(index, all, random, 6000);
            assertEveryConnectionPagesAsTheTimeline(index, all, random);
            index.close();
        }
    }

    @Test
    void whatAnotherAnalyzerAppendedAfterThisOnesPositionsIsFoundToo() {
        Random random = new Random(5269);
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            StanzaIndex reader = open(store);
            List<IndexedStanza> all = new ArrayList<>();
            add(reader, all, random, 2500); // filed by the reader: its positions cover these
            StanzaIndex other = open(store);
            add(other, all, random, 2500); // appended after what the reader knows to be filed
            assertEveryConnectionPagesAsTheTimeline(reader, all, random);
            other.close();
            reader.close();
        }
    }

    private static StanzaIndex open(CaptureStore store) {
        return new StanzaIndex(store.analysisStore(), CaptureStore.analysisFile(store.file()), false, store.payloads());
    }

    /** {@code n} more stanzas, on connections picked unevenly (a few busy ones, many with a handful), stored. */
    private static void add(StanzaIndex index, List<IndexedStanza> all, Random random, int n) {
        int[] next = new int[2 * CONNECTIONS];
        for (IndexedStanza s : all) {
            next[(int) (s.pk() >>> 32) - 2]++;
        }
        for (int i = 0; i < n; i++) {
            long connection = 1 + (random.nextInt(4) > 0 ? random.nextInt(3) : random.nextInt(CONNECTIONS));
            int direction = random.nextInt(2);
            int stream = (int) ((connection << 1 | direction) - 2);
            IndexedStanza s = stanza(connection, direction, next[stream]++, all.size(), random);
            index.add(s);
            all.add(s);
        }
        index.sync();
    }

    private static void assertEveryConnectionPagesAsTheTimeline(StanzaIndex index, List<IndexedStanza> all, Random random) {
        for (long connection = 1; connection <= CONNECTIONS; connection++) {
            for (String kind : new String[] {null, "message", "iq"}) {
                long conn = connection;
                List<String> expected = all.stream()
                        .filter(s -> s.summary().connection() == conn && (kind == null || kind.equals(s.summary().kind())))
                        .map(s -> s.summary().ref()).toList();
                int limit = 1 + random.nextInt(60);
                assertEquals(expected, TimelinePages.forwards(index, query(connection, kind, limit)), "connection " + connection + " " + kind);
                List<String> reversed = new ArrayList<>(expected);
                Collections.reverse(reversed);
                assertEquals(reversed, TimelinePages.backwards(index, query(connection, kind, limit)), "back, connection " + connection + " " + kind);
            }
        }
    }

    private static StanzaQuery query(long connection, String kind, int limit) {
        return new StanzaQuery(null, null, kind, null, null, null, connection, null, null, null, limit);
    }

    private static IndexedStanza stanza(long connection, int direction, int idx, int order, Random random) {
        long pk = StanzaIndex.rowKey(connection, direction, idx);
        String kind = random.nextInt(3) == 0 ? "iq" : "message";
        StanzaSummary summary = new StanzaSummary(StanzaIndex.ref(pk), connection, direction == 0 ? "toServer" : "toClient",
                1_000_000L * order, kind, "chat", null, null, "s" + order, List.of(), List.of(), kind, 20, order * 20L, "ok");
        return new IndexedStanza(pk, direction, summary, null, null, null, null, 0, null, -1,
                ("<" + kind + " id='s" + order + "'/>").getBytes(StandardCharsets.UTF_8), -1);
    }
}
