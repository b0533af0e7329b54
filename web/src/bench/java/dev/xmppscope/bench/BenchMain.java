package dev.xmppscope.bench;

import dev.xmppscope.bench.report.BenchmarksDoc;
import dev.xmppscope.bench.report.ComparisonReport;
import dev.xmppscope.bench.report.MachineInfo;
import dev.xmppscope.bench.report.Results;
import dev.xmppscope.bench.report.ResultsFiles;
import dev.xmppscope.bench.report.TargetCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark runner behind {@code ./bench}: runs issue 6's comparisons side by side,
 * prints medians and ratios, writes results files and the tables in BENCHMARKS.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs xmppscope side by side with direct TCP, haproxy, socat, tshark and raw Woodstox.",
                "Loopback only (a random 127.X.Y.0/24 block), bounded in count and time."})
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--quick", description = "A ~30 s smoke run: tiny scenarios, one round; BENCHMARKS.md is left alone.")
    boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "NAME",
            description = "Run only these comparisons: ${COMPLETION-CANDIDATES}.", completionCandidates = Names.class)
    List<String> only = new ArrayList<>();

    @Option(names = "--rounds", description = "Rounds per comparison (default: 3, or 1 with --quick).")
    Integer rounds;

    @Option(names = "--out", description = "Where results.json and results.csv go (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("web/target/bench");

    @Option(names = "--doc", description = "The Markdown file whose tables a full run rewrites (default: ${DEFAULT-VALUE}).")
    Path doc = Path.of("BENCHMARKS.md");

    @Option(names = "--profile", description = "Record JFR profiles of every xmppscope JVM (and of this runner) "
            + "into OUT/profiles and print where the CPU time went.")
    boolean profile;

    private final String[] args;

    BenchMain(String[] args) {
        this.args = args;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain(args)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (String name : only) {
            if (!Comparisons.NAMES.contains(name)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "unknown comparison '" + name + "' (expected one of " + String.join(", ", Comparisons.NAMES) + ")");
            }
        }
        String command = ("./bench " + String.join(" ", args)).trim();
        System.setProperty("bench.quick", String.valueOf(quick));
        MachineInfo machine = MachineInfo.detect();
        Results results = new Results();
        Path work = out.resolve("work");
        Files.createDirectories(work);
        BenchContext ctx = new BenchContext(quick, rounds != null ? rounds : quick ? 1 : 3, work, results);
        BenchContext.log("xmppscope benchmarks on %s", machine.describe());
        BenchContext.log("loopback block %s, rounds %d%s", ctx.loopback().host(0).getHostAddress(), ctx.rounds(),
                quick ? " (quick smoke run: numbers are not meaningful)" : "");

        Path profiles = out.resolve("profiles").toAbsolutePath();
        jdk.jfr.Recording self = null;
        if (profile) {
            Files.createDirectories(profiles);
            try (var old = Files.list(profiles)) {
                for (Path p : old.filter(p -> p.toString().endsWith(".jfr")).toList()) {
                    Files.delete(p);
                }
            }
            System.setProperty("bench.jfr", profiles.toString());
            self = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            self.setDestination(profiles.resolve("runner.jfr"));
            self.start();
        }
        List<ComparisonReport> reports = new ArrayList<>();
        for (Comparison c : Comparisons.all(work)) {
            if (!only.isEmpty() && !only.contains(c.name())) {
                continue;
            }
            BenchContext.log("== %s", c.title());
            long t0 = System.nanoTime();
            try {
                c.run(ctx);
            } catch (Exception e) {
                results.failed(c.name() + ": " + e);
                BenchContext.log("%s FAILED: %s", c.name(), e);
            }
            BenchContext.log("   (%s took %.0f s)", c.name(), (System.nanoTime() - t0) / 1e9);
            reports.add(c.report(results));
        }

        if (self != null) {
            self.stop();
            self.close();
        }
        StringBuilder console = new StringBuilder("\n");
        if (profile) {
            console.append(dev.xmppscope.bench.report.JfrSummary.summarizeAll(profiles, 15)).append('\n');
        }
        for (ComparisonReport r : reports) {
            console.append("## ").append(r.title()).append("\n\n").append(r.table().toConsole()).append('\n');
            for (TargetCheck t : r.targets()) {
                console.append(String.format("  target: %-60s measured: %-28s %s%n", t.target(), t.measured(), t.verdict()));
            }
            console.append('\n');
        }
        results.failures().forEach(f -> console.append("FAILED: ").append(f).append('\n'));
        console.append("machine: ").append(machine.describe()).append('\n');
        console.append("reproduce: ").append(command).append('\n');
        System.out.print(console);

        ResultsFiles.write(out, machine, command, results, reports);
        System.out.println("results: " + out.resolve("results.json") + ", " + out.resolve("results.csv"));
        if (!quick) {
            for (ComparisonReport r : reports) {
                BenchmarksDoc.update(doc, machine, command, r);
            }
            ResultsFiles.updateDocCopy(doc.resolveSibling(doc.getFileName().toString().replaceAll("\\.md$", "") + ".json"),
                    machine, command, results, reports);
            System.out.println("updated " + doc);
        }
        if (!results.failures().isEmpty()) {
            // the numbers are never judged, but a comparison that cannot run has rotted: CI's smoke run must say so
            System.err.printf("%d comparison(s) failed to run (FAILED above)%n", results.failures().size());
            return 1;
        }
        return 0;
    }

    /** Completion candidates for --only. */
    static final class Names extends ArrayList<String> {
        Names() {
            super(Comparisons.NAMES);
        }
    }
}
