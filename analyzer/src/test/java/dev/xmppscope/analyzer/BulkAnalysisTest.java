package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Analyzer#analyze}, which reads and parses on threads of their own ahead of the model,
 * makes the same analysis as the store replayed into the analyzer one record at a time: every
 * stanza with its summary, XML, route and IQ partner, every stream with its negotiation and
 * errors.
 */
class BulkAnalysisTest {
    @TempDir
    Path dir;

    @Test
    void readingAndParsingAheadMakesTheSameAnalysis() {
        for (int seed = 0; seed < 40; seed++) {
            Path db = dir.resolve("cap" + seed);
            try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
                AnalyzerRandomCapturesTest.script(new Random(seed)).playInto(oncePerConnection(w));
            }
            List<String> oneByOne = analysis(db, false);
            assertEquals(oneByOne, analysis(db, true), "seed " + seed);
            assertTrue(oneByOne.size() > 10, "seed " + seed + ": " + oneByOne);
        }
    }

    /**
     * {@code w}, without the reopenings of a connection id the random scripts make (a store holds an
     * id once), and its records numbered on, not again from 1.
     */
    private static CaptureSink oncePerConnection(CaptureWriter w) {
        Set<Long> opened = new HashSet<>();
        Set<Long> closed = new HashSet<>();
        Map<Long, Long> seq = new HashMap<>();
        return new CaptureSink() {
            @Override
            public void opened(ConnectionOpened c) {
                if (opened.add(c.id())) {
                    w.opened(c);
                }
            }

            @Override
            public void chunk(Chunk c) {
                w.chunk(new Chunk(c.connectionId(), seq.merge(c.connectionId(), 1L, Long::sum), c.direction(), c.atNanos(),
                        c.layer(), c.offset(), c.length(), c.bytes(), c.redacted()));
            }

            @Override
            public void event(ConnectionEvent e) {
                w.event(new ConnectionEvent(e.connectionId(), seq.merge(e.connectionId(), 1L, Long::sum), e.atNanos(),
                        e.direction(), e.kind(), e.detail()));
            }

            @Override
            public void closed(ConnectionClosed c) {
                if (closed.add(c.id())) {
                    w.closed(c);
                }
            }
        };
    }

    /**
     * A new analysis of {@code store}, in an emptied analysis file: read and parsed ahead of the
     * model ({@link Analyzer#analyze}) if {@code ahead}, else replayed into it one record at a time.
     */
    static Analyzer analyzedAfresh(CaptureStore store, boolean ahead) {
        store.analysisStore().getMapNames().forEach(store.analysisStore()::removeMap);
        Analyzer a = Analyzer.open(store);
        try (CaptureReader reader = store.newReader()) {
            if (ahead) {
                a.analyze(reader, done -> { });
            } else {
                reader.replay(a);
            }
        } catch (RuntimeException | Error e) {
            a.close();
            throw e;
        }
        return a;
    }

    /** Everything the analysis of the capture at {@code db} shows, as lines; in a fresh analysis file each time. */
    private static List<String> analysis(Path db, boolean ahead) {
        List<String> lines = new ArrayList<>();
        try (CaptureStore store = CaptureStore.open(db)) {
            try (Analyzer a = analyzedAfresh(store, ahead)) {
                lines.add("failures " + a.failures());
                for (StanzaSummary s : a.stanzas(StanzaQuery.all(100_000)).items()) {
                    lines.add(s + " | " + a.stanza(s.ref()).orElseThrow() + " | " + a.route(s.ref()));
                }
                for (ConnectionView c : a.connections()) {
                    lines.add(c + " | " + a.negotiation(c.id()));
                }
            }
        }
        return lines;
    }
}
