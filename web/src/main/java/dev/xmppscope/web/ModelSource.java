package dev.xmppscope.web;

import dev.xmppscope.analyzer.CaptureModel;
import java.util.function.Consumer;

/**
 * Where the web app gets the model it shows. A proxy or an opened capture has one model for its
 * whole life; a replay swaps in a fresh model when the user seeks backwards, and the UI must
 * then reload (the WebSocket sends a "reset" event).
 */
public interface ModelSource {

    CaptureModel current();

    /** Calls {@code listener} with the new model each time the current one is replaced. */
    AutoCloseable onReset(Consumer<CaptureModel> listener);

    /** A source whose model never changes. */
    static ModelSource fixed(CaptureModel model) {
        return new ModelSource() {
            @Override
            public CaptureModel current() {
                return model;
            }

            @Override
            public AutoCloseable onReset(Consumer<CaptureModel> listener) {
                return () -> { };
            }
        };
    }
}
