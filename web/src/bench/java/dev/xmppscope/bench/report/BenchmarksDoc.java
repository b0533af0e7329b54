package dev.xmppscope.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites the generated blocks of BENCHMARKS.md: one block per comparison between
 * {@code <!-- bench:NAME:start -->} and {@code <!-- bench:NAME:end -->}. A run replaces only the
 * blocks of the comparisons it ran, so {@code --only} keeps the others' last results.
 */
public final class BenchmarksDoc {
    private BenchmarksDoc() {
    }

    public static void update(Path file, MachineInfo machine, String command, ComparisonReport report) throws IOException {
        String doc = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
        String start = "<!-- bench:" + report.name() + ":start -->";
        String end = "<!-- bench:" + report.name() + ":end -->";
        String block = start + "\n" + render(machine, command, report) + end;
        int s = doc.indexOf(start);
        int e = doc.indexOf(end);
        if (s >= 0 && e > s) {
            doc = doc.substring(0, s) + block + doc.substring(e + end.length());
        } else {
            doc = doc.stripTrailing() + "\n\n## " + report.title() + "\n\n" + block + "\n";
        }
        Files.writeString(file, doc);
    }

    static String render(MachineInfo machine, String command, ComparisonReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("_Measured on ").append(machine.describe())
                .append(", with `").append(command).append("`._\n\n");
        sb.append(r.table().toMarkdown()).append('\n');
        if (!r.targets().isEmpty()) {
            sb.append("| target | measured | verdict |\n|---|---|---|\n");
            for (TargetCheck t : r.targets()) {
                sb.append("| ").append(t.target()).append(" | ").append(t.measured()).append(" | ")
                        .append(switch (t.verdict()) {
                            case HOLDS -> "holds";
                            case MISSES -> "**misses**";
                            case NOT_MEASURED -> "not measured";
                        }).append(" |\n");
            }
            sb.append('\n');
        }
        sb.append(r.method()).append('\n');
        return sb.toString();
    }
}
