package dev.xmppscope.bench.compare;

import dev.xmppscope.bench.BenchContext;
import dev.xmppscope.bench.load.SyntheticCapture;
import dev.xmppscope.capture.CaptureStore;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two builds of the analyzer side by side in one JVM, for a change to the analysis's speed
 * (comparison 4): each build's analyzer and proxy classes in a class loader of their own, the
 * bench capture analysed by one, then the other, alternately, the order swapped every round.
 * Both see the same load on the cores, which separate runs, alternated, do not: on these two
 * shared cores they moved by a third while other work ran, and this kept two identical builds
 * within 1–3% of each other. The first fifth of the runs warm up, unrecorded.
 * <pre>./bench --ab REV [RUNS]</pre>
 * builds REV in a git worktree and compares it ("base") with the working tree ("new"). Prints
 * the medians and means of wall and CPU time (the whole JVM's) of each, and new against base.
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
        List<URL> own = new ArrayList<>();
        List<URL> common = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            (isBuild(entry) ? own : common).add(Path.of(entry).toUri().toURL());
        }
        if (own.size() != 2) {
            throw new IllegalStateException("expected this build's analyzer and proxy on the classpath, found " + own);
        }
        List<URL> base = new ArrayList<>();
        for (String entry : args[0].split(File.pathSeparator)) {
            base.add(Path.of(entry).toUri().toURL());
        }
        Path work = Files.createDirectories(Path.of("web/target/analysis-ab"));
        Path pristine = work.resolve("capture");
        CaptureStore.delete(pristine);
        SyntheticCapture capture = SyntheticCapture.build(16, 16_000_000);
        capture.writeTo(pristine);
        BenchContext.log("capture: %d streams, %,d bytes; %d runs of each build, the first %d unrecorded",
                capture.streams().size(), capture.totalBytes(), runs, runs / 5);
        Method[] analyze = {runner(base, common), runner(own, common)};
        double[][] wall = new double[2][runs];
        double[][] cpu = new double[2][runs];
        for (int round = 0; round < runs; round++) {
            for (int k = 0; k < 2; k++) {
                int b = round % 2 == 0 ? k : 1 - k;
                long[] took = invoke(analyze[b], pristine.toString(), work.resolve("copy-" + BUILDS[b]).toString());
                wall[b][round] = took[0] / 1e6;
                cpu[b][round] = took[1] / 1e6;
            }
            if ((round + 1) % 20 == 0) {
                BenchContext.log("%d of %d rounds", round + 1, runs);
            }
        }
        int from = runs / 5;
        System.out.println();
        System.out.printf("%-5s  %12s  %12s  %12s  %12s%n", "build", "wall median", "wall mean", "CPU median", "CPU mean");
        double[][] summary = new double[2][];
        for (int b = 0; b < 2; b++) {
            summary[b] = new double[] {median(wall[b], from), mean(wall[b], from), median(cpu[b], from), mean(cpu[b], from)};
            System.out.printf("%-5s  %9.1f ms  %9.1f ms  %9.1f ms  %9.1f ms%n", BUILDS[b], summary[b][0], summary[b][1],
                    summary[b][2], summary[b][3]);
        }
        System.out.printf("new/base  %8.0f%%  %11.0f%%  %11.0f%%  %11.0f%%%n", 100 * summary[1][0] / summary[0][0],
                100 * summary[1][1] / summary[0][1], 100 * summary[1][2] / summary[0][2], 100 * summary[1][3] / summary[0][3]);
        System.out.printf("(%d recorded runs each; CPU is the whole JVM's, counted in the kernel's ticks of 10 ms)%n", runs - from);
    }

    /** Whether a classpath entry is this build's analyzer or proxy (module classes, or their jars). */
    private static boolean isBuild(String entry) {
        String e = entry.replace(File.separatorChar, '/');
        return e.endsWith("/analyzer/target/classes") || e.endsWith("/proxy/target/classes")
                || e.matches(".*/xmppscope-(analyzer|proxy)-[^/]*(?<!-tests)\\.jar");
    }

    /** {@link Run#once} as loaded, with everything it uses, by a class loader of {@code build} + {@code common}. */
    private static Method runner(List<URL> build, List<URL> common) throws Exception {
        List<URL> urls = new ArrayList<>(build);
        urls.addAll(common);
        ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        Class.forName("org.h2.Driver", true, loader); // the JDBC driver manager hands each loader its own driver
        return loader.loadClass(Run.class.getName()).getMethod("once", String.class, String.class);
    }

    private static long[] invoke(Method once, String pristine, String copy) throws Exception {
        try {
            return (long[]) once.invoke(null, pristine, copy);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    private static double median(double[] values, int from) {
        double[] v = Arrays.copyOfRange(values, from, values.length);
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double mean(double[] values, int from) {
        return Arrays.stream(values, from, values.length).average().orElse(Double.NaN);
    }

    /** One analysis of a fresh copy of the capture, as comparison 4 times it; loaded once per build. */
    public static final class Run {
        private Run() {
        }

        /** Wall and CPU nanoseconds of one analysis of a copy of {@code pristine} made at {@code copy}. */
        public static long[] once(String pristine, String copy) throws Exception {
            Path at = Path.of(copy);
            CaptureStore.delete(at);
            CaptureStore.copy(Path.of(pristine), at);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu = os.getProcessCpuTime();
            long start = System.nanoTime();
            new XmppscopeAnalysis().analyze(at);
            long[] took = {System.nanoTime() - start, os.getProcessCpuTime() - cpu};
            CaptureStore.delete(at);
            return took;
        }
    }
}
