package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.SearchSupersededException;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search that a newer one of the same client replaced (the timeline's filters changed while it
 * read a long capture) stops reading, instead of holding a query thread until its end; searches
 * of other clients, and of the same number, go on.
 */
class SearchesTest {
    @TempDir
    Path tmp;

    @Test
    void aNewerSearchOfTheSameClientStopsTheOlderOne() {
        Searches searches = new Searches();
        Searches.Checkpoint first = searches.begin(new StanzaQuery.Search("tab-a", 1));
        Searches.Checkpoint otherClient = searches.begin(new StanzaQuery.Search("tab-b", 1));
        assertDoesNotThrow(first::check);

        Searches.Checkpoint second = searches.begin(new StanzaQuery.Search("tab-a", 2));
        Searches.Checkpoint nextPageOfSecond = searches.begin(new StanzaQuery.Search("tab-a", 2));
        SearchSupersededException stopped = assertThrows(SearchSupersededException.class, first::check);
        assertEquals("search tab-a:1 was replaced by search tab-a:2 before it finished", stopped.getMessage());
        assertDoesNotThrow(second::check);
        assertDoesNotThrow(nextPageOfSecond::check);
        assertDoesNotThrow(otherClient::check);
        // arriving after a newer one began (requests overtake each other): stopped before it reads
        assertThrows(SearchSupersededException.class, () -> searches.begin(new StanzaQuery.Search("tab-a", 1)));
        assertDoesNotThrow(() -> searches.begin(null).check());
    }

    @Test
    void clientsLongSilentAreForgottenSoMemoryStaysBounded() {
        Searches searches = new Searches();
        searches.begin(new StanzaQuery.Search("old", 5));
        for (int i = 0; i < 1024; i++) {
            searches.begin(new StanzaQuery.Search("tab-" + i, 1));
        }
        assertDoesNotThrow(() -> searches.begin(new StanzaQuery.Search("old", 3)).check(), "forgotten: it runs");
    }

    @Test
    void searchesAreWrittenClientColonNumber() {
        assertEquals(new StanzaQuery.Search("x_Y-9", 42), StanzaQuery.Search.parse("x_Y-9:42"));
        for (String bad : new String[] {"x", "x:", ":4", "x:-1", "x y:4", "x:4.5", "a".repeat(65) + ":1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StanzaQuery.Search.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("a search is CLIENT:N"), e.getMessage());
        }
    }

    /** The scan asks as it reads, so a search of a long capture stops within about a thousand records of being replaced. */
    @Test
    void aScanStopsWhenItsSearchIsReplaced() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            StanzaIndex index = new StanzaIndex(store.analysisStore(), CaptureStore.analysisFile(store.file()), false,
                    store.payloads());
            int n = 20_000;
            for (int i = 0; i < n; i++) {
                long pk = StanzaIndex.rowKey(1, 0, i);
                StanzaSummary summary = new StanzaSummary(StanzaIndex.ref(pk), 1, "toServer", 1_000_000L * i, "message", "chat",
                        null, null, "m" + i, List.of(), List.of(), "message", 20, i * 20L, "ok");
                index.add(new IndexedStanza(pk, 0, summary, null, null, null, null, 0, null, -1,
                        ("<message id='m" + i + "'/>").getBytes(StandardCharsets.UTF_8), -1));
            }
            index.sync();
            StanzaQuery absent = new StanzaQuery("not in any element", null, null, null, null, null, null, null, null, null, 50);
            int[] checks = {0};
            Searches.Checkpoint replacedAtTheThird = () -> {
                if (++checks[0] == 3) {
                    throw new SearchSupersededException("replaced");
                }
            };
            assertThrows(SearchSupersededException.class, () -> index.query(absent, Long.MAX_VALUE, replacedAtTheThird));
            assertEquals(3, checks[0], "stopped at once");

            checks[0] = 0;
            assertEquals(List.of(), index.query(absent, Long.MAX_VALUE, () -> checks[0]++).items());
            assertTrue(checks[0] >= n / 1024, "asked every thousand records or so: " + checks[0]);
            index.close();
        }
    }
}
