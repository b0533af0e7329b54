package dev.xmppscope.bench.relay;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time consumed, as opposed to wall time: on a machine shared with other work, CPU seconds
 * per unit of work is the figure that stays comparable between runs.
 */
public final class CpuTime {
    /** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel config. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private CpuTime() {
    }

    /** CPU time of this JVM (all threads: work, GC, JIT, H2 background writers), in nanoseconds. */
    public static long ofThisProcess() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** User + system CPU of {@code pid} and its live descendants (socat forks), in nanoseconds. */
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

    /** User + system CPU of one process from /proc/PID/stat, in nanoseconds; empty once it is gone. */
    public static OptionalLong of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // fields after the parenthesised command name; utime and stime are fields 14 and 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of((Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
