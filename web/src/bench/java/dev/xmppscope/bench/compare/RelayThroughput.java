package dev.xmppscope.bench.compare;

import com.sun.nio.file.ExtendedOpenOption;
import dev.xmppscope.bench.BenchContext;
import dev.xmppscope.bench.Comparison;
import dev.xmppscope.bench.load.LoadGenerator;
import dev.xmppscope.bench.load.StanzaCorpus;
import dev.xmppscope.bench.load.XmppSink;
import dev.xmppscope.bench.relay.Contender;
import dev.xmppscope.bench.relay.JitState;
import dev.xmppscope.bench.relay.Relay;
import dev.xmppscope.bench.relay.Xmppscope;
import dev.xmppscope.bench.report.ComparisonReport;
import dev.xmppscope.bench.report.Results;
import dev.xmppscope.bench.report.Table;
import dev.xmppscope.bench.report.TargetCheck;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Comparison 1: stanzas/s and MB/s a relay carries from N client streams to the sink, for
 * direct, haproxy, socat and xmppscope (recording and analyzing live).
 */
public final class RelayThroughput implements Comparison {
    static final String NAME = "throughput";
    private static final String STANZAS = "stanzas/s";
    private static final String MBS = "MB/s";
    private static final String CPU_SHARE = "relay cores";
    private static final String PER_CPU = "stanzas/CPU-s";
    private static final String RSS = "relay RSS MB";
    private static final String WARM_UP = "warm-up s";
    private static final String DISK = "disk write (no relay)";
    /**
     * A recording xmppscope reaches its steady rate 8 to 12 s after its start (its heap grows
     * into fresh pages, which are expensive in a VM), haproxy after about 3 s: a shorter warm-up
     * measured xmppscope's ramp, not the proxy in service.
     */
    private static final long WARMUP_MS = 12_000;
    /**
     * A JVM relay then carries the load on until its JIT has settled (its C2 compiler yielded, see
     * JitYield), for at most this long: under saturation C2 went on compiling the recording's
     * paths for 30 to 45 s, and 12 s in it still held a fifth to a quarter of the relay's CPU
     * (perf, 100 connections), which a proxy in service does not spend.
     */
    private static final long SETTLE_MAX_MS = 90_000;
    private static final long MEASURE_MS = 3000;
    /** The disk probe writes at most this much. */
    private static final long DISK_PROBE_CAP = 6L << 30;
    /** The disk needs no warming up, only the probe's own code. */
    private static final long DISK_WARMUP_MS = 1000;

    private final List<Contender> contenders;
    private final StanzaCorpus corpus = StanzaCorpus.build(1 << 20);

    public RelayThroughput(List<Contender> contenders) {
        this.contenders = contenders;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "1. Relay throughput";
    }

    private static int[] connectionCounts(boolean quick) {
        return quick ? new int[]{1, 100} : new int[]{1, 100, 1000};
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        // a long-running proxy is measured warm: C2 keeps compiling for seconds after the start
        long warmup = ctx.quick() ? 300 : WARMUP_MS;
        long measure = ctx.quick() ? 700 : MEASURE_MS;
        for (int round = 1; round <= ctx.rounds(); round++) {
            measureDisk(ctx, round, Math.min(warmup, DISK_WARMUP_MS), measure);
            for (int connections : connectionCounts(ctx.quick())) {
                for (Contender c : BenchContext.alternate(contenders, round)) {
                    try {
                        measureOne(ctx, c, connections, round, warmup, measure);
                    } catch (Exception e) {
                        ctx.results().failed(NAME + " " + c.name() + " @" + connections + ": " + e.getMessage());
                        BenchContext.log("  %s %s @%d connections FAILED: %s", NAME, c.name(), connections, e);
                    }
                }
            }
        }
    }

    private void measureOne(BenchContext ctx, Contender c, int connections, int round, long warmup, long measure)
            throws Exception {
        try (XmppSink sink = XmppSink.start(ctx.loopback().host(1), XmppSink.Mode.COUNT, 1);
             Relay relay = c.start(sink.address(), ctx.workDir().resolve(NAME + "-" + c.name().replaceAll("[^a-z0-9]+", "-")
                     + "-" + connections + "-r" + round));
             LoadGenerator gen = new LoadGenerator(1, corpus)) {
            gen.connect(relay.address(), connections, 256, 60_000);
            gen.start(0);
            long started = System.nanoTime();
            Thread.sleep(warmup);
            boolean jit = !ctx.quick() && awaitJitSettled(relay, started);
            double warmedUp = (System.nanoTime() - started) / 1e9;
            long b0 = sink.bytesReceived();
            long t0 = System.nanoTime();
            java.util.OptionalLong cpu0 = relay.cpuNanos();
            Thread.sleep(measure);
            long b1 = sink.bytesReceived();
            long t1 = System.nanoTime();
            java.util.OptionalLong cpu1 = relay.cpuNanos();
            java.util.OptionalLong rss = relay.rssBytes();
            gen.stop();
            double seconds = (t1 - t0) / 1e9;
            double bytesPerSecond = (b1 - b0) / seconds;
            Map<String, Double> m = new java.util.LinkedHashMap<>();
            m.put(STANZAS, bytesPerSecond / corpus.bytesPerStanza());
            m.put(MBS, bytesPerSecond / 1e6);
            if (c.cpuMeasurable() && cpu0.isPresent() && cpu1.isPresent() && cpu1.getAsLong() > cpu0.getAsLong()) {
                double cpuSeconds = (cpu1.getAsLong() - cpu0.getAsLong()) / 1e9;
                m.put(CPU_SHARE, cpuSeconds / seconds);
                m.put(PER_CPU, (b1 - b0) / corpus.bytesPerStanza() / cpuSeconds);
            }
            if (c.cpuMeasurable() && rss.isPresent()) {
                m.put(RSS, rss.getAsLong() / 1e6);
            }
            if (jit) {
                m.put(WARM_UP, warmedUp);
            }
            ctx.record(NAME, scenario(connections), c.name(), round, m);
            gen.closeAll();
            sink.awaitOpenAtMost(0, ctx.quick() ? 2_000 : 10_000);
        }
    }

    /**
     * Waits until a JVM relay's C2 compiler has yielded, at most until {@link #SETTLE_MAX_MS}
     * after {@code started}; false for a relay without a JIT (nothing waited for).
     */
    private static boolean awaitJitSettled(Relay relay, long started) throws InterruptedException {
        if (relay.pid().isEmpty() || JitState.c2Yielded(relay.pid().getAsLong()).isEmpty()) {
            return false;
        }
        long pid = relay.pid().getAsLong();
        while (!JitState.c2Yielded(pid).orElse(true) && (System.nanoTime() - started) / 1_000_000 < SETTLE_MAX_MS) {
            Thread.sleep(250);
        }
        if (!JitState.c2Yielded(pid).orElse(false)) {
            BenchContext.log("  %s: the JIT was still compiling after %d s; measured anyway", NAME, SETTLE_MAX_MS / 1000);
        }
        return true;
    }

    /**
     * The ceiling recording runs into: sequential writes to the directory captures go to, as the
     * payload file makes them (1 MiB aligned requests bypassing the page cache, where the file
     * system allows it), timed like a relay (warm-up, then the measured window), shown as a row
     * of its own.
     */
    private void measureDisk(BenchContext ctx, int round, long warmup, long measure) throws IOException {
        Path file = ctx.workDir().resolve("disk-probe-r" + round);
        ByteBuffer block = ByteBuffer.allocateDirect(2 << 20).alignedSlice(1 << 20).limit(1 << 20).slice();
        Files.deleteIfExists(file);
        Files.createFile(file);
        try (FileChannel ch = openDirect(file)) {
            long start = System.nanoTime();
            long t0 = start + warmup * 1_000_000L;
            long end = t0 + measure * 1_000_000L;
            long written = 0;
            long atT0 = -1;
            long now;
            while ((now = System.nanoTime()) < end && written < DISK_PROBE_CAP) {
                if (atT0 < 0 && now >= t0) {
                    atT0 = written;
                }
                block.clear();
                written += ch.write(block);
            }
            double seconds = (now - (atT0 < 0 ? start : t0)) / 1e9;
            double bytesPerSecond = (written - Math.max(0, atT0)) / seconds;
            for (int connections : connectionCounts(ctx.quick())) {
                ctx.record(NAME, scenario(connections), DISK, round,
                        Map.of(STANZAS, bytesPerSecond / corpus.bytesPerStanza(), MBS, bytesPerSecond / 1e6));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Opened as the payload file is: direct I/O, else (a file system that refuses it) through the page cache. */
    private static FileChannel openDirect(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            BenchContext.log("  the disk probe writes through the page cache: %s refuses direct I/O (%s)", file.getParent(), e);
            return FileChannel.open(file, StandardOpenOption.WRITE);
        }
    }

    private static String scenario(int connections) {
        return connections + (connections == 1 ? " connection" : " connections");
    }

    @Override
    public ComparisonReport report(Results r) {
        Table t = new Table(List.of("connections", "contender", "stanzas/s", "MB/s", "vs direct", "vs haproxy",
                "relay cores", "stanzas/CPU-s", "CPU-s vs haproxy", RSS, WARM_UP, "rounds"));
        List<TargetCheck> targets = new ArrayList<>();
        for (String scenario : r.scenarios(NAME)) {
            OptionalDouble direct = r.median(NAME, scenario, "direct", STANZAS);
            OptionalDouble haproxy = r.median(NAME, scenario, "haproxy", STANZAS);
            OptionalDouble haproxyPerCpu = r.median(NAME, scenario, "haproxy", PER_CPU);
            for (String c : r.contenders(NAME)) {
                OptionalDouble s = r.median(NAME, scenario, c, STANZAS);
                if (s.isEmpty()) {
                    continue;
                }
                t.row(List.of(scenario, c, Table.num(s.getAsDouble()),
                        Table.num(r.median(NAME, scenario, c, MBS).orElse(Double.NaN)),
                        Ratios.percentOf(s, direct), Ratios.percentOf(s, haproxy),
                        Table.num(r.median(NAME, scenario, c, CPU_SHARE).orElse(Double.NaN)),
                        Table.num(r.median(NAME, scenario, c, PER_CPU).orElse(Double.NaN)),
                        Ratios.percentOf(r.median(NAME, scenario, c, PER_CPU), haproxyPerCpu),
                        Table.num(r.median(NAME, scenario, c, RSS).orElse(Double.NaN)),
                        Table.num(r.median(NAME, scenario, c, WARM_UP).orElse(Double.NaN)),
                        String.valueOf(r.rounds(NAME, scenario, c))));
            }
            String target = "xmppscope ≥ 80% of haproxy's stanzas/s at " + scenario;
            OptionalDouble x = r.median(NAME, scenario, "xmppscope", STANZAS);
            if (x.isPresent() && haproxy.isPresent()) {
                double ratio = x.getAsDouble() / haproxy.getAsDouble();
                targets.add(TargetCheck.of(target, Table.percent(ratio) + " of haproxy (per CPU-second: "
                        + Ratios.percentOf(r.median(NAME, scenario, "xmppscope", PER_CPU), haproxyPerCpu) + "; recording without the live analysis: "
                        + Ratios.percentOf(r.median(NAME, scenario, Xmppscope.RECORDING_ONLY, STANZAS), haproxy) + ", no secret masked: "
                        + Ratios.percentOf(r.median(NAME, scenario, Xmppscope.KEEPING_SECRETS, STANZAS), haproxy) + ", the disk alone allows "
                        + Ratios.percentOf(r.median(NAME, scenario, DISK, STANZAS), haproxy) + ", tmpfs: "
                        + Ratios.percentOf(r.median(NAME, scenario, "xmppscope (tmpfs)", STANZAS), haproxy) + ", the relay storing nothing: "
                        + Ratios.percentOf(r.median(NAME, scenario, Xmppscope.RELAY_ONLY, STANZAS), haproxy) + ")", ratio >= 0.8));
            } else {
                targets.add(TargetCheck.notMeasured(target, x.isEmpty() ? "xmppscope not measured" : "haproxy not measured"));
            }
        }
        return new ComparisonReport(NAME, title(), t, targets, """
                Each client stream sends its stream header, then cycles a 1 MiB block of whole stanzas \
                (%d stanzas, %.0f bytes on average: 70%% messages with chat states, receipts, markers and \
                origin-id; 20%% presences with caps and idle; 10%% IQs: PEP avatar publish, disco#info, roster) \
                as fast as the relay takes them (TCP backpressure, 16 KiB writes). The sink answers each header \
                and counts bytes; stanzas/s = bytes/s ÷ average stanza size. At least %d s of warm-up (a recording \
                xmppscope reaches its steady rate 8 to 12 s after its start, haproxy after about 3); a JVM relay \
                then carries the load on until its JIT has settled, as a proxy in service has (its C2 compiler \
                yielded, see the latency block; at most %d s): under saturation C2 compiles the recording's \
                paths for 30 to 45 s, and 12 s in it still held a fifth of the relay's CPU. "warm-up s" is how \
                long the load ran before the measure. Then %d s measured, median of the rounds; contenders \
                alternate within each round. xmppscope records every byte (payload file + H2) and analyzes \
                live in its worker JVM at background priority (SCHED_IDLE); under saturation the live analysis \
                pauses (the recording takes in more than it can follow) and catches up from the store once the \
                traffic eases, instead of slowing the relay. "xmppscope (recording only)" records without the \
                live analysis: what it costs is the difference. "xmppscope (--keep-secrets)" records and \
                analyzes with no secret masked (the redactor, which reads every recorded byte on the event \
                loops, is off): what masking secrets costs is the difference. "xmppscope (tmpfs)" records into \
                /dev/shm, "disk write (no relay)" is a plain sequential write to the capture's disk as the \
                payload file writes (1 MiB requests, O_DIRECT), timed the same way after 1 s: recording \
                cannot be faster than the disk, and that row is the ceiling. \
                "xmppscope (relay only, nothing stored)" is the same relay with its tap's records dropped (each \
                chunk still copied, nothing redacted, stored or analyzed): what relaying in the JVM costs by \
                itself, and so what recording adds on top. "relay cores" \
                = CPU time of the relay process tree (/proc utime+stime) ÷ wall time (for xmppscope it \
                includes the analysis worker using idle CPU); "stanzas/CPU-s" = stanzas relayed per \
                CPU-second of the relay; "relay RSS MB" = resident memory of the relay process tree (for \
                xmppscope, with its worker) at the end of the measured window.""".formatted(corpus.stanzaCount(), corpus.bytesPerStanza(),
                WARMUP_MS / 1000, SETTLE_MAX_MS / 1000, MEASURE_MS / 1000));
    }
}
