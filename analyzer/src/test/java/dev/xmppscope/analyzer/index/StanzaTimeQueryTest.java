package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asking the index (a real H2 file) for the stanzas after or before a time: what the live
 * timeline asks at each arrival. The timeline is in time order but for a little disorder, as a
 * live analysis leaves it, and nothing in that disorder may be missed.
 */
class StanzaTimeQueryTest {
    private static final long MS = 1_000_000L;
    private static final int N = 3000;

    @TempDir
    Path tmp;

    /**
     * Stanza i at i × 10 ms, indexed in that order but for some 60 places (600 ms) late, behind
     * newer ones (7, 427, 847, ...), and some 60 places early, before older ones (260, 680, ...).
     */
    private static List<Long> times() {
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            at.add(i * 10 * MS);
        }
        for (int i = 7; i + 60 < N; i += 420) {
            at.add(i + 60, at.remove(i));
        }
        for (int i = 260; i < N; i += 420) {
            at.add(i - 60, at.remove(i));
        }
        return at;
    }

    @Test
    void aQueryFromOrUntilATimeFindsExactlyTheStanzasOnItsSideDisorderIncluded() {
        List<Long> times = times();
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            StanzaIndex index = new StanzaIndex(store.analysisStore(), CaptureStore.analysisFile(store.file()), true, store.payloads());
            for (int i = 0; i < N; i++) {
                index.add(stanza(i, times.get(i)));
            }
            index.sync();
            // at the edges, and at the times of stanzas indexed early (2,600 ms) or late (4,270 ms)
            for (long from : new long[] {-5 * MS, 0, 5 * MS, 2_600 * MS, 6_800 * MS, 12_345 * MS, 29_990 * MS, 29_991 * MS,
                    40_000 * MS}) {
                assertSame(expected(times, from, Long.MAX_VALUE), found(index, from, null), "from " + from);
            }
            for (long until : new long[] {0, 71 * MS, 4_271 * MS, 12_345 * MS, 29_990 * MS, 40_000 * MS}) {
                assertSame(expected(times, Long.MIN_VALUE, until), found(index, null, until), "until " + until);
            }
            assertSame(expected(times, 10_000 * MS, 10_100 * MS), found(index, 10_000 * MS, 10_100 * MS), "between");
            index.close();
        }
    }

    /** The same times, or which were missed and which found wrongly (a list of thousands says little). */
    private static void assertSame(List<Long> expected, List<Long> found, String query) {
        List<Long> missed = expected.stream().filter(t -> !found.contains(t)).toList();
        List<Long> wrong = found.stream().filter(t -> !expected.contains(t)).toList();
        assertEquals(List.of(), missed, query + ": missed");
        assertEquals(List.of(), wrong, query + ": found though outside it");
        assertEquals(expected.size(), found.size(), query + ": found twice");
    }

    private static List<Long> expected(List<Long> times, long from, long until) {
        return times.stream().filter(t -> t >= from && t < until).sorted().toList();
    }

    /** The times of what the index finds, paging through it as the UI does. */
    private static List<Long> found(StanzaIndex index, Long from, Long until) {
        List<Long> out = new ArrayList<>();
        String cursor = null;
        do {
            var page = index.query(new StanzaQuery(null, null, null, null, null, null, null, from, until, cursor, 700),
                    Long.MAX_VALUE);
            page.items().stream().map(StanzaSummary::at).forEach(out::add);
            cursor = page.next();
        } while (cursor != null);
        return out.stream().sorted().toList();
    }

    private static IndexedStanza stanza(int i, long at) {
        long pk = StanzaIndex.rowKey(1, 0, i);
        StanzaSummary summary = new StanzaSummary(StanzaIndex.ref(pk), 1, "toServer", at, "message", "chat", null, null,
                "m" + i, List.of(), List.of(), "chat: " + i, 40, i * 40L, "ok");
        return new IndexedStanza(pk, 0, summary, null, null, null, null, 0, null, -1,
                ("<message id='m" + i + "'/>").getBytes(StandardCharsets.UTF_8), -1);
    }
}
