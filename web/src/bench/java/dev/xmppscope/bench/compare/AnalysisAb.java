package dev.xmppscope.bench.compare;

import dev.xmppscope.bench.BenchContext;
import dev.xmppscope.bench.load.SyntheticCapture;
import dev.xmppscope.capture.CaptureStore;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two builds of the analyzer side by side, for a change to the analysis's speed (comparison 4):
 * each build in a JVM of its own, both started at once and kept running, analysing the bench
 * capture in turn, one run of one, then one of the other, the order swapped every round. Both see
 * the same load on the cores, which runs of one build after the other's do not: on these two
 * shared cores those moved by a third while other work ran. One JVM with a class loader per build
 * was tried first: the JDK's code, shared by both, was compiled for whichever ran first, and two
 * identical builds came out 9% apart. The first fifth of the runs warm up, unrecorded.
 * <pre>./bench --ab REV [RUNS]</pre>
 * builds REV in a git worktree and compares it ("base") with the working tree ("new"). Prints
 * the medians and means of wall and CPU time (each build's JVM's) of each, and new against base.
 */
public final class AnalysisAb {
    private static final String[] BUILDS = {"base", "new"};

    private AnalysisAb() {
    }

    /** {@code BASE_CLASSPATH [RUNS]}: the other build's analyzer and proxy classes; this JVM's are "new". */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: AnalysisAb BASE_CLASSPATH [RUNS] (see ./bench --ab)");
        }
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 80;
        List<String> own = new ArrayList<>();
        List<String> common = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            (isBuild(entry) ? own : common).add(entry);
        }
        if (own.size() != 2) {
            throw new IllegalStateException("expected this build's analyzer and proxy on the classpath, found " + own);
        }
        Path work = Files.createDirectories(Path.of("web/target/analysis-ab"));
        Path pristine = work.resolve("capture");
        CaptureStore.delete(pristine);
        SyntheticCapture capture = SyntheticCapture.build(16, 16_000_000);
        capture.writeTo(pristine);
        BenchContext.log("capture: %d streams, %,d bytes; %d runs of each build, the first %d unrecorded",
                capture.streams().size(), capture.totalBytes(), runs, runs / 5);
        List<String> base = new ArrayList<>(List.of(args[0].split(File.pathSeparator)));
        base.addAll(common);
        List<String> mine = new ArrayList<>(own);
        mine.addAll(common);
        double[][] wall = new double[2][runs];
        double[][] cpu = new double[2][runs];
        try (Child b = new Child(base, pristine, work.resolve("copy-base")); Child n = new Child(mine, pristine, work.resolve("copy-new"))) {
            Child[] children = {b, n};
            for (int round = 0; round < runs; round++) {
                for (int k = 0; k < 2; k++) {
                    int i = round % 2 == 0 ? k : 1 - k;
                    long[] took = children[i].run();
                    wall[i][round] = took[0] / 1e6;
                    cpu[i][round] = took[1] / 1e6;
                }
                if ((round + 1) % 20 == 0) {
                    BenchContext.log("%d of %d rounds", round + 1, runs);
                }
            }
        }
        int from = runs / 5;
        System.out.println();
        System.out.printf("%-5s  %12s  %12s  %12s  %12s%n", "build", "wall median", "wall mean", "CPU median", "CPU mean");
        double[][] summary = new double[2][];
        for (int i = 0; i < 2; i++) {
            summary[i] = new double[] {median(wall[i], from), mean(wall[i], from), median(cpu[i], from), mean(cpu[i], from)};
            System.out.printf("%-5s  %9.1f ms  %9.1f ms  %9.1f ms  %9.1f ms%n", BUILDS[i], summary[i][0], summary[i][1],
                    summary[i][2], summary[i][3]);
        }
        System.out.printf("new/base  %8.0f%%  %11.0f%%  %11.0f%%  %11.0f%%%n", 100 * summary[1][0] / summary[0][0],
                100 * summary[1][1] / summary[0][1], 100 * summary[1][2] / summary[0][2], 100 * summary[1][3] / summary[0][3]);
        System.out.printf("(%d recorded runs each; CPU is each build's JVM's, counted in the kernel's ticks of 10 ms)%n", runs - from);
    }

    /** Whether a classpath entry is this build's analyzer or proxy (module classes, or their jars). */
    private static boolean isBuild(String entry) {
        String e = entry.replace(File.separatorChar, '/');
        return e.endsWith("/analyzer/target/classes") || e.endsWith("/proxy/target/classes")
                || e.matches(".*/xmppscope-(analyzer|proxy)-[^/]*(?<!-tests)\\.jar");
    }

    private static double median(double[] values, int from) {
        double[] v = Arrays.copyOfRange(values, from, values.length);
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double mean(double[] values, int from) {
        return Arrays.stream(values, from, values.length).average().orElse(Double.NaN);
    }

    /** One build's JVM ({@link #child}): told "run" on its input, it answers with one analysis's wall and CPU nanoseconds. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final BufferedReader answers;
        private final PrintWriter asks;

        Child(List<String> classpath, Path pristine, Path copy) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xmx1g", "-XX:+UseParallelGC", "-cp", String.join(File.pathSeparator, classpath),
                    AnalysisAb.class.getName() + "$Runs", pristine.toString(), copy.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            asks = new PrintWriter(process.getOutputStream(), true, StandardCharsets.US_ASCII);
        }

        long[] run() throws IOException {
            asks.println("run");
            String line;
            do { // what else it prints (a log line) is not an answer
                line = answers.readLine();
                if (line == null) {
                    throw new IOException("a build's JVM ended (its error output is above)");
                }
            } while (!line.matches("\\d+ \\d+"));
            String[] parts = line.split(" ");
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        }

        @Override
        public void close() throws InterruptedException {
            asks.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The child JVM: {@code PRISTINE COPY}; for each "run" read, one analysis of a fresh copy, as comparison 4 times it. */
    public static final class Runs {
        private Runs() {
        }

        public static void main(String[] args) throws Exception {
            Path pristine = Path.of(args[0]);
            Path copy = Path.of(args[1]);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            while (in.readLine() != null) {
                CaptureStore.delete(copy);
                CaptureStore.copy(pristine, copy);
                long cpu = os.getProcessCpuTime();
                long start = System.nanoTime();
                new XmppscopeAnalysis().analyze(copy);
                System.out.println((System.nanoTime() - start) + " " + (os.getProcessCpuTime() - cpu));
                System.out.flush();
                CaptureStore.delete(copy);
            }
        }
    }
}
