package dev.xmppscope.bench.report;

/**
 * A target from issue 6 and what this run measured against it.
 *
 * @param target   the target as written in the issue, e.g. "throughput ≥ 80% of haproxy at 100 connections"
 * @param measured the measured figure in words, e.g. "63% of haproxy"
 * @param verdict  HOLDS, MISSES, or NOT_MEASURED (with the reason in measured)
 */
public record TargetCheck(String target, String measured, Verdict verdict) {
    /** Whether a target held in this run. */
    public enum Verdict { HOLDS, MISSES, NOT_MEASURED }

    public static TargetCheck of(String target, String measured, boolean holds) {
        return new TargetCheck(target, measured, holds ? Verdict.HOLDS : Verdict.MISSES);
    }

    public static TargetCheck notMeasured(String target, String why) {
        return new TargetCheck(target, why, Verdict.NOT_MEASURED);
    }
}
