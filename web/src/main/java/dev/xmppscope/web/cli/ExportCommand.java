package dev.xmppscope.web.cli;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.GraphExport;
import dev.xmppscope.analyzer.KeptModel;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.ConnectionSubset;
import dev.xmppscope.capture.FileTrees;
import dev.xmppscope.capture.file.CaptureFileFormat;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code xmppscope export}: a capture database to a file others can open. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {
                "Writes a capture database to one file; the file name's extension picks the format.",
                "",
                "  .xscap   xmppscope's own capture file (gzip'd JSON Lines, documented in",
                "           samples/FORMAT.md): every connection, every chunk with its",
                "           timestamp, every event; opens anywhere with 'xmppscope open FILE'",
                "           and merges into a database with 'xmppscope import'",
                "  .pcapng  for Wireshark/tshark: each connection as a TCP conversation on",
                "           port 5222 (c2s) or 5269 (s2s) carrying the XMPP as the peers wrote",
                "           it (decrypted when TLS was intercepted), both directions, real",
                "           timestamps. tshark: -d tcp.port==5269,xmpp",
                "  .gexf    the entity graph (servers, clients, c2s and s2s streams) for Gephi",
                "  .dot     the same graph for Graphviz (also .gv)",
                ""
        },
        footer = {
                "",
                "Examples:",
                "  # to share a capture, or open it on another machine",
                "  xmppscope export --db ~/captures/first --out first.xscap",
                "",
                "  # for Wireshark (tshark: -d tcp.port==5269,xmpp for s2s)",
                "  xmppscope export --db ~/captures/first --out first.pcapng",
                "",
                "  # to share one failing login, and nobody else's conversations",
                "  xmppscope export --db ~/captures/first --connection 3 --out login.xscap",
                "",
                "  # the federation graph as a picture",
                "  xmppscope export --db ~/captures/first --out mesh.dot",
                "  dot -Tsvg mesh.dot > mesh.svg"
        })
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--db", required = true, paramLabel = "PATH", description = "the capture database (what 'proxy --db' wrote)")
    Path db;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write; its extension picks the format")
    Path out;

    @Option(names = "--connection", split = ",", paramLabel = "ID",
            description = "only these connections (e.g. 3 or 3,5), numbered as 'xmppscope show' lists them")
    List<Long> connections = new ArrayList<>();

    @Option(names = "--title", paramLabel = "TEXT", description = "a title kept in the .xscap header")
    String title;

    @Option(names = "--progress", description = "draw a progress bar on stderr even when it is not a terminal")
    boolean progress;

    @Override
    public Integer call() {
        String lower = out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".gexf") || lower.endsWith(".dot") || lower.endsWith(".gv")) {
            return exportGraph();
        }
        CaptureFileFormat format = CaptureFileFormat.ofFileName(out);
        if (format == null || format == CaptureFileFormat.PCAP) {
            throw new IllegalArgumentException("cannot tell the export format from '" + out.getFileName()
                    + "': name the file .xscap (xmppscope), .pcapng (Wireshark), .gexf (Gephi) or .dot (Graphviz)");
        }
        requireDatabase();
        PrintWriter err = spec.commandLine().getErr();
        try (CaptureStore store = CaptureStore.open(db)) {
            LeftOpen.close(store).ifPresent(said -> err.println("xmppscope: " + said));
            Set<Long> only;
            try (CaptureReader reader = store.newReader()) {
                only = chosenConnections(reader);
            }
            // the total counts every connection's records: a bar for a few of them would end early
            ProgressBar bar = ProgressBar.onStderr("exporting " + out.getFileName(), only.isEmpty() ? CaptureFiles.recordCount(store)
                    : 0, "records", progress);
            Map<String, String> meta = new LinkedHashMap<>();
            if (title != null) {
                meta.put("title", title);
            }
            meta.put("source", CaptureStore.dataFile(db).getFileName().toString());
            if (!only.isEmpty()) {
                meta.put("connections", only.stream().map(String::valueOf).collect(Collectors.joining(",")));
            }
            long written = WholeFile.write(out, to -> CaptureFiles.export(store, to, meta, bar, only));
            err.println("xmppscope: wrote " + out + " (" + written + (format == CaptureFileFormat.PCAPNG ? " frames)" : " records)"));
        }
        return 0;
    }

    /**
     * The graph as the analyzer sees it at the end of the capture: from the analysis {@code open} or
     * {@code show} kept for it, while that answers for the capture as it is now, else analyzed in a
     * scratch database (the capture's own analysis file is left as it is).
     */
    private int exportGraph() {
        requireDatabase();
        PrintWriter err = spec.commandLine().getErr();
        try (CaptureStore store = CaptureStore.open(db).analyzeInForeground()) {
            LeftOpen.close(store).ifPresent(said -> err.println("xmppscope: " + said));
            Optional<KeptModel> kept = connections.isEmpty() ? CaptureOpening.keptIfCurrent(store) : Optional.empty();
            if (kept.isPresent()) {
                try (KeptModel model = kept.get()) {
                    writeGraph(model, err, ", from the analysis kept in " + store.analysisFile());
                }
            } else {
                exportAnalyzed(store, err);
            }
        }
        return 0;
    }

    /** Analyzes {@code store} (the connections chosen) in a scratch database, and writes its graph. */
    private void exportAnalyzed(CaptureStore store, PrintWriter err) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("xmppscope-graph");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        try (CaptureStore work = CaptureStore.open(scratch.resolve("analysis")).analyzeInForeground();
             Analyzer analyzer = Analyzer.open(work); CaptureReader reader = store.newReader()) {
            Set<Long> only = chosenConnections(reader);
            reader.replay(only.isEmpty() ? analyzer : new ConnectionSubset(only, analyzer));
            writeGraph(analyzer, err, "");
        } finally {
            try {
                FileTrees.delete(scratch);
            } catch (java.io.IOException e) {
                err.println("xmppscope: could not remove " + scratch + ": " + e.getMessage());
            }
        }
    }

    private void writeGraph(CaptureModel model, PrintWriter err, String from) {
        WholeFile.write(out, to -> {
            GraphExport.write(model, to);
            return null;
        });
        err.println("xmppscope: wrote " + out + " (" + model.graph().nodes().size() + " nodes, " + model.graph().edges().size()
                + " edges" + from + ")");
    }

    /** The connections --connection names (none: all of them), each checked to be in the capture {@code reader} reads. */
    private Set<Long> chosenConnections(CaptureReader reader) {
        if (connections.isEmpty()) {
            return Set.of();
        }
        Set<Long> known = reader.connections().stream().map(r -> r.opened().id()).collect(Collectors.toSet());
        for (long id : connections) {
            if (!known.contains(id)) {
                throw ConnectionIds.missing(id, db, known);
            }
        }
        return new TreeSet<>(connections);
    }

    private void requireDatabase() {
        if (!Files.exists(CaptureStore.dataFile(db))) {
            throw new IllegalArgumentException("there is no capture database at " + db + " (looked for "
                    + CaptureStore.dataFile(db) + ")");
        }
    }
}
