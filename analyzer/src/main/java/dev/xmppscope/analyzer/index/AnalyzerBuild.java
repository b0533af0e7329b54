package dev.xmppscope.analyzer.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Which build of the analyzer runs, as a kept analysis records it ({@link CaptureFingerprint}):
 * the jar it was loaded from (its size and time; {@code ./xmppscope} rebuilds it when a source
 * changes), or the newest class file of the directory it was loaded from (a build tree, tests).
 */
final class AnalyzerBuild {
    private static final String ID = find();

    private AnalyzerBuild() {
    }

    static String id() {
        return ID;
    }

    private static String find() {
        try {
            Path from = Path.of(AnalyzerBuild.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(from)) {
                return "jar " + Files.size(from) + " " + Files.getLastModifiedTime(from).toMillis();
            }
            try (Stream<Path> files = Files.walk(from)) {
                return "classes " + files.filter(Files::isRegularFile).mapToLong(AnalyzerBuild::modified).max().orElse(0);
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // loaded from somewhere that cannot be told again: no other process's kept analysis is trusted
            return "unknown " + UUID.randomUUID();
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
