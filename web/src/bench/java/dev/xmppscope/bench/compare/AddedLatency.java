package dev.xmppscope.bench.compare;

import dev.xmppscope.bench.BenchContext;
import dev.xmppscope.bench.Comparison;
import dev.xmppscope.bench.load.LatencyProbe;
import dev.xmppscope.bench.load.XmppSink;
import dev.xmppscope.bench.relay.Contender;
import dev.xmppscope.bench.relay.JitState;
import dev.xmppscope.bench.relay.Relay;
import dev.xmppscope.bench.relay.StartedRelays;
import dev.xmppscope.bench.relay.Xmppscope;
import dev.xmppscope.bench.report.ComparisonReport;
import dev.xmppscope.bench.report.Results;
import dev.xmppscope.bench.report.Table;
import dev.xmppscope.bench.report.TargetCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Comparison 2: round-trip time of small request/response stanzas (ping IQ → result) at a
 * steady 1,000 stanzas/s over 10 streams, direct vs haproxy vs xmppscope; what a relay adds is
 * its percentile minus direct's.
 */
public final class AddedLatency implements Comparison {
    static final String NAME = "latency";
    static final int RATE = 1000;
    static final int STREAMS = 10;
    private static final String P50 = "p50 µs";
    private static final String P99 = "p99 µs";
    private static final String P999 = "p99.9 µs";
    private static final String COLD_P99 = "first 10 s p99 µs";
    private static final String WARM_UP = "warm-up s";
    /** A JVM relay serves the probe's load until its JIT has settled, for at most this long. */
    private static final long SETTLE_MAX_MS = 240_000;
    private static final long SETTLE_WINDOW_MS = 10_000;

    private final List<Contender> contenders;

    public AddedLatency(List<Contender> contenders) {
        this.contenders = contenders;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "2. Added latency";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        long warmup = ctx.quick() ? 500 : 5000;
        long measure = ctx.quick() ? 1000 : 10_000;
        try (XmppSink sink = XmppSink.start(ctx.loopback().host(1), XmppSink.Mode.ECHO_PINGS, 1);
             StartedRelays relays = StartedRelays.start(ctx, NAME, contenders, sink.address())) {
            Map<Contender, Map<String, Double>> warmUps = new LinkedHashMap<>();
            for (Contender c : contenders) {
                Relay relay = relays.get(c);
                if (relay != null && !ctx.quick()) {
                    warmUps.put(c, settle(c, relay));
                }
            }
            for (int round = 1; round <= ctx.rounds(); round++) {
                for (Contender c : BenchContext.alternate(contenders, round)) {
                    Relay relay = relays.get(c);
                    if (relay == null) {
                        continue;
                    }
                    try (LatencyProbe probe = new LatencyProbe()) {
                        probe.connect(relay.address(), STREAMS);
                        probe.run(RATE, warmup);
                        long[] rtts = probe.run(RATE, measure);
                        Map<String, Double> m = new LinkedHashMap<>();
                        m.put(P50, LatencyProbe.quantile(rtts, 0.50) / 1e3);
                        m.put(P99, LatencyProbe.quantile(rtts, 0.99) / 1e3);
                        m.put(P999, LatencyProbe.quantile(rtts, 0.999) / 1e3);
                        m.put("unanswered", (double) probe.lastUnanswered());
                        if (round == 1) {
                            m.putAll(warmUps.getOrDefault(c, Map.of()));
                        }
                        ctx.record(NAME, scenario(), c.name(), round, m);
                        StartedRelays.awaitQuiet(relay);
                    } catch (Exception e) {
                        ctx.results().failed(NAME + " " + c.name() + ": " + e.getMessage());
                        BenchContext.log("  %s %s FAILED: %s", NAME, c.name(), e);
                    }
                }
            }
        }
    }

    /**
     * Serves the probe's load through a JVM relay until its JIT has settled (its C2 compiler
     * yielded to the relay, see JitYield), as a proxy in service has: C2 compiles for minutes
     * at this rate, in bursts that delay the relay. Logs each 10 s window's p99; returns the
     * first window's (the relay cold) and how long it took. Nothing for relays without a JIT.
     */
    private static Map<String, Double> settle(Contender c, Relay relay) throws Exception {
        if (relay.pid().isEmpty() || JitState.c2Yielded(relay.pid().getAsLong()).isEmpty()) {
            return Map.of();
        }
        long pid = relay.pid().getAsLong();
        Map<String, Double> m = new LinkedHashMap<>();
        long start = System.nanoTime();
        try (LatencyProbe probe = new LatencyProbe()) {
            probe.connect(relay.address(), STREAMS);
            List<String> windows = new ArrayList<>();
            while (!JitState.c2Yielded(pid).orElse(true) && (System.nanoTime() - start) / 1_000_000 < SETTLE_MAX_MS) {
                double p99 = LatencyProbe.quantile(probe.run(RATE, SETTLE_WINDOW_MS), 0.99) / 1e3;
                m.putIfAbsent(COLD_P99, p99);
                windows.add(Table.num(p99));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            m.put(WARM_UP, seconds);
            BenchContext.log("  %s %s: %s after %.0f s; p99 µs of each 10 s window meanwhile: %s", NAME, c.name(),
                    JitState.c2Yielded(pid).orElse(false) ? "JIT settled (C2 yielded)" : "JIT still compiling",
                    seconds, String.join(", ", windows));
        }
        StartedRelays.awaitQuiet(relay);
        return m;
    }

    private static String scenario() {
        return RATE + " stanzas/s";
    }

    @Override
    public ComparisonReport report(Results r) {
        Table t = new Table(List.of("contender", "p50 µs", "p99 µs", "p99.9 µs", "added p50 µs", "added p99 µs",
                "unanswered", COLD_P99, WARM_UP, "rounds"));
        String s = scenario();
        OptionalDouble d50 = r.median(NAME, s, "direct", P50);
        OptionalDouble d99 = r.median(NAME, s, "direct", P99);
        for (String c : r.contenders(NAME)) {
            OptionalDouble p50 = r.median(NAME, s, c, P50);
            OptionalDouble p99 = r.median(NAME, s, c, P99);
            t.row(List.of(c, cell(p50), cell(p99), cell(r.median(NAME, s, c, P999)), diff(p50, d50), diff(p99, d99),
                    cell(r.median(NAME, s, c, "unanswered")), cell(r.median(NAME, s, c, COLD_P99)),
                    cell(r.median(NAME, s, c, WARM_UP)), String.valueOf(r.rounds(NAME, s, c))));
        }
        List<TargetCheck> targets = new ArrayList<>();
        String target = "xmppscope p99 ≤ 1 ms over direct at 1,000 stanzas/s";
        OptionalDouble x99 = r.median(NAME, s, "xmppscope", P99);
        if (x99.isPresent() && d99.isPresent()) {
            double added = x99.getAsDouble() - d99.getAsDouble();
            // beside it, what haproxy and the relay's own layers added in the same run
            List<String> others = new ArrayList<>();
            for (String c : List.of("haproxy", Xmppscope.RECORDING_ONLY, Xmppscope.RELAY_ONLY)) {
                r.median(NAME, s, c, P99).ifPresent(p99 -> others.add(c.replace("xmppscope (", "").replace(")", "")
                        + ": " + signed(p99 - d99.getAsDouble()) + " µs"));
            }
            String measured = signed(added) + " µs" + (others.isEmpty() ? "" : " (" + String.join("; ", others) + ")");
            targets.add(TargetCheck.of(target, measured, added <= 1000));
        } else {
            targets.add(TargetCheck.notMeasured(target, "xmppscope or direct not measured"));
        }
        return new ComparisonReport(NAME, title(), t, targets, """
                %d client streams send XEP-0199 pings (`<iq type='get'><ping xmlns='urn:xmpp:ping'/></iq>`, \
                ~85 bytes) round-robin at a steady %,d stanzas/s in total; the sink answers each with its \
                `<iq type='result'/>`. Round trip = from just before the write to the read of the result, \
                on the load generator's event loop. Each contender's relay is started once and serves every \
                round, as a proxy in service stays up. A JVM relay first serves this load until its JIT has \
                settled, as a proxy in service has: xmppscope moves its C2 compiler to background priority \
                once the relay's code has run and C2 is calm (at this rate after about a minute; C2 compiles \
                for minutes, in bursts of milliseconds that a relay thread waking on the same core waits \
                behind); "first 10 s p99 µs" is the relay cold, "warm-up s" how long it served before the \
                rounds (at most 240 s; each 10 s window's p99 is in the log). Each round opens fresh client \
                streams, runs 5 s of warm-up, then 10,000 round trips, and the next waits until the relay's \
                process is idle. The table shows the median over rounds of each percentile; \
                "added" = contender − direct. "xmppscope (recording only)" records without the live analysis, \
                "xmppscope (relay only, nothing stored)" drops its tap's records: what the JVM relay's own tail is, \
                before recording and analysis add to it."""
                .formatted(STREAMS, RATE));
    }

    private static String signed(double v) {
        return (v >= 0 ? "+" : "") + Table.num(v);
    }

    private static String cell(OptionalDouble v) {
        return v.isPresent() ? Table.num(v.getAsDouble()) : "n/a";
    }

    private static String diff(OptionalDouble v, OptionalDouble ref) {
        if (v.isEmpty() || ref.isEmpty()) {
            return "n/a";
        }
        double d = v.getAsDouble() - ref.getAsDouble();
        return (d >= 0 ? "+" : "") + Table.num(d);
    }
}
