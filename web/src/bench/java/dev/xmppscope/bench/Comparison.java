package dev.xmppscope.bench;

import dev.xmppscope.bench.report.ComparisonReport;
import dev.xmppscope.bench.report.Results;

/** One of issue 6's comparisons: runs its contenders side by side and reports medians and targets. */
public interface Comparison {

    /** Short name for --only and the result files: throughput, latency, idle, analysis, pcap, realserver. */
    String name();

    /** Heading in BENCHMARKS.md. */
    String title();

    /** Measures every contender in every scenario, alternating contenders within each round. */
    void run(BenchContext ctx) throws Exception;

    /** The table of medians and ratios and the target verdicts, from what {@link #run} measured. */
    ComparisonReport report(Results results);
}
