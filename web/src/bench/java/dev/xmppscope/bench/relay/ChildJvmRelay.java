package dev.xmppscope.bench.relay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A relay running in its own JVM (so its heap, GC and JIT are its own, as in production),
 * started from the runner's classpath. It speaks a line protocol: it prints
 * {@code LISTENING host:port} when ready; {@code heap} → {@code HEAP bytes} (after a full GC);
 * {@code quit} → it closes and exits. Its other output goes to a log file.
 */
public final class ChildJvmRelay implements Relay {
    private final Process process;
    private final PrintWriter in;
    private final InetSocketAddress address;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final List<Path> deleteOnClose = new ArrayList<>();

    private ChildJvmRelay(Process process, BufferedReader out, PrintWriter in, InetSocketAddress address, Path log) {
        this.process = process;
        this.in = in;
        this.address = address;
        // keep draining stdout so a chatty child never blocks on a full pipe
        Thread drain = new Thread(() -> {
            try (PrintWriter logOut = new PrintWriter(Files.newBufferedWriter(log), true)) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("HEAP ")) {
                        replies.add(line);
                    } else {
                        logOut.println(line);
                    }
                }
            } catch (IOException e) {
                replies.add("GONE " + e.getMessage());
            }
            replies.add("GONE");
        }, "relay-stdout-" + process.pid());
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * Starts {@code mainClass} with {@code jvmArgs} and {@code args}. With the system property
     * {@code bench.jfr} (or the environment variable BENCH_JFR) naming a directory, every child JVM
     * records a JFR profile there.
     */
    public static ChildJvmRelay start(String mainClass, List<String> jvmArgs, List<String> args, Path workDir)
            throws IOException {
        Files.createDirectories(workDir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        String jfr = System.getProperty("bench.jfr", System.getenv("BENCH_JFR"));
        if (jfr != null && !jfr.isBlank()) {
            Files.createDirectories(Path.of(jfr));
            // without it, JFR puts a sample at the nearest point with debug information (a
            // safepoint), which can be in another method than the inlined one that was running
            cmd.add("-XX:+UnlockDiagnosticVMOptions");
            cmd.add("-XX:+DebugNonSafepoints");
            cmd.add("-XX:StartFlightRecording=settings=profile,filename="
                    + Path.of(jfr, workDir.getFileName() + ".jfr").toAbsolutePath());
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(workDir.resolve("stderr.log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("LISTENING ")) {
                String hp = line.substring("LISTENING ".length()).trim();
                int colon = hp.lastIndexOf(':');
                return new ChildJvmRelay(p, out, in, new InetSocketAddress(InetAddress.getByName(hp.substring(0, colon)),
                        Integer.parseInt(hp.substring(colon + 1))), workDir.resolve("stdout.log"));
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException(mainClass + " exited before listening; see " + workDir.resolve("stderr.log")
                + ": " + tail(workDir.resolve("stderr.log")));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public synchronized OptionalLong heapUsedAfterGc() {
        in.println("heap");
        try {
            String line = replies.poll(60, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("HEAP ")) {
                throw new IllegalStateException("the relay JVM did not report its heap (" + line + ")");
            }
            return OptionalLong.of(Long.parseLong(line.substring(5).trim()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /** Deletes {@code file} (a directory: with its contents) once the JVM has exited, e.g. a capture of several GB. */
    public ChildJvmRelay deleteOnClose(Path file) {
        deleteOnClose.add(file);
        return this;
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            for (Path p : deleteOnClose) {
                try (var tree = Files.walk(p)) {
                    for (Path f : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // nothing was written there
                } catch (IOException e) {
                    System.err.println("cannot delete " + p + ": " + e.getMessage());
                }
            }
        }
    }

    private void stop() {
        in.println("quit");
        try {
            // a full run lets the proxy drain its recording backlog so it does not steal CPU from the
            // next contender; a quick smoke run (bench.quick) does not wait for that
            if (!process.waitFor(Boolean.getBoolean("bench.quick") ? 2 : 30, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
