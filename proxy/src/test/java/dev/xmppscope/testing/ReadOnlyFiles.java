package dev.xmppscope.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes files and directories read-only for real, for the user running the tests: immutable
 * ({@code chattr +i}) when that is root, who ignores permissions; permissions otherwise. Close
 * it to make them writable again (a test directory must be deletable).
 */
public final class ReadOnlyFiles implements AutoCloseable {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final List<Path> locked = new ArrayList<>();

    /** Locks each path, failing the test if one still is writable afterwards. */
    public ReadOnlyFiles lock(Path... paths) throws IOException, InterruptedException {
        for (Path p : paths) {
            setWritable(p, false);
            locked.add(p);
            assertFalse(Files.isWritable(p), p + " could not be made read-only for this test");
        }
        return this;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (int i = locked.size() - 1; i >= 0; i--) {
            setWritable(locked.get(i), true);
        }
        locked.clear();
    }

    private static void setWritable(Path p, boolean writable) throws IOException, InterruptedException {
        if (ROOT) {
            run("chattr", writable ? "-i" : "+i", p.toString());
        } else {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                    Files.isDirectory(p) ? (writable ? "rwx------" : "r-x------") : (writable ? "rw-------" : "r--------")));
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }
}
