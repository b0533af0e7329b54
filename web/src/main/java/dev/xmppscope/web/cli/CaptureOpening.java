package dev.xmppscope.web.cli;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.FileTrees;
import dev.xmppscope.capture.file.CaptureFileFormat;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * A CAPTURE argument opened and analyzed, as {@code open} and {@code show} take it: a capture
 * database, or an .xscap, .pcap or .pcapng file imported into a temporary database first (a
 * pcap's passwords masked there as the proxy masks what it records, unless {@code keepSecrets}).
 * What it opens goes to {@code resources}, closed by the caller; what it is doing goes to
 * {@code status}, a progress bar to stderr.
 */
final class CaptureOpening {

    private CaptureOpening() {
    }

    /** What a CAPTURE argument that names nothing gets told (open, show and replay take the same). */
    static String noCaptureAt(Path capture) {
        return "no capture at " + capture.toAbsolutePath() + " (nor a database " + CaptureStore.dataFile(capture).getFileName()
                + "): give the PATH that 'xmppscope proxy --db PATH' recorded into, or an .xscap, .pcap or .pcapng file";
    }

    /** A capture database and its analysis, done; {@code name} is what was opened, as the status line says it. */
    record Analyzed(CaptureStore store, Analyzer analyzer, Path name) {
    }

    /** A capture database and its analyzer, which has analyzed nothing yet; {@code name} as in {@link Analyzed}. */
    record Prepared(CaptureStore store, Analyzer analyzer, Path name) {
    }

    /** Opens {@code capture} and analyzes all of it, in the foreground (no relay here to yield to). */
    static Analyzed analyzed(Path capture, boolean keepSecrets, boolean progress, PrintWriter status, Serving resources)
            throws IOException {
        Prepared prepared = prepared(capture, keepSecrets, progress, status, resources);
        status.printf("analyzing %s ...%n", prepared.name());
        status.flush();
        ProgressBar bar = ProgressBar.onStderr("analyzing", CaptureFiles.recordCount(prepared.store()), "records", progress);
        try {
            analyze(prepared.store(), prepared.analyzer(), bar::update);
        } finally {
            bar.finish();
        }
        return new Analyzed(prepared.store(), prepared.analyzer(), prepared.name());
    }

    /** Opens {@code capture} (importing a capture file) and an analyzer for it, to be fed by {@link #analyze}. */
    static Prepared prepared(Path capture, boolean keepSecrets, boolean progress, PrintWriter status, Serving resources)
            throws IOException {
        Opening opening = opening(capture, keepSecrets, status, resources);
        if (opening.importFirst() != null) {
            status.printf("importing %s ...%n", capture);
            status.flush();
            CaptureImport pending = opening.importFirst();
            pending.run(ProgressBar.onStderr("importing", pending.fileBytes(), "bytes", progress), status); // it finishes the bar
        }
        return opening.prepared();
    }

    /**
     * A capture opened as {@link #prepared} opens it, but a capture file not imported yet:
     * {@code importFirst} imports it into the (empty) database of {@code prepared}, and must run before
     * the analysis; null for a capture database.
     */
    record Opening(Prepared prepared, CaptureImport importFirst) {
    }

    /** Opens {@code capture} and an analyzer for it; a capture file gets an empty temporary database, to import into first. */
    static Opening opening(Path capture, boolean keepSecrets, PrintWriter status, Serving resources) throws IOException {
        Opened opened = openOrMake(capture, keepSecrets, status, resources);
        CaptureStore store = opened.store().analyzeInForeground();
        Analyzer analyzer = resources.add(Analyzer.open(store));
        if (store.readOnly()) {
            status.printf("%s is read-only for you: it is opened read-only, and its analysis is kept in %s%n",
                    store.file().toAbsolutePath(), store.analysisFile());
        }
        return new Opening(new Prepared(store, analyzer, opened.name()), opened.importFirst());
    }

    /** Feeds {@code analyzer} all of {@code store} and saves its analysis; {@code progress} is told the records done. */
    static void analyze(CaptureStore store, Analyzer analyzer, LongConsumer progress) {
        try (var reader = store.newReader()) {
            analyzer.analyze(reader, progress);
        }
        analyzer.flushed();
        store.saveAnalysis();
    }

    /**
     * A capture database opened, and what to call it: an imported file by its own name, not its
     * temporary database's; {@code importFirst} fills that temporary database (else null).
     */
    private record Opened(CaptureStore store, Path name, CaptureImport importFirst) {
    }

    /** The capture database itself, or an empty temporary one for an .xscap/pcap/pcapng to be imported into. */
    private static Opened openOrMake(Path capture, boolean keepSecrets, PrintWriter status, Serving resources)
            throws IOException {
        Path db = CaptureStore.dataFile(capture);
        if (Files.isRegularFile(db)) {
            CaptureStore store = resources.add(CaptureStore.open(capture));
            LeftOpen.close(store).ifPresent(status::println);
            return new Opened(store, store.file().toAbsolutePath(), null);
        }
        if (!Files.isRegularFile(capture)) {
            throw new IllegalArgumentException(noCaptureAt(capture));
        }
        CaptureFileFormat.require(capture); // before a temporary database is made for it
        Path tmp = Files.createTempDirectory("xmppscope-open");
        resources.add(() -> FileTrees.delete(tmp));
        CaptureStore store = resources.add(CaptureStore.open(tmp.resolve("capture")));
        return new Opened(store, capture, new CaptureImport(capture, store, keepSecrets));
    }
}
