package dev.xmppscope.bench.compare;

import dev.xmppscope.bench.BenchContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rounds for the offline comparisons (analysis, pcap). In a full run each contender first warms
 * up: it runs, unrecorded, until it has run for {@link #WARM_UP_SECONDS} (at most
 * {@link #MAX_WARM_UP_RUNS} runs), so that the rounds compare JIT-compiled code, not the compiler
 * (a first run in a fresh JVM is logged as "cold"). Then contenders alternate; a contender whose
 * single run exceeds the time budget is not run again, so one slow contender cannot stretch the
 * suite without bound (its rounds column shows it).
 *
 * <p>A full run takes at least {@link #MIN_ROUNDS} rounds here, whatever {@code --rounds} says:
 * a round is one run, of 0.05 to 2 s, where a relay comparison measures for seconds, and with 3
 * rounds the Woodstox ceiling alone moved between 221 and 264 MB/s from run to run.
 */
final class OfflineRounds {
    static final double WARM_UP_SECONDS = 8;
    static final int MAX_WARM_UP_RUNS = 20;
    static final int MIN_ROUNDS = 9;

    /** One timed run of one contender. */
    interface Run<C> {
        /** Runs {@code contender} once; returns the metrics to record (must include "seconds"). */
        Map<String, Double> measure(C contender, int round) throws Exception;
    }

    private OfflineRounds() {
    }

    static <C> void run(BenchContext ctx, String comparison, String scenario, List<C> contenders,
                        java.util.function.Function<C, String> name, Run<C> run) {
        double budget = ctx.quick() ? 10 : 60;
        Set<String> done = new HashSet<>();
        if (!ctx.quick()) {
            for (C c : contenders) {
                warmUp(ctx, comparison, c, name.apply(c), run, budget, done);
            }
        }
        java.util.Map<String, Integer> recorded = new java.util.HashMap<>();
        int rounds = ctx.quick() ? ctx.rounds() : Math.max(ctx.rounds(), MIN_ROUNDS);
        for (int round = 1; round <= rounds; round++) {
            List<C> order = new ArrayList<>(contenders);
            Collections.rotate(order, -((round - 1) % order.size()));
            for (C c : order) {
                String n = name.apply(c);
                if (done.contains(n)) {
                    continue;
                }
                try {
                    Map<String, Double> m = run.measure(c, round);
                    int k = recorded.merge(n, 1, Integer::sum);
                    ctx.record(comparison, scenario, n, k, m);
                    overBudget(m.getOrDefault("seconds", 0.0), budget, n, done);
                } catch (Exception e) {
                    failed(ctx, comparison, n, e, done);
                }
            }
        }
    }

    private static <C> void warmUp(BenchContext ctx, String comparison, C c, String n, Run<C> run, double budget,
                                   Set<String> done) {
        double total = 0;
        for (int i = 0; i < MAX_WARM_UP_RUNS && total < WARM_UP_SECONDS && !done.contains(n); i++) {
            try {
                double seconds = run.measure(c, 0).getOrDefault("seconds", 0.0);
                total += seconds;
                BenchContext.log("  %s warm-up %d%s: %.2f s", n, i + 1, i == 0 ? " (cold)" : "", seconds);
                overBudget(seconds, budget, n, done);
            } catch (Exception e) {
                failed(ctx, comparison, n, e, done);
            }
        }
    }

    private static void overBudget(double seconds, double budget, String n, Set<String> done) {
        if (seconds > budget) {
            done.add(n);
            BenchContext.log("  %s took %.0f s, over the %.0f s budget: no more rounds for it", n, seconds, budget);
        }
    }

    private static void failed(BenchContext ctx, String comparison, String n, Exception e, Set<String> done) {
        done.add(n);
        ctx.results().failed(comparison + " " + n + ": " + e);
        BenchContext.log("  %s %s FAILED: %s", comparison, n, e);
    }
}
