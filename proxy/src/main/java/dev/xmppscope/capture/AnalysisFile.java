package dev.xmppscope.capture;

import java.nio.file.Path;
import org.h2.mvstore.MVStore;

/**
 * A capture's analysis file opened on its own, without the capture database: for the live
 * analysis in a process of its own, while the recording process holds the capture database
 * (H2 locks each file to one process, and the two processes each keep one).
 */
public final class AnalysisFile implements AutoCloseable {
    private final Path file;
    private final MVStore store;
    private boolean closed;

    private AnalysisFile(Path file, MVStore store) {
        this.file = file;
        this.store = store;
    }

    /**
     * Opens a capture's analysis file ({@link CaptureStore#analysisFile}), emptied if it was
     * derived from another capture than {@code captureId} ({@link CaptureStore#id()}).
     */
    public static AnalysisFile open(Path file, String captureId) {
        return new AnalysisFile(file, AnalysisFiles.acquire(file, captureId, true));
    }

    public Path file() {
        return file;
    }

    public MVStore store() {
        return store;
    }

    /** Writes what is unsaved and closes the file (unless another user in this JVM still has it open). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            AnalysisFiles.release(file);
        }
    }
}
