package dev.xmppscope.bench;

import dev.xmppscope.bench.relay.Contender;
import dev.xmppscope.bench.relay.LoopbackPorts;
import dev.xmppscope.bench.report.Measurement;
import dev.xmppscope.bench.report.Results;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What every comparison shares in one run: size (quick or full), rounds, addresses, results. */
public final class BenchContext {
    private final boolean quick;
    private final int rounds;
    private final Path workDir;
    private final LoopbackPorts loopback = LoopbackPorts.randomBlock();
    private final Results results;

    public BenchContext(boolean quick, int rounds, Path workDir, Results results) {
        this.quick = quick;
        this.rounds = rounds;
        this.workDir = workDir;
        this.results = results;
    }

    /** A ~30 s smoke run: tiny scenarios, one round. */
    public boolean quick() {
        return quick;
    }

    public int rounds() {
        return rounds;
    }

    /** Scratch space for configs, capture databases, logs. */
    public Path workDir() {
        return workDir;
    }

    public LoopbackPorts loopback() {
        return loopback;
    }

    public Results results() {
        return results;
    }

    public void record(String comparison, String scenario, String contender, int round, Map<String, Double> metrics) {
        results.add(new Measurement(comparison, scenario, contender, round, metrics));
        log("  %-10s %-22s %-10s round %d: %s", comparison, scenario, contender, round, metrics);
    }

    /** Contenders in the order round {@code round} (1-based) runs them: rotated, so none always goes first. */
    public static List<Contender> alternate(List<Contender> contenders, int round) {
        List<Contender> out = new ArrayList<>(contenders);
        java.util.Collections.rotate(out, -((round - 1) % Math.max(1, out.size())));
        return out;
    }

    public static void log(String format, Object... args) {
        System.out.println("[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + String.format(format, args));
        System.out.flush();
    }
}
