package dev.xmppscope.bench.compare;

import dev.xmppscope.bench.BenchContext;
import dev.xmppscope.bench.Comparison;
import dev.xmppscope.bench.load.SyntheticCapture;
import dev.xmppscope.bench.relay.CpuTime;
import dev.xmppscope.bench.report.ComparisonReport;
import dev.xmppscope.bench.report.Results;
import dev.xmppscope.bench.report.Table;
import dev.xmppscope.bench.report.TargetCheck;
import dev.xmppscope.capture.CaptureStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Comparison 4: analysis of a stored capture. xmppscope's analyzer replaying the H2 store vs
 * the raw Woodstox parse of the same bytes (read from the same store, and from memory).
 */
public final class StoreAnalysis implements Comparison {
    static final String NAME = "analysis";
    static final String XMPPSCOPE = "xmppscope";
    static final String WOODSTOX_STORE = "woodstox (H2 replay)";
    static final String WOODSTOX_MEMORY = "woodstox (in memory)";
    private static final String MBS = "MB/s";
    private static final String STANZAS = "stanzas/s";
    private static final String CPU = "CPU s";
    private static final String MB_PER_CPU = "MB/CPU-s";

    private final List<AnalysisContender> extra;
    private SyntheticCapture capture;

    /** {@code extra}: contenders besides the Woodstox ceilings (xmppscope's analyzer). */
    StoreAnalysis(List<AnalysisContender> extra) {
        this.extra = extra;
    }

    public static StoreAnalysis withXmppscope() {
        return new StoreAnalysis(List.of(new XmppscopeAnalysis()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "4. Analysis from the store";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        long size = ctx.quick() ? 1_000_000 : 16_000_000;
        capture = SyntheticCapture.build(ctx.quick() ? 2 : 16, size);
        Path pristine = ctx.workDir().resolve("analysis-capture");
        CaptureStore.delete(pristine);
        capture.writeTo(pristine);
        BenchContext.log("  capture: %d streams, %,d bytes, %,d stanzas in %s", capture.streams().size(),
                capture.totalBytes(), capture.stanzas(), CaptureStore.dataFile(pristine));
        List<AnalysisContender> contenders = new ArrayList<>(extra);
        contenders.add(new AnalysisContender() {
            @Override
            public String name() {
                return WOODSTOX_STORE;
            }

            @Override
            public long analyze(Path db) {
                return WoodstoxCeiling.parseFromStore(db);
            }
        });
        contenders.add(new AnalysisContender() {
            @Override
            public String name() {
                return WOODSTOX_MEMORY;
            }

            @Override
            public long analyze(Path db) {
                long n = 0;
                for (SyntheticCapture.Stream s : capture.streams()) {
                    n += WoodstoxCeiling.parseStream(s.toServer().bytes()) + WoodstoxCeiling.parseStream(s.toClient().bytes());
                }
                return n;
            }
        });
        OfflineRounds.run(ctx, NAME, scenario(), contenders, AnalysisContender::name, (c, round) -> {
            Path copy = ctx.workDir().resolve("analysis-" + round + "-" + c.name().replaceAll("\\W+", "_"));
            CaptureStore.copy(pristine, copy);
            try {
                long cpu0 = CpuTime.ofThisProcess();
                long t0 = System.nanoTime();
                long seen = c.analyze(copy);
                double s = (System.nanoTime() - t0) / 1e9;
                double cpu = (CpuTime.ofThisProcess() - cpu0) / 1e9;
                Map<String, Double> m = new LinkedHashMap<>();
                m.put(MBS, capture.totalBytes() / s / 1e6);
                m.put(STANZAS, capture.stanzas() / s);
                m.put("seconds", s);
                m.put(CPU, cpu);
                m.put(MB_PER_CPU, capture.totalBytes() / cpu / 1e6);
                m.put("stanzas seen", (double) seen);
                return m;
            } finally {
                CaptureStore.delete(copy);
            }
        });
    }

    private String scenario() {
        return capture == null ? "capture" : String.format("%.0f MB capture", capture.totalBytes() / 1e6);
    }

    @Override
    public ComparisonReport report(Results r) {
        Table t = new Table(List.of("contender", "MB/s", "stanzas/s", "seconds", "CPU s", "MB/CPU-s", "stanzas seen",
                "vs woodstox (H2 replay)", "vs woodstox (in memory)", "MB/CPU-s vs woodstox (H2)", "rounds"));
        String s = r.scenarios(NAME).stream().findFirst().orElse(scenario());
        OptionalDouble store = r.median(NAME, s, WOODSTOX_STORE, MBS);
        OptionalDouble memory = r.median(NAME, s, WOODSTOX_MEMORY, MBS);
        for (String c : r.contenders(NAME)) {
            OptionalDouble mbs = r.median(NAME, s, c, MBS);
            t.row(List.of(c, Table.num(mbs.orElse(Double.NaN)), Table.num(r.median(NAME, s, c, STANZAS).orElse(Double.NaN)),
                    Table.num(r.median(NAME, s, c, "seconds").orElse(Double.NaN)),
                    Table.num(r.median(NAME, s, c, CPU).orElse(Double.NaN)),
                    Table.num(r.median(NAME, s, c, MB_PER_CPU).orElse(Double.NaN)),
                    Table.num(r.median(NAME, s, c, "stanzas seen").orElse(Double.NaN)),
                    Ratios.percentOf(mbs, store), Ratios.percentOf(mbs, memory),
                    Ratios.percentOf(r.median(NAME, s, c, MB_PER_CPU), r.median(NAME, s, WOODSTOX_STORE, MB_PER_CPU)),
                    String.valueOf(r.rounds(NAME, s, c))));
        }
        List<TargetCheck> targets = new ArrayList<>();
        OptionalDouble x = r.median(NAME, s, XMPPSCOPE, MBS);
        String target = "xmppscope analysis ≥ 70% of raw Woodstox (both reading the H2 store)";
        if (x.isPresent() && store.isPresent()) {
            double ratio = x.getAsDouble() / store.getAsDouble();
            targets.add(TargetCheck.of(target, Table.percent(ratio) + " (" + Ratios.percentOf(x, memory)
                    + " of the in-memory parse)", ratio >= 0.7));
        } else {
            targets.add(TargetCheck.notMeasured(target, "xmppscope's Analyzer not available in this build"));
        }
        String size = capture == null ? "" : String.format(" (%d c2s streams, %,d bytes, %,d stanzas)",
                capture.streams().size(), capture.totalBytes(), capture.stanzas());
        return new ComparisonReport(NAME, title(), t, targets, """
                One synthetic capture%s built from the load generator's stanza mix, both directions, each \
                side with stanza ids of its own as distinct clients would send them (until 2026-12-02 every \
                side sent the same ids, so each stanza appeared identically about 30 times and the analyzer \
                linked the copies into routes through the server), cut into TCP-read-sized chunks (1 B–16 KiB) and written to an H2 capture database with the proxy's \
                own CaptureWriter. Each round every contender gets a fresh copy of the file (copy not timed). \
                *xmppscope*: `Analyzer.open(store)` + `analyzer.analyze(store.newReader())` (the store read and the streams parsed ahead of the model: on one thread since 2026-12-06, on two since 2026-12-07, a connection's two directions on different ones) + close (index \
                written), in the runner's JVM with the parallel collector and its threads at normal priority (since 2026-12-05; before, the index writer and H2's threads ran at idle priority as for a live analysis), as `./xmppscope open` runs it. *woodstox (H2 replay)*: the same replay, bytes concatenated per direction, then a \
                Woodstox pull parse of every event (the ceiling with the same store read). *woodstox (in \
                memory)*: the parse alone. Each contender first warms up, unrecorded, for at least 8 s of runs \
                (its first, cold run in a fresh JVM is in the log), so the rounds compare compiled code, \
                as on a large capture; a contender whose run exceeds 60 s gets no further rounds. A full run takes at least 9 rounds whatever --rounds says (a round is one run of a fraction of a second). "CPU s" = CPU time of the whole \
                runner JVM during the run (all threads: H2 writers, GC, JIT), the figure that stays \
                comparable when other work shares the cores.""".formatted(size));
    }
}
