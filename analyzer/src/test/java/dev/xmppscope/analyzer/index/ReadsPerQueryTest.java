package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query reads a bounded number of records, then answers with what it found so far, says how far
 * it read, and its cursor goes on from there: a search that matches little on a long capture (short
 * free text) read the whole timeline in one request, which only a newer search of the UI's could
 * stop. Walked page by page, the searches find what they found before.
 */
class ReadsPerQueryTest {
    private static final int READS = 4096;
    private static final int N = 20_000;
    private static final long T0 = 1_790_000_000_000_000_000L;

    @TempDir
    Path tmp;

    @Test
    void aSearchStopsAtItsReadsAndItsCursorGoesOnFromThere() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            StanzaIndex index = new StanzaIndex(store.analysisStore(), CaptureStore.analysisFile(store.file()), false,
                    store.payloads(), BlockSummaries.MAX_BYTES, READS);
            for (int i = 0; i < N; i++) {
                String body = i % 5000 == 4999 ? "needle" : "hay";
                index.add(message(i, "<message id='m" + i + "'><body>" + body + "</body></message>"));
            }
            index.sync();

            StanzaPage absent = index.query(text("zq", null), Long.MAX_VALUE);
            assertEquals(List.of(), absent.items());
            assertEquals(T0 + (READS - 1) * 1000L, absent.searchedTo(), "read up to the 4,096th element, no further");
            assertEquals(Long.toString(READS - 1), absent.next());
            StanzaPage on = index.query(text("zq", absent.next()), Long.MAX_VALUE);
            assertEquals(T0 + (2 * READS - 1) * 1000L, on.searchedTo(), "the next request reads the next 4,096");

            List<String> needles = List.of("1-s-4999", "1-s-9999", "1-s-14999", "1-s-19999");
            assertEquals(needles, TimelinePages.forwards(index, text("needle", null)));
            assertEquals(List.of("1-s-19999", "1-s-14999", "1-s-9999", "1-s-4999"), TimelinePages.backwards(index, text("needle", null)));

            StanzaPage latest = index.query(text("needle", "latest"), Long.MAX_VALUE);
            assertEquals(List.of("1-s-19999"), latest.items().stream().map(StanzaSummary::ref).toList());
            assertNotNull(latest.searchedTo(), "one match, then it stopped reading back");
            assertNotNull(latest.previous());

            StanzaPage full = index.query(text("hay", null), Long.MAX_VALUE);
            assertEquals(50, full.items().size());
            assertNull(full.searchedTo(), "a full page is whole");
            StanzaPage end = index.query(text("needle", Long.toString(N - 100)), Long.MAX_VALUE);
            assertEquals(List.of("1-s-19999"), end.items().stream().map(StanzaSummary::ref).toList());
            assertNull(end.searchedTo(), "read to the end: whole");
            assertNull(end.next());
            index.close();
        }
    }

    private static IndexedStanza message(int i, String xml) {
        long pk = StanzaIndex.rowKey(1, 0, i);
        StanzaSummary summary = new StanzaSummary(StanzaIndex.ref(pk), 1, "toServer", T0 + i * 1000L, "message", "chat", null,
                null, "m" + i, List.of(), List.of(), "message", xml.length(), i * 64L, "ok");
        return new IndexedStanza(pk, 0, summary, null, null, null, null, 0, null, -1, xml.getBytes(StandardCharsets.UTF_8), -1);
    }

    private static StanzaQuery text(String text, String cursor) {
        return new StanzaQuery(text, null, null, null, null, null, null, null, null, cursor, 50);
    }
}
