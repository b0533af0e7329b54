package dev.xmppscope.proxy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A process's threads as Linux reports them in {@code /proc/PID/task/TID/stat}: what {@link JitYield} watches and lowers. */
public final class KernelThreads {
    /** {@code SCHED_IDLE} in {@link Stat#policy()}. */
    public static final int SCHED_IDLE = 5;

    private KernelThreads() {
    }

    /**
     * One thread: kernel id, name (cut to 15 characters by the kernel), scheduling policy, and
     * CPU time in clock ticks (utime + stime).
     */
    public record Stat(String tid, String name, int policy, long cpuTicks) {
    }

    /** The threads of process {@code pid} ("self" for this one); threads that end while being read are left out. */
    public static List<Stat> of(String pid) throws IOException {
        List<Stat> out = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", pid, "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended after it was listed
                }
                out.add(parse(task.getFileName().toString(), stat));
            }
        }
        return out;
    }

    static Stat parse(String tid, String stat) {
        // the name is parenthesised and may hold spaces and ')'; fields after it start at field 3
        int close = stat.lastIndexOf(')');
        String[] f = stat.substring(close + 2).split(" ");
        return new Stat(tid, stat.substring(stat.indexOf('(') + 1, close), Integer.parseInt(f[41 - 3]),
                Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]));
    }
}
