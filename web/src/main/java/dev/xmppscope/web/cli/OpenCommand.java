package dev.xmppscope.web.cli;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.web.ModelSource;
import dev.xmppscope.web.WebOptions;
import dev.xmppscope.web.WebServer;
import dev.xmppscope.web.api.CaptureExportApi;
import dev.xmppscope.web.api.SessionDiffApi;
import dev.xmppscope.replay.ReplayDiffStore;
import dev.xmppscope.capture.file.CaptureFileException;
import dev.xmppscope.capture.file.CaptureFileFormat;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ImportResult;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.proxy.SecretMasking;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.stream.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code xmppscope open CAPTURE}: the same UI over a stored capture, nothing proxied. */
@Command(name = "open", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Analyzes a stored capture and serves it in the web UI: the federation graph, the stanza timeline, every stream's negotiation and each stanza's route, as they were when it was recorded.",
                "",
                "CAPTURE is a capture database - the PATH that 'xmppscope proxy --db PATH' recorded into (the file on disk is PATH.mv.db; either name works) - or a capture file: .xscap (from 'xmppscope export'), .pcap or .pcapng (Wireshark, tcpdump), imported into a temporary database first; a pcap's passwords are masked there as the proxy masks what it records, unless --keep-secrets.",
                ""
        },
        footer = {
                "",
                "Examples:",
                "  xmppscope open ~/.local/share/xmppscope/captures/capture-20261124-221500",
                "  xmppscope open lab.mv.db --web 127.0.0.1:9090",
                "  xmppscope open federation.xscap",
                "  xmppscope open tcpdump-5222.pcapng"
        })
final class OpenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CAPTURE", description = "The capture database (or .xscap, .pcap, .pcapng file) to open.")
    Path capture;

    @Option(names = "--web", paramLabel = "HOST:PORT", defaultValue = WebOptions.DEFAULT, converter = WebOptionsConverter.class,
            description = "Where the web UI listens (default: ${DEFAULT-VALUE}).")
    WebOptions web;

    @Option(names = "--keep-secrets", description = "show the passwords a pcap holds as they are, instead of masked")
    boolean keepSecrets;

    @Option(names = "--progress", description = "draw a progress bar on stderr even when it is not a terminal")
    boolean progress;

    @Override
    public Integer call() throws Exception {
        return start().awaitShutdown();
    }

    /** Analyzes the capture and starts serving it; the returned {@link Serving} stops it. */
    Serving start() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Serving serving = new Serving(spec.commandLine().getErr());
        try {
            CaptureStore store = serving.add(openOrImport(out, serving)).analyzeInForeground(); // no relay here to yield to
            Analyzer analyzer = serving.add(Analyzer.open(store));
            if (store.readOnly()) {
                out.printf("%s is read-only for you: it is opened read-only, and its analysis is kept in %s%n",
                        store.file().toAbsolutePath(), store.analysisFile());
            }
            out.printf("analyzing %s ...%n", store.file().toAbsolutePath());
            out.flush();
            ProgressBar bar = ProgressBar.onStderr("analyzing", CaptureFiles.recordCount(store), "records", progress);
            try (var reader = store.newReader()) {
                analyzer.analyze(reader, bar::update);
            } finally {
                bar.finish();
            }
            analyzer.flushed();
            store.saveAnalysis();
            WebServer server = serving.add(WebServer.start(web, ModelSource.fixed(analyzer),
                    List.of(CaptureExportApi.of(store), new SessionDiffApi(new ReplayDiffStore(store)))));
            serving.web(server);
            out.printf("%d streams, %d entities%n", analyzer.connections().size(), analyzer.graph().nodes().size());
            out.printf("web UI  %s%n", server.url());
            out.println("Ctrl-C stops.");
            out.flush();
        } catch (RuntimeException e) {
            throw serving.closeAfter(e);
        }
        return serving;
    }

    /** What a CAPTURE argument that names nothing gets told (open and replay take the same). */
    static String noCaptureAt(Path capture) {
        return "no capture at " + capture.toAbsolutePath() + " (nor a database " + CaptureStore.dataFile(capture).getFileName()
                + "): give the PATH that 'xmppscope proxy --db PATH' recorded into, or an .xscap, .pcap or .pcapng file";
    }

    /** The capture database itself, or a temporary one holding an imported .xscap/pcap/pcapng. */
    private CaptureStore openOrImport(PrintWriter out, Serving serving) throws IOException {
        Path db = CaptureStore.dataFile(capture);
        if (Files.isRegularFile(db)) {
            return CaptureStore.open(capture);
        }
        if (!Files.isRegularFile(capture)) {
            throw new IllegalArgumentException(noCaptureAt(capture));
        }
        CaptureFileFormat.require(capture); // before a temporary database is made for it
        Path tmp = Files.createTempDirectory("xmppscope-open");
        serving.add(() -> deleteTree(tmp));
        CaptureStore store = CaptureStore.open(tmp.resolve("capture"));
        out.printf("importing %s ...%n", capture);
        out.flush();
        try {
            ImportResult r = CaptureFiles.importInto(store, capture, ProgressBar.onStderr("importing", 0, "records", progress),
                    SecretMasking.ofImport(capture.getFileName().toString(), keepSecrets)::masking);
            out.printf("%d connections, %d records from %s%n", r.connections(), r.records(), r.format());
        } catch (CaptureFileException e) {
            out.printf("warning: %s — showing what was read before the damage%n", e.getMessage());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
