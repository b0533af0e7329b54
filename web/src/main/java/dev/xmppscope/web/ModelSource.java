package dev.xmppscope.web;

import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.proxy.ListenerState;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where the web app gets the model it shows. A proxy or an opened capture has one model for its
 * whole life; a replay swaps in a fresh model when the user seeks backwards, and the UI must
 * then reload (the WebSocket sends a "reset" event).
 */
public interface ModelSource {

    CaptureModel current();

    /** Calls {@code listener} with the new model each time the current one is replaced. */
    AutoCloseable onReset(Consumer<CaptureModel> listener);

    /**
     * Whether the model follows what is recorded as it comes. A proxy's live analysis does not
     * while it catches up from the store after falling behind under a flood: the web app then
     * stops streaming the model's events (the catch-up's hundreds of thousands of stanzas, pushed
     * to a browser that reloaded on each overflow, made it several times slower: 46 s instead of
     * 10 for a flood of about 200 MB) and resets the UIs once it follows again.
     */
    default boolean following() {
        return true;
    }

    /** A source whose model never changes. */
    static ModelSource fixed(CaptureModel model) {
        return of(model, () -> true);
    }

    /**
     * The model of a stored capture that {@code open} analyzes while it serves it: like a live
     * analysis catching up, it is not streamed until {@code analysisEnded} (its events, a million
     * for a large capture, would only overflow the browsers); the UIs then reset and load it whole.
     */
    static ModelSource analyzing(CaptureModel model, BooleanSupplier analysisEnded) {
        return of(model, analysisEnded);
    }

    /** The model a proxy's live analysis builds, following the recording while {@code analysis} is live. */
    static ModelSource recording(CaptureModel model, Supplier<ListenerState> analysis) {
        return of(model, () -> analysis.get().phase() == ListenerState.Phase.LIVE);
    }

    private static ModelSource of(CaptureModel model, BooleanSupplier following) {
        return new ModelSource() {
            @Override
            public CaptureModel current() {
                return model;
            }

            @Override
            public AutoCloseable onReset(Consumer<CaptureModel> listener) {
                return () -> { };
            }

            @Override
            public boolean following() {
                return following.getAsBoolean();
            }
        };
    }
}
