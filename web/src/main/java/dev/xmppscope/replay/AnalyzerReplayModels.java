package dev.xmppscope.replay;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Fresh analyzers for a replay, each indexing into its own temporary capture database (the
 * analyzer keeps its stanza index in H2), removed when the model is replaced or closed.
 */
public final class AnalyzerReplayModels implements ReplayModel.Factory, AutoCloseable {
    private final Path dir;
    private int opened;

    public AnalyzerReplayModels() {
        try {
            dir = Files.createTempDirectory("xmppscope-replay");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the replay: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized ReplayModel open() {
        Path base = dir.resolve("model-" + (++opened));
        CaptureStore store = CaptureStore.open(base);
        Analyzer analyzer = Analyzer.open(store);
        return new ReplayModel(analyzer, analyzer, () -> {
            try {
                analyzer.close();
            } finally {
                store.close();
                deleteFiles(base);
            }
        });
    }

    private static void deleteFiles(Path base) throws IOException {
        String prefix = base.getFileName().toString() + ".";
        try (Stream<Path> files = Files.list(base.getParent())) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Removes the temporary directory (the models must be closed first). */
    @Override
    public void close() {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            System.getLogger(AnalyzerReplayModels.class.getName()).log(System.Logger.Level.WARNING,
                    "could not remove " + dir + ": " + e.getMessage());
        }
    }
}
