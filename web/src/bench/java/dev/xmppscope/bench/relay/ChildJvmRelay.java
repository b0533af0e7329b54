package dev.xmppscope.bench.relay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A relay running in its own JVM (so its heap, GC and JIT are its own, as in production),
 * started from the runner's classpath. It speaks a line protocol: it prints
 * {@code LISTENING host:port} when ready; {@code heap} → {@code HEAP bytes} (after a full GC);
 * {@code quit} → it closes and exits. Its other output goes to a log file.
 */
public final class ChildJvmRelay implements Relay {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final InetSocketAddress address;

    private ChildJvmRelay(Process process, BufferedReader out, PrintWriter in, InetSocketAddress address) {
        this.process = process;
        this.out = out;
        this.in = in;
        this.address = address;
    }

    /**
     * Starts {@code mainClass} with {@code jvmArgs} and {@code args}. Set the environment variable
     * BENCH_JFR to a directory to record a JFR profile of every child JVM there.
     */
    public static ChildJvmRelay start(String mainClass, List<String> jvmArgs, List<String> args, Path workDir)
            throws IOException {
        Files.createDirectories(workDir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        String jfr = System.getenv("BENCH_JFR");
        if (jfr != null && !jfr.isBlank()) {
            Files.createDirectories(Path.of(jfr));
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
                        Integer.parseInt(hp.substring(colon + 1))));
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
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("HEAP ")) {
                    return OptionalLong.of(Long.parseLong(line.substring(5).trim()));
                }
            }
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("lost the relay JVM while asking for its heap", e);
        }
    }

    @Override
    public void close() {
        in.println("quit");
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
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
