package dev.xmppscope.web.cli;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.web.AnalysisProgress;
import dev.xmppscope.web.ModelSource;
import dev.xmppscope.web.WebOptions;
import dev.xmppscope.web.WebServer;
import dev.xmppscope.web.api.CaptureExportApi;
import dev.xmppscope.web.api.SessionDiffApi;
import dev.xmppscope.replay.ReplayDiffStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code xmppscope open CAPTURE}: the same UI over a stored capture, nothing proxied. */
@Command(name = "open", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Analyzes a stored capture and serves it in the web UI: the federation graph, the stanza timeline, every stream's negotiation and each stanza's route, as they were when it was recorded. The UI is served at once and fills as the analysis goes on; the top bar says how far it has come. A capture database's analysis is kept beside it once complete, and the next open or show of the capture, unchanged, reuses it instead of analyzing it again (see --reanalyze).",
                "",
                "CAPTURE is a capture database - the PATH that 'xmppscope proxy --db PATH' recorded into (the file on disk is PATH.mv.db; either name works) - or a capture file: .xscap (from 'xmppscope export'), .pcap or .pcapng (Wireshark, tcpdump; gzip-compressed too), imported into a temporary database first, in the background too (the top bar says how far); a pcap's passwords are masked there as the proxy masks what it records, unless --keep-secrets.",
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

    @Mixin
    AnalysisOptions analysis;

    @Override
    public Integer call() throws Exception {
        return start().awaitShutdown();
    }

    /**
     * Called on the analysis thread with how far it has come, every few hundred records (every read of
     * a capture file it imports first): tests hold the import or the analysis half way.
     */
    Consumer<AnalysisProgress> whileAnalyzing = progress -> { };
    /** The analysis {@link #start} began. */
    BackgroundAnalysis background;

    /**
     * Starts serving the capture at once and analyzes it in the background (a capture file is
     * imported there first): the UI shows what is analyzed so far, and says how far that is. The
     * returned {@link Serving} stops both.
     */
    Serving start() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Serving serving = new Serving(spec.commandLine().getErr());
        try {
            CaptureOpening.Opening opening = analysis.opening(capture, out, serving);
            CaptureOpening.Prepared opened = opening.prepared();
            CaptureStore store = opened.store();
            background = serving.add(new BackgroundAnalysis(opened, opening.importFirst(), serving, out, analysis.progress,
                    whileAnalyzing));
            WebServer server = serving.add(WebServer.start(web, ModelSource.analyzing(opened.model(), background::ended),
                    List.of(CaptureExportApi.opened(store, opened.name(), background::progress),
                            new SessionDiffApi(new ReplayDiffStore(store)))));
            serving.web(server);
            out.printf("web UI  %s%n", server.url());
            if (opened.kept() == null) {
                out.printf("%s %s in the background: the web UI shows what is analyzed so far%n",
                        opening.importFirst() == null ? "analyzing" : "importing, then analyzing,", opened.name());
            }
            out.println("Ctrl-C stops.");
            out.flush();
            background.start();
        } catch (RuntimeException e) {
            throw serving.closeAfter(e);
        }
        return serving;
    }

    /** Starts as {@link #start} does, and returns once the analysis ended: for tests that ask about all of the capture. */
    Serving startAnalyzed() throws IOException, InterruptedException {
        Serving serving = start();
        background.await();
        return serving;
    }
}
