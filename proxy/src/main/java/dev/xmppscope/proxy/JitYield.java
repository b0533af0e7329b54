package dev.xmppscope.proxy;

import dev.xmppscope.capture.BackgroundThreads;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the JVM's C2 compiler threads to background priority ({@link BackgroundThreads}) once the
 * relay's hot paths are compiled, so that a compilation never delays the relay.
 *
 * <p>Why: a C2 compilation holds a core for milliseconds at a time, and a relay thread that wakes
 * on that core waits behind it until the kernel's next tick (up to 4 ms; the other core was idle
 * meanwhile). At 1,000 stanzas/s C2 went on compiling, in such bursts, for minutes (paths that
 * run per commit, not per read, reach its thresholds slowly), and that was most of the relay's
 * p99 round trip. A {@code SCHED_IDLE} thread is preempted as soon as an ordinary one wakes.
 *
 * <p>Why not from the start: under saturation a {@code SCHED_IDLE} thread gets no CPU at all, so a
 * flood right after the start would run uncompiled code for minutes (measured: a quarter of the
 * throughput at 100 connections), and an unprivileged thread cannot come back from
 * {@code SCHED_IDLE}. So this waits for evidence that the relay's code is compiled: at least
 * {@value #MIN_READS} reads relayed, then C2 busy less than {@value #CALM_PERCENT}% of a core over
 * {@value #CALM_SECONDS} s. C1 stays at normal priority (its compilations are short), so code that
 * a later change of traffic deoptimizes is compiled again at once, by C1.
 */
public final class JitYield implements AutoCloseable {
    static final long MIN_READS = 100_000;
    static final int CALM_SECONDS = 10;
    static final int CALM_PERCENT = 5;
    private static final Logger LOG = LoggerFactory.getLogger(JitYield.class);
    /** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel config. */
    private static final long MILLIS_PER_TICK = 10;
    /** HotSpot's name for them, cut to 15 characters by the kernel ({@code C2 CompilerThread0}). */
    private static final String C2_THREAD = "C2 CompilerThre";

    private final LongSupplier reads;
    private final long minReads;
    private final int calmSeconds;
    private final Thread watcher;
    private volatile boolean yielded;

    private JitYield(LongSupplier reads, long minReads, int calmSeconds) {
        this.reads = reads;
        this.minReads = minReads;
        this.calmSeconds = calmSeconds;
        this.watcher = new Thread(this::watch, "xmppscope-jit-yield");
        watcher.setDaemon(true);
    }

    /** Watches the compiler of this JVM, which relays; {@code reads} counts the reads relayed so far. */
    public static JitYield start(LongSupplier reads) {
        return start(reads, MIN_READS, CALM_SECONDS);
    }

    static JitYield start(LongSupplier reads, long minReads, int calmSeconds) {
        JitYield y = new JitYield(reads, minReads, calmSeconds);
        y.watcher.start();
        return y;
    }

    /** Whether the compiler threads were moved to background priority. */
    public boolean yielded() {
        return yielded;
    }

    private void watch() {
        Deque<Long> cpuMillis = new ArrayDeque<>(); // C2's CPU time at each of the last seconds
        try {
            while (true) {
                List<KernelThreads.Stat> threads = c2Threads();
                if (threads.isEmpty()) {
                    return; // not HotSpot with C2, or no /proc: nothing to do
                }
                cpuMillis.addLast(threads.stream().mapToLong(KernelThreads.Stat::cpuTicks).sum() * MILLIS_PER_TICK);
                if (cpuMillis.size() > calmSeconds + 1) {
                    cpuMillis.removeFirst();
                }
                long busy = cpuMillis.getLast() - cpuMillis.getFirst();
                if (reads.getAsLong() >= minReads && cpuMillis.size() == calmSeconds + 1
                        && busy * 100 < CALM_PERCENT * 1000L * calmSeconds) {
                    lower(threads);
                    return;
                }
                TimeUnit.SECONDS.sleep(1);
            }
        } catch (InterruptedException e) {
            // closed
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot watch the JIT compiler's threads: {}", e.toString());
        }
    }

    private void lower(List<KernelThreads.Stat> threads) {
        boolean all = true;
        for (KernelThreads.Stat t : threads) {
            // threads HotSpot adds later are started by a compiler thread and inherit its policy
            all &= BackgroundThreads.lowerThread(t.tid());
        }
        yielded = all;
        if (all) {
            LOG.debug("the relay's code is compiled: the JIT's C2 compiler now runs at background priority");
        }
    }

    /** Whether {@code t} is one of HotSpot's C2 compiler threads (the bench checks a relay's with it). */
    public static boolean isC2Compiler(KernelThreads.Stat t) {
        return t.name().startsWith(C2_THREAD);
    }

    private static List<KernelThreads.Stat> c2Threads() throws IOException {
        return KernelThreads.of("self").stream().filter(JitYield::isC2Compiler).toList();
    }

    @Override
    public void close() {
        watcher.interrupt();
    }
}
