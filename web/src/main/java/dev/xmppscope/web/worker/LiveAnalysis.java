package dev.xmppscope.web.worker;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.index.KeptAnalysis;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The analysis of what a proxy records, as it records it: a {@link #feed()} for the recorder and
 * the {@link #model()} the web UI shows. Either in a worker process at idle priority
 * ({@link #inWorker}, the default) or in the proxy's own JVM ({@link #inProcess}).
 */
public interface LiveAnalysis extends AutoCloseable {

    /** Where the recorder delivers what it committed. */
    CaptureSink feed();

    CaptureModel model();

    /** The heap the analysis uses in its worker after a full collection, in bytes; empty in-process. */
    default OptionalLong workerHeapUsedAfterGc() {
        return OptionalLong.empty();
    }

    /** Why the analysis stopped while the proxy goes on recording (its worker died, its disk is full); empty while it runs. */
    default Optional<String> stoppedBecause() {
        return Optional.empty();
    }

    /** Stops after analysing everything fed so far; call it after the recorder closed. */
    @Override
    void close();

    /**
     * Closes as {@link #close} does, first keeping the analysis beside the capture's index as the
     * analysis of the capture {@code made} describes ({@link Analyzer#keep}), for the next {@code open}
     * of it: call instead of {@link #close} once the recorder closed having fed it all of that capture.
     * Returns why it was not kept (it had stopped, it took records out of the capture's time order
     * ({@link Analyzer#whyNotKeepable}), its worker did not finish); empty when it was.
     */
    Optional<String> closeKeeping(KeptAnalysis.Made made);

    /**
     * In a JVM of its own, started at idle priority: its compiler and collector then take no CPU
     * from the relay either, which threads at idle priority in the proxy's JVM cannot ensure.
     */
    static LiveAnalysis inWorker(CaptureStore store) {
        return WorkerProcess.start(store);
    }

    /** In this JVM: less memory (one JVM), but its compilation and collections compete with the relay. */
    static LiveAnalysis inProcess(CaptureStore store) {
        Analyzer analyzer = Analyzer.open(store);
        analyzer.summarizeOnceSearched();
        return new InProcessAnalysis(analyzer, store::saveAnalysis);
    }
}
