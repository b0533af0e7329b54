package dev.xmppscope.web.cli;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.KeptModel;
import dev.xmppscope.analyzer.index.CaptureFingerprint;
import dev.xmppscope.analyzer.index.KeptAnalysis;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.FileTrees;
import dev.xmppscope.capture.file.CaptureFileFormat;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A CAPTURE argument opened and analyzed, as {@code open} and {@code show} take it: a capture
 * database, or an .xscap, .pcap or .pcapng file imported into a temporary database first (a
 * pcap's passwords masked there as the proxy masks what it records, unless {@code keepSecrets}).
 * A capture database's complete analysis is kept in its analysis file, and answers for it again
 * while it is unchanged ({@link KeptAnalysis}). What it opens goes to {@code resources}, closed by
 * the caller; what it is doing goes to {@code status}, a progress bar to stderr.
 */
final class CaptureOpening {

    /** When a kept analysis was made, in the local clock, as the console says it. */
    private static final DateTimeFormatter MADE_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private CaptureOpening() {
    }

    /** What a CAPTURE argument that names nothing gets told (open, show and replay take the same). */
    static String noCaptureAt(Path capture) {
        return "no capture at " + capture.toAbsolutePath() + " (nor a database " + CaptureStore.dataFile(capture).getFileName()
                + "): give the PATH that 'xmppscope proxy --db PATH' recorded into, or an .xscap, .pcap or .pcapng file";
    }

    /** A capture database and its model, analysed or kept; {@code name} is what was opened, as the status line says it. */
    record Analyzed(CaptureStore store, CaptureModel model, Path name) {
    }

    /**
     * A capture database ready to be shown, {@code name} as in {@link Analyzed}: either an analyzer
     * that has analysed nothing yet ({@link #analyze} feeds it), with what to keep its analysis as
     * once done ({@code keepAs}; null for a temporary import, which no later open finds), or the
     * model an earlier analysis kept ({@code kept}; then {@code analyzer} is null).
     */
    record Prepared(CaptureStore store, Path name, Analyzer analyzer, CaptureFingerprint keepAs, KeptModel kept) {

        CaptureModel model() {
            return kept != null ? kept : analyzer;
        }
    }

    /** Opens {@code capture} and analyzes all of it in the foreground (no relay here to yield to), unless its analysis was kept. */
    static Analyzed analyzed(Path capture, boolean keepSecrets, boolean reanalyze, boolean progress, PrintWriter status,
                             Serving resources) throws IOException {
        Prepared prepared = prepared(capture, keepSecrets, reanalyze, progress, status, resources);
        if (prepared.kept() == null) {
            status.printf("analyzing %s ...%n", prepared.name());
            status.flush();
            ProgressBar bar = ProgressBar.onStderr("analyzing", CaptureFiles.recordCount(prepared.store()), "records", progress);
            try {
                analyze(prepared, bar::update);
            } finally {
                bar.finish();
            }
        }
        return new Analyzed(prepared.store(), prepared.model(), prepared.name());
    }

    /**
     * Opens {@code capture} (importing a capture file first) and either the analysis kept for it, if
     * that was made from the capture as it is now and {@code reanalyze} is false, or an analyzer for
     * it, to be fed by {@link #analyze}. Which one, and why, goes to {@code status}.
     */
    static Prepared prepared(Path capture, boolean keepSecrets, boolean reanalyze, boolean progress, PrintWriter status,
                             Serving resources) throws IOException {
        Opening opening = opening(capture, keepSecrets, reanalyze, status, resources);
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

    /**
     * Opens {@code capture} as {@link #prepared} does, but a capture file gets an empty temporary
     * database to import into first (and an analyzer: an import keeps no analysis).
     */
    static Opening opening(Path capture, boolean keepSecrets, boolean reanalyze, PrintWriter status, Serving resources)
            throws IOException {
        Opened opened = openOrMake(capture, keepSecrets, status, resources);
        CaptureStore store = opened.store().analyzeInForeground();
        if (store.readOnly()) {
            status.printf("%s is read-only for you: it is opened read-only, and its analysis is kept in %s%n",
                    store.file().toAbsolutePath(), store.analysisFile());
        }
        if (opened.importFirst() != null) {
            return new Opening(new Prepared(store, opened.name(), resources.add(Analyzer.open(store)), null, null), opened.importFirst());
        }
        return new Opening(keptOrAnalyzer(store, opened.name(), reanalyze, status, resources), null);
    }

    /** The analysis kept for capture database {@code store} if it answers for it now (and is not refused), else an analyzer. */
    private static Prepared keptOrAnalyzer(CaptureStore store, Path name, boolean reanalyze, PrintWriter status,
                                           Serving resources) {
        CaptureFingerprint now = CaptureFingerprint.of(store);
        KeptAnalysis kept = KeptAnalysis.in(store.analysisStore());
        Optional<KeptAnalysis.Made> made = kept.made();
        if (made.isPresent()) {
            Reuse reuse = reanalyze ? new Reuse(null, "--reanalyze asks for a new one") : reuse(store, made.get(), now);
            if (reuse.model() != null) {
                status.printf("analysis reused from %s (made %s); use --reanalyze to build it again%n",
                        store.analysisFile(), MADE_AT.format(Instant.ofEpochMilli(made.get().atMillis())));
                return new Prepared(store, name, null, null, resources.add(reuse.model()));
            }
            status.printf("the analysis kept in %s is not reused: %s; the capture is analyzed again%n", store.analysisFile(),
                    reuse.whyNot());
            kept.drop();
            store.saveAnalysis();
        }
        return new Prepared(store, name, resources.add(Analyzer.open(store)), now, null);
    }

    /**
     * The analysis kept for capture database {@code store} if it answers for the capture as it is
     * now, for a command that only reads it ({@code export}): nothing is dropped, written or created,
     * and one that cannot be read is as none.
     */
    static Optional<KeptModel> keptIfCurrent(CaptureStore store) {
        if (!Files.isRegularFile(store.analysisFile())) {
            return Optional.empty();
        }
        return KeptAnalysis.in(store.analysisStore()).made().map(made -> reuse(store, made, CaptureFingerprint.of(store)).model());
    }

    /** A kept analysis opened for reuse ({@code model}), or why it is not reused ({@code whyNot}). */
    private record Reuse(KeptModel model, String whyNot) {
    }

    /** The analysis kept as {@code made}, opened, if it answers for the capture as it is ({@code now}) and can be read. */
    private static Reuse reuse(CaptureStore store, KeptAnalysis.Made made, CaptureFingerprint now) {
        Optional<String> whyNot = made.whyNotFor(now);
        if (whyNot.isPresent()) {
            return new Reuse(null, whyNot.get());
        }
        try {
            return new Reuse(KeptModel.open(store), null);
        } catch (UncheckedIOException e) { // derived data: damaged, it is built again, as the analysis file is
            return new Reuse(null, e.getMessage());
        }
    }

    /**
     * Feeds the analyzer of {@code capture} all of its store, keeps what it answers (unless the
     * capture is a temporary import) and saves the analysis; {@code progress} is told the records done.
     */
    static void analyze(Prepared capture, LongConsumer progress) {
        Analyzer analyzer = capture.analyzer();
        try (var reader = capture.store().newReader()) {
            analyzer.analyze(reader, progress);
        }
        analyzer.flushed();
        if (capture.keepAs() != null) {
            analyzer.keep(capture.keepAs(), System.currentTimeMillis());
        }
        capture.store().saveAnalysis();
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
