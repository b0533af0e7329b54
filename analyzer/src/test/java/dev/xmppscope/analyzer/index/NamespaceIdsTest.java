package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Namespace numbers in the analysis file (a real H2 MVStore file) mean the same to every reader of it. */
class NamespaceIdsTest {
    @TempDir
    Path tmp;

    @Test
    void twoAnalyzersOfOneFileAndALaterRunReadEveryNumberAlike() {
        Path file = tmp.resolve("analysis.mv.db");
        List<String> uris = List.of("jabber:client", "urn:xmpp:receipts", "http://jabber.org/protocol/chatstates");
        int[] given = new int[uris.size()];
        try (MVStore mv = new MVStore.Builder().fileName(file.toString()).open()) {
            MVMap<Integer, String> map = mv.openMap("namespaces");
            NamespaceIds live = new NamespaceIds(map);
            NamespaceIds replay = new NamespaceIds(map); // a second analyzer of the same capture in this JVM
            given[0] = live.id(uris.get(0));
            given[1] = replay.id(uris.get(1)); // numbered by the other one: no number is given twice
            given[2] = live.id(uris.get(2));
            assertEquals(List.of(0, 1, 2), List.of(given[0], given[1], given[2]));
            for (int i = 0; i < uris.size(); i++) {
                assertEquals(given[i], live.id(uris.get(i)));
                assertEquals(given[i], replay.id(uris.get(i)));
                assertEquals(uris.get(i), live.uri(given[i]));
                assertEquals(uris.get(i), replay.uri(given[i]));
            }
        }
        try (MVStore mv = new MVStore.Builder().fileName(file.toString()).open()) {
            NamespaceIds later = new NamespaceIds(mv.openMap("namespaces"));
            for (int i = 0; i < uris.size(); i++) {
                assertEquals(uris.get(i), later.uri(given[i]));
                assertEquals(given[i], later.id(uris.get(i)));
            }
            assertEquals(3, later.id("urn:xmpp:sid:0"), "the next new one takes the next number");
        }
    }

    @Test
    void beyondTheLastNumberARecordKeepsTheUriItself() {
        try (MVStore mv = new MVStore.Builder().fileName(tmp.resolve("analysis.mv.db").toString()).open()) {
            NamespaceIds ids = new NamespaceIds(mv.openMap("namespaces"));
            for (int i = 0; i < NamespaceIds.MAX_IDS; i++) {
                assertEquals(i, ids.id("urn:made-up:" + i));
            }
            assertEquals(-1, ids.id("urn:one-too-many"));
            assertEquals(17, ids.id("urn:made-up:17"), "the numbered ones keep their numbers");

            List<String> nss = List.of("urn:made-up:17", "urn:one-too-many");
            Namespaces shipped = Namespaces.shipped();
            StanzaSummary summary = new StanzaSummary("1-s-0", 1, "toServer", 5L, "message", null, null, null, null, nss,
                    List.of(shipped.label(nss.get(0)), shipped.label(nss.get(1))), "message", 30, 0, "ok");
            IndexedStanza s = new IndexedStanza(StanzaIndex.rowKey(1, 0, 0), 0, summary, null, null, null, null, 0, null, -1,
                    "<message/>".getBytes(StandardCharsets.UTF_8), -1);
            IndexedStanza back = StanzaRecord.decode(StanzaRecord.encode(s, new RecordBytes.Writer(), ids), false, shipped, ids);
            assertEquals(summary, back.summary(), "a record names both, by number and by URI");
        }
    }
}
