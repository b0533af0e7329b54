package dev.xmppscope.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threads for work that must never take CPU from the relay: live analysis and its index, and
 * the proxy JVM's C2 compiler once the relay's code is compiled ({@code JitYield}). On
 * Linux they run under {@code SCHED_IDLE}, so they get a core only when no ordinary thread wants
 * it. A saturated relay thus keeps its full speed and its latency, and the analysis lags behind
 * and catches up (from the store) once the load eases; on an idle machine it runs at full speed.
 *
 * <p>Threads started by such a thread inherit its policy (the kernel copies it on clone), which
 * is how H2's own background threads for the analysis database end up here too: open that
 * database from a background thread ({@link #call}).
 *
 * <p>Java has no API for this (thread priorities are ignored on Linux by default), so the thread
 * looks up its own kernel id in {@code /proc/thread-self} and runs {@code chrt} on it. Where that
 * is impossible (another OS, no util-linux) the work simply runs at normal priority.
 *
 * <p>{@code -Dxmppscope.background=nice} uses nice 19 instead (the analysis keeps a trickle of CPU
 * under saturation), {@code normal} turns this off. Measured at 1,000 stanzas/s, added p99
 * latency: idle +4.2 ms, nice +6.0 ms, normal +7.5 ms.
 */
public final class BackgroundThreads {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundThreads.class);
    /** -Dxmppscope.background=idle (default), nice (nice 19) or normal. */
    private static final String MODE = System.getProperty("xmppscope.background", "idle");
    private static final boolean ENABLED = !MODE.equals("normal");
    private static volatile boolean warned;

    private BackgroundThreads() {
    }

    /** A daemon thread (not started) that lowers itself to background priority before running {@code task}. */
    public static Thread newThread(String name, Runnable task) {
        return newThread(name, task, true);
    }

    /**
     * A daemon thread (not started) for {@code task}, lowered to background priority first if
     * {@code background}: only work in a process that relays needs to yield to the relay.
     */
    public static Thread newThread(String name, Runnable task, boolean background) {
        Thread t = new Thread(background ? () -> {
            lowerCurrentThread();
            task.run();
        } : task, name);
        t.setDaemon(true);
        return t;
    }

    /** Runs {@code task} on a fresh background thread and waits for its result (threads it starts stay in the background). */
    public static <T> T call(String name, Callable<T> task) throws Exception {
        FutureTask<T> f = new FutureTask<>(task);
        newThread(name, f).start();
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        }
    }

    /**
     * The command that starts a whole process at this background priority ({@code chrt --idle 0}
     * or {@code nice -n 19}), to put before its command line; empty when background priority is off.
     */
    public static List<String> processPrefix() {
        return !ENABLED ? List.of() : MODE.equals("nice") ? List.of("nice", "-n", "19") : List.of("chrt", "--idle", "0");
    }

    /** Moves the calling thread to background priority; returns whether that worked. */
    public static boolean lowerCurrentThread() {
        if (!ENABLED) {
            return false;
        }
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "PID/task/TID"
            return lowerThread(self.getFileName().toString());
        } catch (IOException | UnsupportedOperationException e) {
            warnOnce(e.toString());
            return false;
        }
    }

    /**
     * Moves the thread with kernel id {@code tid} (of this process) to background priority;
     * returns whether that worked. One way: an unprivileged thread cannot come back.
     */
    public static boolean lowerThread(String tid) {
        if (!ENABLED) {
            return false;
        }
        List<String> command = MODE.equals("nice") ? List.of("renice", "-n", "19", "-p", tid)
                : List.of("chrt", "--idle", "--pid", "0", tid);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return true;
            }
            p.destroyForcibly();
            warnOnce(String.join(" ", command) + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
        } catch (IOException e) {
            warnOnce(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static void warnOnce(String why) {
        if (!warned) {
            warned = true;
            LOG.info("background work (analysis, the JIT once warm) runs at normal priority and may compete with the relay for CPU: {}", why);
        }
    }
}
