package dev.xmppscope.web.cli;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureStoreException;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.web.AnalysisProgress;
import dev.xmppscope.web.AnalysisProgress.State;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The analysis of a capture that {@code open} serves, on a thread of its own (none for a capture
 * whose analysis was kept: it is done from the start), and for a capture file, its import into the
 * database analyzed before that: the web UI serves what is analyzed so far meanwhile
 * ({@link #progress}). The console gets a progress bar (on a terminal, else a line every tenth),
 * then how it ended; closing it (Ctrl-C) stops it within a few hundred records (a read of the
 * file, importing). A file damaged part way is imported up to the damage, said in the console and
 * the UI, and what came before is analyzed. A failure to read the capture's content (damage) ends
 * the analysis, said in the console and the UI, which goes on showing what came before; a failure
 * of the files themselves (a full disk) ends the command, as it did when it met one before
 * serving: the analysis file can then be neither written nor trusted.
 */
final class BackgroundAnalysis implements AutoCloseable {
    private static final long JOIN_MILLIS = 10_000;

    private final CaptureOpening.Prepared capture;
    /** The capture file to import first, or null for a capture database. */
    private final CaptureImport importFirst;
    private final PrintWriter status;
    private final boolean progressBar;
    /**
     * Called on the analysis thread as it moves on (every few hundred records, every read of a file
     * imported), with how far it has come: tests hold the import or the analysis half way there.
     */
    private final Consumer<AnalysisProgress> onProgress;
    private final Serving serving;
    private final Thread thread;
    /** What is being done, on the console: an import's bar, then the analysis's. */
    private volatile ProgressBar bar = ProgressBar.NONE;
    private volatile long totalRecords;
    private volatile long captureBytes;
    private volatile long records;
    private volatile long importedBytes;
    private volatile String importDamage;
    private volatile State state;
    private volatile String failure;
    private volatile boolean stopping;

    /** Thrown on the analysis thread out of its progress callback, to unwind the analysis when closed. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /**
     * The analysis of {@code capture}, not started, after the import of {@code importFirst} into it
     * (null for none); {@code onProgress} is told how far they have come, on the analysis thread.
     */
    BackgroundAnalysis(CaptureOpening.Prepared capture, CaptureImport importFirst, Serving serving, PrintWriter status,
                       boolean progressBar, Consumer<AnalysisProgress> onProgress) {
        this.capture = capture;
        this.importFirst = importFirst;
        this.serving = serving;
        this.status = status;
        this.progressBar = progressBar;
        this.onProgress = onProgress;
        this.state = importFirst == null ? State.ANALYZING : State.IMPORTING;
        if (importFirst == null) {
            counted();
        }
        this.thread = new Thread(this::run, "xmppscope-open-analysis");
        if (kept()) { // done before it is served: the UI never shows it analyzing
            records = totalRecords;
            state = State.DONE;
        }
    }

    /** Counts what the capture holds, for the analysis's progress: at once for a database, once imported for a file. */
    private void counted() {
        CaptureStore store = capture.store();
        totalRecords = CaptureFiles.recordCount(store);
        CaptureStore.Totals totals = store.totals(0);
        captureBytes = totals.bytesToServer() + totals.bytesToClient();
    }

    /** Starts the analysis; a kept one only summarizes its index for searches, as a finished analysis does. */
    void start() {
        if (kept()) {
            capture.kept().summarizeInBackground();
        } else {
            thread.start();
        }
    }

    /** Whether the capture is shown from the analysis kept for it, which is done already. */
    private boolean kept() {
        return capture.kept() != null;
    }

    AnalysisProgress progress() {
        return new AnalysisProgress(state, records, totalRecords, captureBytes, failure, importFirst == null ? null
                : new AnalysisProgress.Import(importedBytes, importFirst.fileBytes(), importDamage));
    }

    /** Whether the analysis ended (done, failed or stopped): the model no longer grows. */
    boolean ended() {
        return state == State.DONE || state == State.FAILED;
    }

    private void run() {
        long start = System.nanoTime();
        Analyzer analyzer = capture.analyzer();
        try {
            if (importFirst != null) {
                importFile();
                start = System.nanoTime();
            }
            bar = ProgressBar.onStderr("analyzing", totalRecords, "records", progressBar);
            CaptureOpening.analyze(capture, this::advance);
            state = State.DONE;
            bar.finish();
            analyzer.summarizeInBackground(); // the capture no longer grows: a rare search is quick from the first
            say("analyzed in %.1f s: %d streams, %d entities", seconds(start), analyzer.connections().size(),
                    analyzer.graph().nodes().size());
        } catch (Stopped e) {
            failure = "stopped before the end";
            state = State.FAILED;
        } catch (RuntimeException e) {
            String what = state == State.IMPORTING ? "import" : "analysis";
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            state = State.FAILED;
            if (CaptureStoreException.fromFiles(e)) {
                serving.fail(e);
                return;
            }
            // the bar's line is left as it stood, not drawn full
            say((bar == ProgressBar.NONE ? "" : "%n") + "xmppscope: the %s of %s failed after %.1f s: %s;"
                    + " the web UI shows what was analyzed before", what, capture.name(), seconds(start), failure);
        }
    }

    /** Imports the capture file, then counts what it holds and moves on to analyzing it. */
    private void importFile() {
        bar = ProgressBar.onStderr("importing", importFirst.fileBytes(), "bytes", progressBar);
        ProgressBar told = new ProgressBar() {
            @Override
            public void update(long done) {
                step(() -> importedBytes = done);
            }

            @Override
            public void finish() {
                if (!stopping) { // else the bar's line is left as it stood, not drawn full
                    bar.finish();
                }
            }
        };
        importDamage = importFirst.run(told, status);
        counted();
        state = State.ANALYZING;
    }

    private void advance(long done) {
        step(() -> records = done);
    }

    /** Moves the progress on with {@code moved}, on the bar and, with no terminal for one, a line a tenth; stops when closed. */
    private void step(Runnable moved) {
        if (stopping) {
            throw new Stopped();
        }
        int tenthBefore = progress().percent() / 10;
        moved.run();
        AnalysisProgress now = progress();
        bar.update(now.state() == State.IMPORTING ? importedBytes : records);
        if (bar == ProgressBar.NONE && now.percent() / 10 > tenthBefore) {
            say("%s: %d%%", now.state() == State.IMPORTING ? "importing" : "analyzing", now.percent());
        }
        onProgress.accept(now);
    }

    private void say(String format, Object... args) {
        status.printf(format + "%n", args);
        status.flush();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Whether it was asked to stop ({@link #close}): tests hold the analysis until then. */
    boolean stopping() {
        return stopping;
    }

    /** Returns once the analysis ended (done or failed). */
    void await() throws InterruptedException {
        thread.join();
    }

    /** Stops the analysis and waits for it to let go of the capture, which is closed next. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(JOIN_MILLIS);
        if (thread.isAlive()) {
            throw new IllegalStateException("the analysis did not stop within " + TimeUnit.MILLISECONDS.toSeconds(JOIN_MILLIS)
                    + " s; the capture is closed under it");
        }
    }
}
