package dev.xmppscope.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Live analysis must run where it cannot take CPU from the relay: SCHED_IDLE, inherited by the threads it starts. */
class BackgroundThreadsTest {
    private static final int SCHED_IDLE = 5;
    private static final int SCHED_OTHER = 0;

    @Test
    void backgroundThreadsAndTheThreadsTheyStartRunUnderSchedIdle() throws Exception {
        AtomicReference<Integer> own = new AtomicReference<>();
        AtomicReference<Integer> child = new AtomicReference<>();
        Thread t = BackgroundThreads.newThread("test-background", () -> {
            own.set(policyOfCurrentThread());
            Thread c = new Thread(() -> child.set(policyOfCurrentThread()));
            c.start();
            try {
                c.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(t.isDaemon(), "never keeps the JVM alive");
        t.start();
        t.join(10_000);
        assertEquals(SCHED_IDLE, own.get(), "the background thread itself");
        assertEquals(SCHED_IDLE, child.get(), "a thread it starts (how H2's threads for the analysis get there)");
        assertEquals(SCHED_OTHER, policyOfCurrentThread(), "the caller is left alone");
    }

    @Test
    void aThreadOfAProcessThatRelaysNothingKeepsNormalPriority() throws Exception {
        AtomicReference<Integer> policy = new AtomicReference<>();
        Thread t = BackgroundThreads.newThread("test-foreground", () -> policy.set(policyOfCurrentThread()), false);
        assertTrue(t.isDaemon(), "never keeps the JVM alive");
        t.start();
        t.join(10_000);
        assertEquals(SCHED_OTHER, policy.get());
    }

    @Test
    void callRunsOnABackgroundThreadAndReturnsItsResult() throws Exception {
        assertEquals(SCHED_IDLE, BackgroundThreads.call("test-call", BackgroundThreadsTest::policyOfCurrentThread));
    }

    /** Field 41 of /proc/thread-self/stat: the scheduling policy. */
    private static int policyOfCurrentThread() {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/thread-self/stat"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[41 - 3]);
    }
}
