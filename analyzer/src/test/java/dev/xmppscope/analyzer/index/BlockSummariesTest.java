package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A query for a JID or an id passes by the timeline's blocks whose summary says they cannot hold
 * it, once a scan has read them whole: its pages, forwards and back, must still hold exactly what
 * the timeline holds, whether the summaries were made yet or not.
 */
class BlockSummariesTest {
    private static final String[] USERS = {"alice@a.example", "bob@b.example", "carol@c.example", "ünï@çé.example",
        "a.example", "dave@d.example"};

    @TempDir
    Path tmp;

    @Test
    void pagesHoldTheSameBeforeAndAfterTheBlocksAreSummarized() {
        Random random = new Random(1207);
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            StanzaIndex index = new StanzaIndex(store.analysisStore(), CaptureStore.analysisFile(store.file()), false,
                    store.payloads());
            List<IndexedStanza> all = new ArrayList<>();
            int n = 6 * BlockSummaries.BLOCK + 123;
            for (int i = 0; i < n; i++) {
                IndexedStanza s = stanza(i, n, random);
                index.add(s);
                all.add(s);
            }
            index.sync();
            List<StanzaQuery> queries = new ArrayList<>();
            for (String jid : new String[] {"dave@d.example", "dave@d.example/r1", "DAVE@d.example/r2", "alice@a.example",
                "ünï@çé.example/r0", "a.example", "nobody@nowhere.example", "dave@d.example/none"}) {
                queries.add(query(jid, null, 1 + random.nextInt(80)));
            }
            for (String id : new String[] {"rare-3", "rare-40000", "id-7", "no-such-id"}) {
                queries.add(query(null, id, 1 + random.nextInt(80)));
            }
            queries.add(query("dave@d.example", "rare-17", 5));
            for (int round = 0; round < 2; round++) { // the first reads the blocks whole and summarizes them
                assertEquals(round == 0 ? 0 : 6, index.blocksSummarized(), "the complete blocks, once read whole");
                for (StanzaQuery q : queries) {
                    List<String> expected = all.stream().filter(s -> passes(s, q)).map(s -> s.summary().ref()).toList();
                    assertEquals(expected, TimelinePages.forwards(index, q), "round " + round + ": " + q);
                    List<String> reversed = new ArrayList<>(expected);
                    Collections.reverse(reversed);
                    assertEquals(reversed, TimelinePages.backwards(index, q), "back, round " + round + ": " + q);
                }
            }
            assertTrue(all.stream().anyMatch(s -> passes(s, queries.get(0))), "dave is in the capture, rarely");
            index.close();
        }
    }

    /** Dave, and the ids "rare-N", turn up in a few places only; everyone else everywhere. */
    private static IndexedStanza stanza(int i, int n, Random random) {
        boolean rare = random.nextInt(3000) == 0 || i == n - 1;
        String from = (rare ? "dave@d.example" : USERS[random.nextInt(USERS.length - 1)]) + "/r" + random.nextInt(3);
        String to = USERS[random.nextInt(USERS.length - 1)];
        String id = random.nextInt(2000) == 0 ? "rare-" + i : "id-" + random.nextInt(50);
        long pk = StanzaIndex.rowKey(1 + i % 7, i % 2, i / 7);
        StanzaSummary summary = new StanzaSummary(StanzaIndex.ref(pk), 1 + i % 7, i % 2 == 0 ? "toServer" : "toClient",
                1_000L * i, "message", "chat", from, to, id, List.of(), List.of(), "chat", 20, i * 20L, "ok");
        return new IndexedStanza(pk, i % 2, summary, from, to, from.split("/")[0], to, 0, null, -1,
                ("<message id='" + id + "'/>").getBytes(StandardCharsets.UTF_8), -1);
    }

    private static boolean passes(IndexedStanza s, StanzaQuery q) {
        if (q.id() != null && !q.id().equals(s.summary().id())) {
            return false;
        }
        if (q.jid() == null) {
            return true;
        }
        String jid = q.jid().toLowerCase(java.util.Locale.ROOT);
        return jid.contains("/") ? jid.equals(s.fromKey().toLowerCase(java.util.Locale.ROOT)) || jid.equals(s.toKey())
                : jid.equals(s.fromBare()) || jid.equals(s.toBare());
    }

    private static StanzaQuery query(String jid, String id, int limit) {
        return new StanzaQuery(null, jid, null, null, null, id, null, null, null, null, limit);
    }
}
