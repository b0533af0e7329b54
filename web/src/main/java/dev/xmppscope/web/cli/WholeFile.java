package dev.xmppscope.web.cli;

import dev.xmppscope.capture.CaptureStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;

/**
 * Writes a command's output file whole or not at all: into a hidden file beside it (same
 * extension: the writers pick the format from it), renamed over it once complete. A failed
 * export (a full disk) then leaves no truncated file that looks like one, and a file of that
 * name from before stays as it was.
 */
final class WholeFile {
    private WholeFile() {
    }

    /** Calls {@code writer} with the path to write {@code out}'s content to; returns what it returned. */
    static <T> T write(Path out, Function<Path, T> writer) {
        Path target = out.toAbsolutePath();
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        Path part = target.resolveSibling("." + stem + ".part-" + ProcessHandle.current().pid() + extension);
        try {
            Files.createDirectories(target.getParent()); // as for any format: an .xscap's writer made them, a .pcapng's did not
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": cannot create " + target.getParent() + ": "
                    + CaptureStoreException.reason(e), e);
        }
        try {
            T result;
            try {
                result = writer.apply(part);
            } catch (RuntimeException e) {
                throw renamed(e, part, out);
            }
            move(part, target);
            return result;
        } finally {
            deleteQuietly(part);
        }
    }

    private static void move(Path part, Path target) {
        try {
            try {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * The writer's failure, naming the file the user asked for instead of the hidden one, in its
     * message and in its cause's (which the CLI prints too); the failure as it was is kept suppressed.
     */
    private static RuntimeException renamed(RuntimeException e, Path part, Path out) {
        if (e.getMessage() == null || !e.getMessage().contains(part.toString())) {
            return e;
        }
        Throwable innermost = e;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        String cause = innermost.getMessage() == null ? innermost.toString() : innermost.getMessage();
        UncheckedIOException named = new UncheckedIOException(named(e.getMessage(), part, out),
                new IOException(named(cause, part, out)));
        named.addSuppressed(e);
        return named;
    }

    /** {@code text} with the hidden file's name replaced by the one asked for, said once ("F: F: why" is "F: why"). */
    private static String named(String text, Path part, Path out) {
        return text.replace(part.toString(), out.toString()).replace(out + ": " + out, out.toString());
    }

    private static void deleteQuietly(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            // what is left is a hidden file the next export of that name replaces
        }
    }
}
