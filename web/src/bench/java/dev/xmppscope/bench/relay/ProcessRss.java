package dev.xmppscope.bench.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Resident memory of a process and its descendants, from /proc. */
public final class ProcessRss {
    private ProcessRss() {
    }

    /** VmRSS of {@code pid} plus all its descendants (socat forks one per connection). */
    public static OptionalLong ofTree(long pid) {
        OptionalLong own = of(pid);
        if (own.isEmpty()) {
            return own;
        }
        long sum = own.getAsLong();
        for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(java.util.List.of())) {
            sum += of(child.pid()).orElse(0);
        }
        return OptionalLong.of(sum);
    }

    public static OptionalLong of(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024)
                    .findFirst();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty(); // the process is gone
        }
    }
}
