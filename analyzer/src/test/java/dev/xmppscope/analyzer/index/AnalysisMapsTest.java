package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.route.IqPairing;
import dev.xmppscope.capture.CaptureStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes and IQ pairs kept in the analysis file (a real H2 MVStore file) survive closing it. */
class AnalysisMapsTest {
    @TempDir
    Path tmp;

    @Test
    void archivedRoutesAndIqPairsAreFoundByEveryRefAfterReopening() {
        Path db = tmp.resolve("capture");
        StanzaRoute route = new StanzaRoute(List.of(
                new StanzaRoute.Hop("1-s-5", 1, "client:alice@a.example/phone", "server:a.example", 10L, null, null, null),
                new StanzaRoute.Hop("2-s-3", 2, "server:a.example", "server:b.example", 14L, 4L, 0, null),
                new StanzaRoute.Hop("4-c-9", 4, "server:b.example", "client:bob@b.example/laptop", 15L, 1L, 1, StanzaRoute.Hop.CARBON)),
                1.0, "same id 'm1', type chat");
        try (CaptureStore store = CaptureStore.open(db)) {
            StanzaIndex index = new StanzaIndex(store.analysisStore(), CaptureStore.analysisFile(store.file()), true, store.payloads());
            // the later hops' own records name the first hop: the archive files the route under it alone
            long first = StanzaIndex.rowKey("1-s-5");
            index.add(hop("1-s-5", -1));
            index.add(hop("2-s-3", first));
            index.add(hop("4-c-9", first));
            index.routeArchive().save(route);
            for (String ref : List.of("1-s-5", "2-s-3", "4-c-9")) {
                assertEquals(route, index.routeArchive().find(ref).orElseThrow(), ref + ", its record not written yet");
            }
            index.iqLedger().put("1-s-7", new IqPairing.IqInfo("1-c-8", 2_000L, true, 20L, 1));
            index.iqLedger().put("1-c-8", new IqPairing.IqInfo("1-s-7", null, false, 22L, 1));
            index.close();
        }
        try (CaptureStore store = CaptureStore.open(db)) {
            StanzaIndex index = new StanzaIndex(store.analysisStore(), CaptureStore.analysisFile(store.file()), true, store.payloads());
            for (String ref : List.of("1-s-5", "2-s-3", "4-c-9")) {
                assertEquals(route, index.routeArchive().find(ref).orElseThrow(), ref);
            }
            assertTrue(index.routeArchive().find("1-s-6").isEmpty(), "a stanza that is no hop of it");
            assertEquals(new IqPairing.IqInfo("1-c-8", 2_000L, true, 20L, 1), index.iqLedger().get("1-s-7").orElseThrow());
            assertEquals(new IqPairing.IqInfo("1-s-7", null, false, 22L, 1), index.iqLedger().get("1-c-8").orElseThrow());
            assertTrue(index.iqLedger().get("not-a-ref").isEmpty());
            index.close();
        }
    }

    @Test
    void theMapsOfAnOlderSchemaAreDroppedRoutesAndIqPairsIncluded() {
        Path db = tmp.resolve("capture");
        try (CaptureStore store = CaptureStore.open(db)) {
            // what version 6 left: its routes had no "how" per hop, and a reader of today's layout
            // would read past their end
            MVStore mv = store.analysisStore();
            for (String old : List.of("xs.stanzas.v6", "xs.routes.v2", "xs.iqs.v1")) {
                mv.<Long, byte[]>openMap(old).put(StanzaIndex.rowKey("1-s-5"), new byte[] {3, 7});
            }
            StanzaIndex index = new StanzaIndex(mv, CaptureStore.analysisFile(store.file()), true, store.payloads());
            assertEquals(Set.of(), mv.getMapNames().stream().filter(n -> n.matches("xs\\..+\\.v[0-6]"))
                    .collect(Collectors.toSet()), "every map of the older layout is gone");
            assertTrue(index.routeArchive().find("1-s-5").isEmpty());
            assertTrue(index.iqLedger().get("1-s-5").isEmpty());
            index.close();
        }
    }

    /** A stanza record that, unless {@code routeFirst} is -1, joined the route filed under that first hop's key. */
    private static IndexedStanza hop(String ref, long routeFirst) {
        long pk = StanzaIndex.rowKey(ref);
        StanzaSummary summary = new StanzaSummary(ref, pk >>> 33, "toServer", 10L, "message", "chat", null, null, "m1",
                List.of(), List.of(), "message", 40, 0, "ok");
        IndexedStanza s = new IndexedStanza(pk, (int) ((pk >>> 32) & 1), summary, null, null, null, null, 0, null, -1,
                "<message id='m1'/>".getBytes(StandardCharsets.UTF_8), -1);
        return routeFirst < 0 ? s : s.withRouteFirst(routeFirst);
    }
}
