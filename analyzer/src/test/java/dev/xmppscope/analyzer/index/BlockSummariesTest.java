package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * A query for a JID, an id, a kind, a type, a namespace or free text passes by the timeline's blocks whose
 * summary says they cannot hold it, once a scan has read them whole, also when it is narrowed to
 * one stream: its pages, forwards and back, must still hold exactly what the timeline holds,
 * whether the summaries were made yet or not.
 */
class BlockSummariesTest {
    private static final String[] USERS = {"alice@a.example", "bob@b.example", "carol@c.example", "ünï@çé.example",
        "a.example", "dave@d.example"};

    /** Numbered before the numbers run out (the first stanza names them, then enough others to use every number up). */
    private static final List<String> NUMBERED = List.of("jabber:client", "urn:xmpp:receipts", "urn:xmpp:ping");
    /** Named by its URI in the records: it first turns up after the numbers ran out, in the fifth block only. */
    private static final String LATE = "urn:late:named";

    @TempDir
    Path tmp;

    @Test
    void pagesHoldTheSameBeforeAndAfterTheBlocksAreSummarized() {
        pagesHoldTheSameAsTheTimeline(BlockSummaries.MAX_BYTES, 6, 6);
    }

    /** Summaries stop where their memory ends (a live capture that runs for weeks); queries answer alike. */
    @Test
    void summariesStopWhereTheirMemoryEnds() {
        pagesHoldTheSameAsTheTimeline(2 * (8192 + 8), 2, 0);
    }

    /**
     * A capture that no longer grows ('open') is summarized in the background once analyzed, so the
     * first query for a rare term or text is as quick as later ones; closing stops it.
     */
    @Test
    void aFinishedCaptureIsSummarizedInTheBackground() throws Exception {
        Random random = new Random(7);
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            StanzaIndex index = open(store, BlockSummaries.MAX_BYTES);
            List<IndexedStanza> all = sixBlocksAndAPart(index, random);
            TimelinePages.forwards(index, query("nobody@nowhere.example", null, 30)); // the blocks' terms, not their XML
            assertEquals(0, index.blockTextsSummarized());
            index.summarizeInBackground();
            awaitSummarized(index);
            assertEquals(6, index.blocksSummarized(), "every complete block's terms");
            assertEquals(6, index.blockTextsSummarized(), "and its XML");
            assertQueriesFindWhatTheTimelineHolds(index, all);
            index.close();

            StanzaIndex again = open(store, BlockSummaries.MAX_BYTES);
            again.summarizeInBackground();
            again.close(); // while it summarizes: it stops, and the file closes cleanly
            assertTrue(again.summarized());
        }
    }

    /**
     * A live capture is summarized in the background from its first search on, and so is each
     * block it completes after, with no query reading it: the first search to reach new blocks is
     * as quick as later ones. One that nobody searches is not summarized.
     */
    @Test
    void aLiveCaptureIsSummarizedOnceSearchedAndAsItGrows() throws Exception {
        Random random = new Random(11);
        int n = 6 * BlockSummaries.BLOCK + 123;
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            StanzaIndex index = open(store, BlockSummaries.MAX_BYTES);
            index.summarizeOnceSearched();
            List<IndexedStanza> all = new ArrayList<>(stored(index, random, 0, 3 * BlockSummaries.BLOCK + 5, n));
            TimelinePages.forwards(index, new StanzaQuery(null, null, null, null, null, null, 3L, null, null, null, 30));
            assertFalse(index.summarizing(), "a page of one stream searches nothing");

            TimelinePages.forwards(index, query("nobody@nowhere.example", null, 30));
            awaitSummarized(index);
            assertEquals(3, index.blocksSummarized(), "the complete blocks' terms");
            assertEquals(3, index.blockTextsSummarized(), "and their XML, which that search did not read");

            all.addAll(stored(index, random, 3 * BlockSummaries.BLOCK + 5, n, n)); // the capture grows
            awaitSummarized(index);
            assertEquals(6, index.blocksSummarized(), "the blocks completed since, with no query reading them");
            assertEquals(6, index.blockTextsSummarized());
            assertQueriesFindWhatTheTimelineHolds(index, all);
            index.close();
        }
    }

    private static void awaitSummarized(StanzaIndex index) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!index.summarized() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(index.summarized(), "summarized within 30 s");
    }

    private static void assertQueriesFindWhatTheTimelineHolds(StanzaIndex index, List<IndexedStanza> all) {
        for (StanzaQuery q : List.of(query("dave@d.example", null, 30), namespace("XEP-0184"), namespace("urn:unknown:x"),
                new StanzaQuery("RARE-", null, null, null, null, null, null, null, null, null, 30),
                new StanzaQuery("no such text", null, null, null, null, null, 3L, null, null, null, 30))) {
            assertEquals(all.stream().filter(s -> passes(s, q)).map(s -> s.summary().ref()).toList(),
                    TimelinePages.forwards(index, q), q.toString());
        }
    }

    private void pagesHoldTheSameAsTheTimeline(long maxSummaryBytes, int blocksSummarized, int textsSummarized) {
        Random random = new Random(1207);
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            StanzaIndex index = open(store, maxSummaryBytes);
            List<IndexedStanza> all = sixBlocksAndAPart(index, random);
            List<StanzaQuery> queries = new ArrayList<>();
            for (String jid : new String[] {"dave@d.example", "dave@d.example/r1", "DAVE@d.example/r2", "alice@a.example",
                "ünï@çé.example/r0", "a.example", "nobody@nowhere.example", "dave@d.example/none"}) {
                queries.add(query(jid, null, 1 + random.nextInt(80)));
            }
            for (String id : new String[] {"rare-3", "rare-40000", "id-7", "no-such-id"}) {
                queries.add(query(null, id, 1 + random.nextInt(80)));
            }
            queries.add(query("dave@d.example", "rare-17", 5));
            for (String[] kindAndType : new String[][] {{"stream-error", null}, {null, "error"}, {"message", "error"},
                {"iq", null}, {null, "no-such-type"}}) {
                queries.add(new StanzaQuery(null, null, kindAndType[0], kindAndType[1], null, null, null, null, null, null,
                        1 + random.nextInt(80)));
            }
            for (String ns : new String[] {"XEP-0184", "urn:xmpp:receipts", "XEP-0199", LATE, "jabber:client",
                "urn:unknown:x", "XEP-0045"}) {
                queries.add(namespace(ns));
            }
            queries.add(new StanzaQuery(null, "dave@d.example", null, "error", "XEP-0184", null, null, null, null, null, 7));
            for (String text : new String[] {"RARE-", "'rare-1", "id='id-7'", "no such text", "'/>", "ab"}) {
                queries.add(new StanzaQuery(text, null, null, null, null, null, null, null, null, null, 1 + random.nextInt(80)));
            }
            for (StanzaQuery q : List.copyOf(queries)) { // narrowed to one stream: read through its positions
                queries.add(new StanzaQuery(q.text(), q.jid(), q.kind(), q.type(), q.namespace(), q.id(), 3L, null, null, null,
                        q.limit()));
            }
            for (int round = 0; round < 2; round++) { // the first reads the blocks whole and summarizes them
                assertEquals(round == 0 ? 0 : blocksSummarized, index.blocksSummarized(), "the complete blocks, once read whole");
                assertEquals(round == 0 ? 0 : textsSummarized, index.blockTextsSummarized(),
                        "their XML, once a free-text query read it");
                for (StanzaQuery q : queries) {
                    List<String> expected = all.stream().filter(s -> passes(s, q)).map(s -> s.summary().ref()).toList();
                    assertEquals(expected, TimelinePages.forwards(index, q), "round " + round + ": " + q);
                    List<String> reversed = new ArrayList<>(expected);
                    Collections.reverse(reversed);
                    assertEquals(reversed, TimelinePages.backwards(index, q), "back, round " + round + ": " + q);
                }
            }
            // the rare terms are there, a few times each; the absent ones are not
            for (StanzaQuery q : List.of(query("dave@d.example", null, 1), namespace("XEP-0184"), namespace("XEP-0199"),
                    namespace(LATE), new StanzaQuery(null, null, "stream-error", null, null, null, null, null, null, null, 1),
                    new StanzaQuery(null, null, null, "error", null, null, null, null, null, null, 1))) {
                long hits = all.stream().filter(s -> passes(s, q)).count();
                assertTrue(hits > 0 && hits < 40, q + " finds " + hits);
            }
            for (StanzaQuery q : List.of(namespace("urn:unknown:x"), namespace("XEP-0045"), query("nobody@nowhere.example", null, 1))) {
                assertTrue(all.stream().noneMatch(s -> passes(s, q)), q + " finds none");
            }
            index.close();
        }
    }

    private static StanzaIndex open(CaptureStore store, long maxSummaryBytes) {
        return new StanzaIndex(store.analysisStore(), CaptureStore.analysisFile(store.file()), false, store.payloads(),
                maxSummaryBytes);
    }

    /** Six blocks of stanzas and part of a seventh, stored. */
    private static List<IndexedStanza> sixBlocksAndAPart(StanzaIndex index, Random random) {
        int n = 6 * BlockSummaries.BLOCK + 123;
        return stored(index, random, 0, n, n);
    }

    /** Stanzas {@code from} to {@code to} (exclusive) of {@code n} ({@link #stanza}), stored. */
    private static List<IndexedStanza> stored(StanzaIndex index, Random random, int from, int to, int n) {
        List<IndexedStanza> all = new ArrayList<>();
        for (int i = from; i < to; i++) {
            IndexedStanza s = stanza(i, n, random);
            index.add(s);
            all.add(s);
        }
        index.sync();
        return all;
    }

    /**
     * Dave, the ids "rare-N", stream errors, type error, receipts and pings turn up in a few places
     * only; everyone else everywhere. The first stanza uses every namespace number up.
     */
    private static IndexedStanza stanza(int i, int n, Random random) {
        boolean rare = random.nextInt(3000) == 0 || i == n - 1;
        String from = (rare ? "dave@d.example" : USERS[random.nextInt(USERS.length - 1)]) + "/r" + random.nextInt(3);
        String to = USERS[random.nextInt(USERS.length - 1)];
        String id = random.nextInt(2000) == 0 ? "rare-" + i : "id-" + random.nextInt(50);
        String kind = random.nextInt(2500) == 0 ? "stream-error" : random.nextInt(4) == 0 ? "iq" : "message";
        String type = random.nextInt(1500) == 0 ? "error" : "chat";
        List<String> namespaces = new ArrayList<>(List.of("jabber:client"));
        if (i == 0) {
            namespaces = new ArrayList<>(NUMBERED);
            for (int k = 0; k < NamespaceIds.MAX_IDS; k++) {
                namespaces.add("urn:filler:" + k);
            }
        } else if (random.nextInt(2000) == 0) {
            namespaces.add(random.nextBoolean() ? "urn:xmpp:receipts" : "urn:xmpp:ping");
        } else if (i / BlockSummaries.BLOCK == 4 && random.nextInt(500) == 0) {
            namespaces.add(LATE);
        }
        long pk = StanzaIndex.rowKey(1 + i % 7, i % 2, i / 7);
        StanzaSummary summary = new StanzaSummary(StanzaIndex.ref(pk), 1 + i % 7, i % 2 == 0 ? "toServer" : "toClient",
                1_000L * i, kind, type, from, to, id, namespaces, List.of(), "chat", 20, i * 20L, "ok");
        return new IndexedStanza(pk, i % 2, summary, from, to, from.split("/")[0], to, 0, null, -1,
                ("<message id='" + id + "'/>").getBytes(StandardCharsets.UTF_8), -1);
    }

    private static boolean passes(IndexedStanza s, StanzaQuery q) {
        StanzaSummary m = s.summary();
        if (q.connection() != null && m.connection() != q.connection()) {
            return false;
        }
        if (q.text() != null && !s.xml().toLowerCase(java.util.Locale.ROOT)
                .contains(q.text().toLowerCase(java.util.Locale.ROOT))) {
            return false;
        }
        if ((q.id() != null && !q.id().equals(m.id())) || (q.kind() != null && !q.kind().equals(m.kind()))
                || (q.type() != null && !q.type().equals(m.type()))) {
            return false;
        }
        if (q.namespace() != null) {
            String uri = switch (q.namespace()) {
                case "XEP-0184" -> "urn:xmpp:receipts";
                case "XEP-0199" -> "urn:xmpp:ping";
                default -> q.namespace();
            };
            if (!m.namespaces().contains(uri)) {
                return false;
            }
        }
        if (q.jid() == null) {
            return true;
        }
        String jid = q.jid().toLowerCase(java.util.Locale.ROOT);
        return jid.contains("/") ? jid.equals(s.fromKey().toLowerCase(java.util.Locale.ROOT)) || jid.equals(s.toKey())
                : jid.equals(s.fromBare()) || jid.equals(s.toBare());
    }

    private static StanzaQuery namespace(String ns) {
        return new StanzaQuery(null, null, null, null, ns, null, null, null, null, null, 1 + ns.length() % 50);
    }

    private static StanzaQuery query(String jid, String id, int limit) {
        return new StanzaQuery(null, jid, null, null, null, id, null, null, null, null, limit);
    }
}
