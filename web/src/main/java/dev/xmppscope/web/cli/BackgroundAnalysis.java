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
import java.util.function.LongConsumer;

/**
 * The analysis of a capture that {@code open} serves, on a thread of its own (none for a capture whose
 * analysis was kept: it is done from the start): the web UI serves
 * what is analyzed so far meanwhile ({@link #progress}). The console gets a progress bar (on a
 * terminal, else a line every tenth), then how it ended; closing it (Ctrl-C) stops it within a few
 * hundred records. A failure to read the capture's content (damage) ends the analysis, said in the
 * console and the UI, which goes on showing what came before; a failure of the files themselves (a
 * full disk) ends the command, as it did when it met one before serving: the analysis file can then
 * be neither written nor trusted.
 */
final class BackgroundAnalysis implements AutoCloseable {
    private static final long JOIN_MILLIS = 10_000;

    private final CaptureOpening.Prepared capture;
    private final PrintWriter status;
    private final ProgressBar bar;
    /** Called on the analysis thread with the records done, every few hundred: tests hold the analysis half way there. */
    private final LongConsumer onProgress;
    private final long totalRecords;
    private final long captureBytes;
    private final Serving serving;
    private final Thread thread;
    private volatile long records;
    private volatile State state = State.ANALYZING;
    private volatile String failure;
    private volatile boolean stopping;

    /** Thrown on the analysis thread out of its progress callback, to unwind the analysis when closed. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /** The analysis of {@code capture}, not started; {@code onProgress} is told the records done, on the analysis thread. */
    BackgroundAnalysis(CaptureOpening.Prepared capture, Serving serving, PrintWriter status, boolean progressBar,
                       LongConsumer onProgress) {
        this.capture = capture;
        this.serving = serving;
        this.status = status;
        this.onProgress = onProgress;
        CaptureStore store = capture.store();
        this.totalRecords = CaptureFiles.recordCount(store);
        CaptureStore.Totals totals = store.totals(0);
        this.captureBytes = totals.bytesToServer() + totals.bytesToClient();
        this.bar = ProgressBar.onStderr("analyzing", totalRecords, "records", progressBar);
        this.thread = new Thread(this::run, "xmppscope-open-analysis");
        if (kept()) { // done before it is served: the UI never shows it analyzing
            records = totalRecords;
            state = State.DONE;
        }
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
        return new AnalysisProgress(state, records, totalRecords, captureBytes, failure);
    }

    /** Whether the analysis ended (done, failed or stopped): the model no longer grows. */
    boolean ended() {
        return state != State.ANALYZING;
    }

    private void run() {
        long start = System.nanoTime();
        Analyzer analyzer = capture.analyzer();
        try {
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
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            state = State.FAILED;
            if (CaptureStoreException.fromFiles(e)) {
                serving.fail(e);
                return;
            }
            // the bar's line is left as it stood, not drawn full
            say((bar == ProgressBar.NONE ? "" : "%n") + "xmppscope: the analysis of %s failed after %.1f s: %s;"
                    + " the web UI shows what was analyzed before", capture.name(), seconds(start), failure);
        }
    }

    private void advance(long done) {
        if (stopping) {
            throw new Stopped();
        }
        int tenthBefore = progress().percent() / 10;
        records = done;
        bar.update(done);
        if (bar == ProgressBar.NONE && progress().percent() / 10 > tenthBefore) {
            say("analyzing: %d%%", progress().percent()); // no terminal for a bar: a log reads a line a tenth
        }
        onProgress.accept(done);
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
