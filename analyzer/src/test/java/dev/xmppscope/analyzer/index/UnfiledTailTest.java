package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An analysis that stopped (a crash, a kill) after the store committed a batch's records but not
 * their positions: the next analyzer of the file files them, so a query narrowed to their stream
 * and a link to one of them find them, and analyzing the capture again does not append them twice.
 * The store commits on its own thread whenever it likes, so a real crash leaves this state only by
 * chance; the test writes it directly.
 */
class UnfiledTailTest {
    private static final int CONNECTIONS = 3;

    @TempDir
    Path tmp;

    @Test
    void theLastRecordsWithoutPositionsAreFiledWhenTheFileIsOpenedAgain() {
        List<IndexedStanza> all = new ArrayList<>();
        int[] next = new int[2 * CONNECTIONS];
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            StanzaIndex index = open(store);
            for (int i = 0; i < 3000; i++) {
                IndexedStanza s = stanza(i, next);
                index.add(s);
                all.add(s);
            }
            index.close();
            // the last batch's records went in, their positions never did
            MVStore mv = store.analysisStore();
            MVMap<Long, byte[]> timeline = mv.openMap(StanzaIndex.TIMELINE, StanzaIndex.bytesByLong());
            NamespaceIds nsIds = new NamespaceIds(mv.openMap(StanzaIndex.NAMESPACE_IDS));
            RecordBytes.Writer writer = new RecordBytes.Writer();
            for (int i = 3000; i < 3500; i++) {
                IndexedStanza s = stanza(i, next);
                timeline.append(timeline.lastKey() + 1, StanzaRecord.encode(s, writer, nsIds));
                all.add(s);
            }
            mv.commit();
        }
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            StanzaIndex index = open(store);
            for (IndexedStanza s : all.subList(3000, 3500)) {
                StanzaSummary m = s.summary();
                assertTrue(index.get(m.ref(), Long.MAX_VALUE).isPresent(), "a link to " + m.ref());
                assertTrue(index.alreadyIndexed(m.connection(), (int) (s.pk() >>> 32) & 1, (int) s.pk()),
                        m.ref() + " is not analyzed again");
            }
            for (long connection = 1; connection <= CONNECTIONS; connection++) {
                long c = connection;
                StanzaQuery q = new StanzaQuery(null, null, null, null, null, null, connection, null, null, null, 500);
                List<String> expected = all.stream().filter(s -> s.summary().connection() == c).map(s -> s.summary().ref()).toList();
                assertEquals(expected, TimelinePages.forwards(index, q), "connection " + connection);
            }
            StanzaQuery everything = new StanzaQuery(null, null, null, null, null, null, null, null, null, null, 2000);
            assertEquals(3500, TimelinePages.forwards(index, everything).size(), "each element once");
            index.close();
        }
    }

    private static StanzaIndex open(CaptureStore store) {
        return new StanzaIndex(store.analysisStore(), CaptureStore.analysisFile(store.file()), false, store.payloads());
    }

    private static IndexedStanza stanza(int i, int[] next) {
        long connection = 1 + i % CONNECTIONS;
        int direction = (i / CONNECTIONS) % 2;
        long pk = StanzaIndex.rowKey(connection, direction, next[(int) (connection - 1) * 2 + direction]++);
        String from = "user" + connection + "@a.example/r";
        StanzaSummary summary = new StanzaSummary(StanzaIndex.ref(pk), connection, direction == 0 ? "toServer" : "toClient",
                1_000L * i, "message", "chat", from, "bob@b.example", "id-" + i, List.of("jabber:client"), List.of(), "chat",
                20, i * 20L, "ok");
        return new IndexedStanza(pk, direction, summary, from, "bob@b.example", "user" + connection + "@a.example",
                "bob@b.example", 0, null, -1, ("<message id='id-" + i + "'/>").getBytes(StandardCharsets.UTF_8), -1);
    }
}
