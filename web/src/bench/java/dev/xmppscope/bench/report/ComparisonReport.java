package dev.xmppscope.bench.report;

import java.util.List;

/**
 * What one comparison says after a run: its table of medians and ratios, its targets, and
 * notes on how it was measured.
 */
public record ComparisonReport(String name, String title, Table table, List<TargetCheck> targets, String method) {
}
