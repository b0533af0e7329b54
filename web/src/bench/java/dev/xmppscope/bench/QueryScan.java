package dev.xmppscope.bench;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.bench.load.SyntheticCapture;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long a timeline query takes on a large analyzed capture when its filters match nothing, so
 * that it reads the whole index (the worst case the README states): a synthetic capture like
 * comparison 4's, about 1M elements by default, built once into DIR and kept for later runs. Not
 * a side-by-side comparison (nothing else answers these queries), so not part of {@code ./bench}:
 * <pre>./mvnw -B -q -ntp -Pbench -pl web -am test -DskipTests -Dbench.main=dev.xmppscope.bench.QueryScan -Dbench.args="DIR [MB]"</pre>
 */
public final class QueryScan {
    private static final int ROUNDS = 7;

    private QueryScan() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "web/target/query-scan");
        long megabytes = args.length > 1 ? Long.parseLong(args[1]) : 400;
        Path db = dir.resolve("capture");
        if (!Files.exists(dir.resolve("capture.mv.db"))) {
            Files.createDirectories(dir);
            write(db, megabytes);
        }
        Map<String, StanzaQuery> queries = new LinkedHashMap<>();
        queries.put("a namespace absent", query(null, null, "urn:nothing", null));
        queries.put("free text absent", query("no such text anywhere", null, null, null));
        queries.put("a short word absent", query("zebra", null, null, null));
        queries.put("a JID absent from the capture", query(null, "nobody@nowhere.example", null, null));
        queries.put("an id absent", query(null, null, null, "no-such-id"));
        queries.put("a type absent", new StanzaQuery(null, null, null, "no-such-type", null, null, null, null, null, null, 300));
        queries.put("another JID absent", query(null, "someone@else.example", null, null));
        queries.put("one stream of 16, an id absent", new StanzaQuery(null, null, null, null, null, "no-such-id", 1L, null, null, null, 300));
        queries.put("the first page of iq (no scan)", new StanzaQuery(null, null, "iq", null, null, null, null, null, null, null, 300));
        queries.put("one stream's newest page", new StanzaQuery(null, null, null, null, null, null, 1L, null, null, "latest", 300));
        try (CaptureStore store = CaptureStore.open(db).analyzeInForeground(); Analyzer analyzer = analyzed(store)) {
            for (Map.Entry<String, StanzaQuery> q : queries.entrySet()) {
                double[] ms = new double[ROUNDS];
                double firstMs = 0;
                int found = 0;
                for (int round = -2; round < ROUNDS; round++) { // two unrecorded, to compile the scan
                    long start = System.nanoTime();
                    found = analyzer.stanzas(q.getValue()).items().size();
                    double took = (System.nanoTime() - start) / 1e6;
                    if (round == -2) {
                        firstMs = took; // the first query of its kind: it reads blocks whole, and summarizes them
                    } else if (round >= 0) {
                        ms[round] = took;
                    }
                }
                Arrays.sort(ms);
                System.out.printf("%-32s %3d found, first %6.0f ms, then median %6.0f ms (%.0f–%.0f over %d rounds)%n",
                        q.getKey(), found, firstMs, ms[ROUNDS / 2], ms[0], ms[ROUNDS - 1], ROUNDS);
            }
        }
        // the block summaries live as long as an analysis is open: a fresh one shows what the first
        // query for a JID costs (it reads the timeline whole, and summarizes the blocks' terms), the
        // first for free text (it summarizes their XML), and later ones for other terms
        try (CaptureStore store = CaptureStore.open(db).analyzeInForeground(); Analyzer analyzer = analyzed(store)) {
            Map<String, StanzaQuery> reopened = new LinkedHashMap<>();
            reopened.put("the JID third@absent.example absent (the first: summarizes terms)", query(null, "third@absent.example",
                    null, null));
            reopened.put("free text absent (the first: summarizes the XML)", query("no such text anywhere", null, null, null));
            reopened.put("other free text absent", query("nor this one", null, null, null));
            reopened.put("a short word absent", query("zebra", null, null, null));
            reopened.put("the namespace urn:nothing absent", query(null, null, "urn:nothing", null));
            reopened.put("the type no-such-type absent", new StanzaQuery(null, null, null, "no-such-type", null, null, null, null,
                    null, null, 300));
            for (Map.Entry<String, StanzaQuery> q : reopened.entrySet()) {
                long start = System.nanoTime();
                analyzer.stanzas(q.getValue());
                System.out.printf("reopened, %s: %.0f ms%n", q.getKey(), (System.nanoTime() - start) / 1e6);
            }
        }
    }

    private static Analyzer analyzed(CaptureStore store) {
        Analyzer analyzer = Analyzer.open(store);
        long t0 = System.nanoTime();
        try (CaptureReader reader = store.newReader()) {
            analyzer.analyze(reader, done -> { });
        }
        System.out.printf("analyzed %s in %.1f s%n", store.file(), (System.nanoTime() - t0) / 1e9);
        return analyzer;
    }

    private static void write(Path db, long megabytes) {
        System.out.printf("writing a synthetic capture of %d MB into %s (once) ...%n", megabytes, db);
        SyntheticCapture capture = SyntheticCapture.build(16, megabytes * 1_000_000);
        capture.writeTo(db);
        System.out.printf("%d elements%n", capture.stanzas());
    }

    private static StanzaQuery query(String text, String jid, String namespace, String id) {
        return new StanzaQuery(text, jid, null, null, namespace, id, null, null, null, null, 300);
    }
}
