package dev.xmppscope.bench.compare;

import dev.xmppscope.bench.BenchContext;
import dev.xmppscope.bench.Comparison;
import dev.xmppscope.bench.load.PcapWriter;
import dev.xmppscope.bench.load.StanzaCorpus;
import dev.xmppscope.bench.load.SyntheticCapture;
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

    /** {@code xmppscope}: the pcap importer + analyzer, or null while the importer is not in this build. */
    public PcapAnalysis(PcapContender xmppscope) {
        if (xmppscope != null) {
            contenders.add(xmppscope);
        }
        contenders.add(new PcapContender() {
            @Override
            public String name() {
                return TSHARK;
            }

            @Override
            public long analyze(Path pcap) throws IOException, InterruptedException {
                return tshark(pcap);
            }
        });
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

    private static long tshark(Path pcap) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(tsharkCommand(pcap)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long lines = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            while (r.readLine() != null) {
                lines++;
            }
        }
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException("tshark exited with " + code + " on " + pcap + " (run .ci/install-deps)");
        }
        return lines;
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        capture = SyntheticCapture.build(StanzaCorpus.build(1 << 20), ctx.quick() ? 2 : 8, ctx.quick() ? 1_000_000 : 16_000_000);
        Path pcap = ctx.workDir().resolve("pcap-capture.pcap");
        PcapWriter.write(capture, pcap);
        fileBytes = Files.size(pcap);
        BenchContext.log("  pcap: %,d bytes, %d streams, %,d stanzas: %s", fileBytes, capture.streams().size(),
                capture.stanzas(), pcap);
        int rounds = ctx.rounds() + (ctx.quick() ? 0 : 1);
        for (int round = 1; round <= rounds; round++) {
            List<PcapContender> order = new ArrayList<>(contenders);
            java.util.Collections.rotate(order, -((round - 1) % order.size()));
            for (PcapContender c : order) {
                try {
                    long t0 = System.nanoTime();
                    long records = c.analyze(pcap);
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (!ctx.quick() && round == 1) {
                        BenchContext.log("  %s warm-up: %.2f s, %,d records", c.name(), s, records);
                        continue;
                    }
                    ctx.record(NAME, scenario(), c.name(), ctx.quick() ? round : round - 1, Map.of(
                            MBS, fileBytes / s / 1e6, STANZAS, capture.stanzas() / s, "seconds", s, "records", (double) records));
                } catch (Exception e) {
                    ctx.results().failed(NAME + " " + c.name() + ": " + e);
                    BenchContext.log("  %s %s FAILED: %s", NAME, c.name(), e);
                }
            }
        }
    }

    private String scenario() {
        return capture == null ? "pcap" : String.format("%.0f MB pcap", fileBytes / 1e6);
    }

    @Override
    public ComparisonReport report(Results r) {
        Table t = new Table(List.of("contender", "MB/s", "stanzas/s", "seconds", "records out", "vs tshark", "rounds"));
        String s = r.scenarios(NAME).stream().findFirst().orElse(scenario());
        OptionalDouble tshark = r.median(NAME, s, TSHARK, MBS);
        for (String c : r.contenders(NAME)) {
            OptionalDouble mbs = r.median(NAME, s, c, MBS);
            t.row(List.of(c, Table.num(mbs.orElse(Double.NaN)), Table.num(r.median(NAME, s, c, STANZAS).orElse(Double.NaN)),
                    Table.num(r.median(NAME, s, c, "seconds").orElse(Double.NaN)),
                    Table.num(r.median(NAME, s, c, "records").orElse(Double.NaN)), Ratios.times(mbs, tshark),
                    String.valueOf(r.rounds(NAME, s, c))));
        }
        List<TargetCheck> targets = new ArrayList<>();
        OptionalDouble x = r.median(NAME, s, XMPPSCOPE, MBS);
        String target = "xmppscope pcap analysis ≥ 10x tshark's rate";
        if (x.isPresent() && tshark.isPresent()) {
            double ratio = x.getAsDouble() / tshark.getAsDouble();
            targets.add(TargetCheck.of(target, Table.num(ratio) + "x tshark", ratio >= 10));
        } else {
            targets.add(TargetCheck.notMeasured(target, "xmppscope's pcap importer not available in this build"));
        }
        String size = capture == null ? "" : String.format(" (%d c2s streams to port 5222, %,d bytes, %,d stanzas)",
                capture.streams().size(), fileBytes, capture.stanzas());
        return new ComparisonReport(NAME, title(), t, targets, """
                One pcap%s written from a synthetic capture like comparison 4's: full TCP conversations \
                (handshake, data segments of 1 B–16 KiB, FINs) over Ethernet/IPv4. *tshark*: `%s` (wall \
                time of the process, output read and counted). *xmppscope*: the pcap importer \
                (`dev.xmppscope.capture.pcap`) reassembling the TCP streams into chunks and feeding a fresh \
                Analyzer. Rates are file bytes and capture stanzas per second. One warm-up round dropped."""
                .formatted(size, String.join(" ", tsharkCommand(Path.of("FILE")))));
    }
}
