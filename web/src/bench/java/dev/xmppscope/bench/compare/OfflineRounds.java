package dev.xmppscope.bench.compare;

import dev.xmppscope.bench.BenchContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rounds for the offline comparisons (analysis, pcap): contenders alternate; in a full run the
 * first round warms the JIT and is dropped, unless a contender's run took so long that it warmed
 * up within it; a contender whose single run exceeds the time budget is not run again, so one
 * slow contender cannot stretch the suite without bound (its rounds column shows it).
 */
final class OfflineRounds {
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
        int rounds = ctx.rounds() + (ctx.quick() ? 0 : 1);
        Set<String> done = new HashSet<>();
        java.util.Map<String, Integer> recorded = new java.util.HashMap<>();
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
                    double seconds = m.getOrDefault("seconds", 0.0);
                    boolean warmUp = !ctx.quick() && round == 1 && seconds < 10;
                    if (warmUp) {
                        BenchContext.log("  %s warm-up: %.2f s", n, seconds);
                    } else {
                        int k = recorded.merge(n, 1, Integer::sum);
                        ctx.record(comparison, scenario, n, k, m);
                    }
                    if (seconds > budget) {
                        done.add(n);
                        BenchContext.log("  %s took %.0f s, over the %.0f s budget: no more rounds for it", n, seconds, budget);
                    }
                } catch (Exception e) {
                    done.add(n);
                    ctx.results().failed(comparison + " " + n + ": " + e);
                    BenchContext.log("  %s %s FAILED: %s", comparison, n, e);
                }
            }
        }
    }
}
