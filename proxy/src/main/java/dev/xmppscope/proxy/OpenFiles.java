package dev.xmppscope.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The open-files limit ({@code ulimit -n}) this process runs under, and what to say when it is reached. */
public final class OpenFiles {
    private static final String EMFILE = "Too many open files";
    /** Read once, when the class loads: once the limit is reached, /proc/self/limits cannot be opened either. */
    private static final int LIMIT = read();

    private OpenFiles() {
    }

    /** The soft "Max open files" limit from /proc/self/limits, or 1024 when unreadable. */
    public static int limit() {
        return LIMIT;
    }

    private static int read() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream()
                    .filter(l -> l.startsWith("Max open files"))
                    .map(l -> l.substring("Max open files".length()).trim().split("\\s+")[0])
                    .map(s -> s.equals("unlimited") ? Integer.MAX_VALUE : Integer.parseInt(s))
                    .findFirst().orElse(1024);
        } catch (IOException | NumberFormatException e) {
            return 1024;
        }
    }

    /** Whether {@code failure} (or a cause of it) is this process running out of file descriptors (EMFILE). */
    static boolean exhausted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(EMFILE)) {
                return true;
            }
        }
        return false;
    }

    /** What running out means here, and what to do about it. */
    static String explained() {
        return "too many open files: this process may have " + limit() + " open at once (ulimit -n), and each relayed"
                + " connection takes two; raise the limit (ulimit -n, or LimitNOFILE= for a service) and restart";
    }
}
