package dev.xmppscope.bench.relay;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Whether a relay's JVM has moved its C2 compiler to background priority ({@code JitYield}): its warm-up is over. */
public final class JitState {
    private static final int SCHED_IDLE = 5;

    private JitState() {
    }

    /** Empty when {@code pid} has no C2 compiler thread (not a HotSpot JVM, or gone); else whether all of them yielded. */
    public static Optional<Boolean> c2Yielded(long pid) {
        boolean any = false;
        boolean all = true;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                String stat = Files.readString(task.resolve("stat"));
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("C2 CompilerThre")) {
                    any = true;
                    // the scheduling policy is field 41; fields after the parenthesised name start at 3
                    int policy = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[41 - 3]);
                    all &= policy == SCHED_IDLE;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return any ? Optional.of(all) : Optional.empty();
    }
}
