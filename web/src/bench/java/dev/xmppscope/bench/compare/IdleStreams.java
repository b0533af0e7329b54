package dev.xmppscope.bench.compare;

import dev.xmppscope.bench.BenchContext;
import dev.xmppscope.bench.Comparison;
import dev.xmppscope.bench.load.LoadGenerator;
import dev.xmppscope.bench.load.StanzaCorpus;
import dev.xmppscope.bench.load.XmppSink;
import dev.xmppscope.bench.relay.Contender;
import dev.xmppscope.bench.relay.Relay;
import dev.xmppscope.bench.relay.StartedRelays;
import dev.xmppscope.bench.report.ComparisonReport;
import dev.xmppscope.bench.report.Results;
import dev.xmppscope.bench.report.Table;
import dev.xmppscope.bench.report.TargetCheck;
import dev.xmppscope.proxy.OpenFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Comparison 3: memory per idle stream. N client streams (header exchanged, then silent) held
 * open through the relay; heap (after a full GC, for JVM relays) and RSS before and after, per
 * stream. xmppscope runs with -Xmx512m.
 */
public final class IdleStreams implements Comparison {
    static final String NAME = "idle";
    static final int TARGET_STREAMS = 10_000;
    private static final String STREAMS = "streams";
    private static final String HEAP = "heap MB";
    private static final String HEAP_PER = "heap KB/stream";
    private static final String RSS = "RSS MB";
    private static final String RSS_PER = "RSS KB/stream";
    private static final String HEAP_10K = "heap MB @10k";

    private final List<Contender> contenders;

    public IdleStreams(List<Contender> contenders) {
        this.contenders = contenders;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "3. Idle streams held through the proxy";
    }

    /** Streams this machine allows: the relay and the runner each need two descriptors per stream. */
    static int streams(boolean quick) {
        int byLimit = (OpenFiles.limit() - 400) / 2;
        return Math.min(quick ? 500 : TARGET_STREAMS, byLimit);
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        int n = streams(ctx.quick());
        if (n < TARGET_STREAMS && !ctx.quick()) {
            BenchContext.log("  open-files limit %d allows %d streams, not %d: per-stream figures are extrapolated",
                    OpenFiles.limit(), n, TARGET_STREAMS);
        }
        int rounds = ctx.quick() ? 1 : Math.min(2, ctx.rounds());
        for (int round = 1; round <= rounds; round++) {
            for (Contender c : BenchContext.alternate(contenders, round)) {
                try (XmppSink sink = XmppSink.start(ctx.loopback().host(1), XmppSink.Mode.COUNT, 1);
                     Relay relay = c.start(sink.address(), ctx.workDir().resolve(NAME + "-" + c.name() + "-r" + round));
                     LoadGenerator gen = new LoadGenerator(1, StanzaCorpus.build(4096))) {
                    Thread.sleep(500);
                    OptionalLong heap0 = relay.heapUsedAfterGc();
                    OptionalLong rss0 = relay.rssBytes();
                    gen.connect(relay.address(), n, 256, 120_000);
                    Thread.sleep(1000);
                    // xmppscope's live analysis (idle priority) may still be working through the
                    // openings: measure once it is done, or the figure depends on how far it got
                    StartedRelays.awaitQuiet(relay);
                    OptionalLong heap1 = relay.heapUsedAfterGc();
                    OptionalLong rss1 = relay.rssBytes();
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put(STREAMS, (double) gen.established());
                    if (heap0.isPresent() && heap1.isPresent()) {
                        double per = (heap1.getAsLong() - heap0.getAsLong()) / (double) n;
                        m.put(HEAP, heap1.getAsLong() / 1e6);
                        m.put(HEAP_PER, per / 1e3);
                        m.put(HEAP_10K, (heap0.getAsLong() + per * TARGET_STREAMS) / 1e6);
                    }
                    if (rss0.isPresent() && rss1.isPresent()) {
                        m.put(RSS, rss1.getAsLong() / 1e6);
                        m.put(RSS_PER, (rss1.getAsLong() - rss0.getAsLong()) / (double) n / 1e3);
                    }
                    ctx.record(NAME, "idle streams", c.name(), round, m);
                    gen.closeAll();
                    sink.awaitOpenAtMost(0, 30_000);
                } catch (Exception e) {
                    ctx.results().failed(NAME + " " + c.name() + ": " + e.getMessage());
                    BenchContext.log("  %s %s FAILED: %s", NAME, c.name(), e);
                }
            }
        }
    }

    @Override
    public ComparisonReport report(Results r) {
        Table t = new Table(List.of("contender", STREAMS, HEAP, HEAP_PER, HEAP_10K, RSS, RSS_PER, "rounds"));
        String s = "idle streams";
        for (String c : r.contenders(NAME)) {
            List<String> row = new ArrayList<>(List.of(c));
            for (String metric : List.of(STREAMS, HEAP, HEAP_PER, HEAP_10K, RSS, RSS_PER)) {
                row.add(Table.num(r.median(NAME, s, c, metric).orElse(Double.NaN)));
            }
            row.add(String.valueOf(r.rounds(NAME, s, c)));
            t.row(row);
        }
        List<TargetCheck> targets = new ArrayList<>();
        String target = "10,000 idle streams through xmppscope in ≤ 512 MB heap";
        OptionalDouble streams = r.median(NAME, s, "xmppscope", STREAMS);
        OptionalDouble heap10k = r.median(NAME, s, "xmppscope", HEAP_10K);
        OptionalDouble heap = r.median(NAME, s, "xmppscope", HEAP);
        if (streams.isPresent() && heap10k.isPresent()) {
            boolean full = streams.getAsDouble() >= TARGET_STREAMS;
            double mb = full ? heap.getAsDouble() : heap10k.getAsDouble();
            targets.add(TargetCheck.of(target, Table.num(mb) + " MB heap" + (full ? ""
                    : " (extrapolated from " + Table.num(streams.getAsDouble()) + " streams; open-files limit)"), mb <= 512));
        } else {
            targets.add(TargetCheck.notMeasured(target, "xmppscope not measured"));
        }
        return new ComparisonReport(NAME, title(), t, targets, """
                N client streams connect through the relay (256 connects in flight), each sends its stream \
                header and gets the sink's header and features back, then stays silent; the figures are taken \
                once the relay's process is idle (xmppscope's live analysis has seen every opening). Heap = Java heap \
                in use right after a full GC (xmppscope's JVM is started with -Xmx512m; its figure adds the heap \
                of its analysis worker JVM, after a full GC there too), RSS = VmRSS of the relay process \
                (and its children: xmppscope's worker). Per-stream figures = (after − before) ÷ N; \
                "heap MB @10k" = before + 10,000 × per-stream. N is 10,000 unless the open-files limit \
                (`ulimit -n`; both the relay and the runner need two descriptors per stream) is lower.""");
    }
}
