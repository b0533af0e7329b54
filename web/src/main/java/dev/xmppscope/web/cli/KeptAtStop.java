package dev.xmppscope.web.cli;

import dev.xmppscope.analyzer.index.CaptureFingerprint;
import dev.xmppscope.analyzer.index.KeptAnalysis;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.proxy.Recorder;
import dev.xmppscope.web.worker.LiveAnalysis;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Closes the proxy's live analysis as the proxy stops (after its recorder), keeping it for the
 * next {@code open} or {@code show} of the capture ({@link KeptAnalysis}) when it took every record
 * of the capture: the recorder wrote all it was handed and delivered all of it (catching up from
 * the store within its drain time, saying meanwhile how much is left), the analysis never stopped,
 * and it took the records in the capture's time order, as a fresh analysis reads them. Without it,
 * the first {@code open} after a proxy run analysed the whole capture again. The console says
 * which, and why not.
 */
final class KeptAtStop implements AutoCloseable {
    private final LiveAnalysis live;
    private final CaptureStore store;
    private final Supplier<Recorder> recorder;
    private final BooleanSupplier started;
    private final PrintWriter out;

    /**
     * @param recorder what records into {@code store} and feeds {@code live} from its start (null
     *                 until it started), closed before this
     * @param started  whether the proxy started: a start that failed half way keeps nothing
     */
    KeptAtStop(LiveAnalysis live, CaptureStore store, Supplier<Recorder> recorder, BooleanSupplier started, PrintWriter out) {
        this.live = live;
        this.store = store;
        this.recorder = recorder;
        this.started = started;
        this.out = out;
    }

    @Override
    public void close() {
        Recorder r = recorder.get();
        if (r == null || !started.getAsBoolean()) {
            live.close();
            return;
        }
        Optional<String> whyNot = r.shortfallOf(live.feed()).or(live::stoppedBecause);
        if (whyNot.isEmpty()) {
            // after the recorder closed, nothing adds to the capture: this is what the next open finds
            whyNot = live.closeKeeping(new KeptAnalysis.Made(CaptureFingerprint.of(store), System.currentTimeMillis()));
        } else {
            live.close();
        }
        if (whyNot.isEmpty()) {
            out.printf("analysis kept in %s: 'xmppscope open' shows this capture without analysing it again%n",
                    store.analysisFile());
        } else {
            out.printf("analysis not kept: %s; 'xmppscope open' analyses the capture again%n", whyNot.get());
        }
        out.flush();
    }
}
