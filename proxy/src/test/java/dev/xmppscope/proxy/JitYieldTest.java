package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JIT's C2 compiler yields to the relay (SCHED_IDLE) once the relay's code has run and C2
 * is calm, never before: a SCHED_IDLE compiler gets no CPU under saturation. Each case runs in a
 * JVM of its own ({@link Child}), so this test JVM's compiler is left alone.
 */
class JitYieldTest {
    private static final int SCHED_OTHER = 0;

    @Test
    void c2YieldsOnceTheRelayHasReadEnoughAndC2IsCalm() throws Exception {
        List<String> out = runChild(JitYield.MIN_READS, 15);
        assertTrue(out.contains("yielded true"), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("C2 ")), "the child has a C2 compiler thread: " + out);
        for (String line : out) {
            if (line.startsWith("C2 ")) {
                assertEquals("C2 " + KernelThreads.SCHED_IDLE, line, "every C2 compiler thread");
            }
            if (line.startsWith("C1 ")) {
                assertEquals("C1 " + SCHED_OTHER, line, "C1 keeps normal priority: it compiles deoptimized code again at once");
            }
        }
    }

    @Test
    void c2KeepsNormalPriorityWhileTheRelayHasNotRunEnough() throws Exception {
        List<String> out = runChild(JitYield.MIN_READS - 1, 6);
        assertTrue(out.contains("yielded false"), out.toString());
        assertTrue(out.contains("C2 " + SCHED_OTHER), "a proxy started and left idle must still compile a flood at full priority: " + out);
    }

    /** Runs {@link Child} with {@code reads} reads relayed for {@code seconds} at most; its output lines. */
    private static List<String> runChild(long reads, int seconds) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                Long.toString(reads), Integer.toString(seconds)).redirectErrorStream(true).start();
        assertTrue(child.waitFor(seconds + 30L, TimeUnit.SECONDS), "the child ends");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out);
        return List.of(out.split("\n"));
    }

    /** Starts a JitYield (calm after 2 s) with a fixed count of reads, waits, prints its compiler threads' policies. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            long reads = Long.parseLong(args[0]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
            try (JitYield jit = JitYield.start(() -> reads, JitYield.MIN_READS, 2)) {
                while (!jit.yielded() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                System.out.println("yielded " + jit.yielded());
            }
            for (String line : compilerPolicies()) {
                System.out.println(line);
            }
        }

        private static List<String> compilerPolicies() throws IOException {
            return KernelThreads.of("self").stream()
                    .filter(t -> t.name().startsWith("C1 CompilerThre") || JitYield.isC2Compiler(t))
                    .map(t -> t.name().substring(0, 2) + " " + t.policy()).toList();
        }
    }
}
