package dev.xmppscope.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One contender measured once in one case of a comparison.
 *
 * @param comparison e.g. "throughput"
 * @param scenario   e.g. "1000 connections"
 * @param contender  e.g. "haproxy"
 * @param round      1-based round number
 * @param metrics    name → value, in the order they are shown (e.g. "stanzas/s", "MB/s")
 */
public record Measurement(String comparison, String scenario, String contender, int round, Map<String, Double> metrics) {
    public Measurement {
        metrics = new LinkedHashMap<>(metrics);
    }
}
