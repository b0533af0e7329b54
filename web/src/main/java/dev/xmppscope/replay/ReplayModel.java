package dev.xmppscope.replay;

import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.capture.CaptureSink;

/**
 * One fresh model for a replay: the sink the replay feeds (an analyzer) and the model the web UI
 * reads (the same analyzer), plus whatever must be closed with it (its temporary store).
 */
public record ReplayModel(CaptureModel model, CaptureSink sink, AutoCloseable resources) implements AutoCloseable {
    @Override
    public void close() throws Exception {
        resources.close();
    }

    /** Makes a fresh, empty model each time a replay starts over or seeks backwards. */
    @FunctionalInterface
    public interface Factory {
        ReplayModel open();
    }
}
