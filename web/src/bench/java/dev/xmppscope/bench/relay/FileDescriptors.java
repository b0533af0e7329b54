package dev.xmppscope.bench.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The open-files limit this process (and so its children) runs under. */
public final class FileDescriptors {
    private FileDescriptors() {
    }

    /** The soft "Max open files" limit from /proc/self/limits, or 1024 when unreadable. */
    public static int limit() {
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
}
