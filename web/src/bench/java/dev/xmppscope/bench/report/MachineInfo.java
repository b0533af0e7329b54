package dev.xmppscope.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The machine a run happened on: cores, CPU model, RAM, JDK, kernel, time. Benchmark numbers
 * mean nothing without it.
 */
public record MachineInfo(int cores, String cpu, long ramMiB, String jdk, String os, String startedAt, String loadAverage) {

    public static MachineInfo detect() {
        String cpu = read("/proc/cpuinfo").flatMap(s -> s.lines().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())).orElse("unknown");
        long ram = read("/proc/meminfo").flatMap(s -> s.lines().filter(l -> l.startsWith("MemTotal:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024)).orElse(-1L);
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), cpu, ram,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                read("/proc/loadavg").map(l -> String.join(" ", java.util.Arrays.copyOf(l.trim().split("\\s+"), 3)))
                        .orElse("unknown"));
    }

    /** One line for a Markdown document or the console. */
    public String describe() {
        return "%d cores (nproc), %s, %,d MiB RAM, %s, %s; run started %s, load average %s"
                .formatted(cores, cpu, ramMiB, jdk, os, startedAt, loadAverage);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nproc", cores);
        m.put("cpu", cpu);
        m.put("ramMiB", ramMiB);
        m.put("jdk", jdk);
        m.put("os", os);
        m.put("startedAt", startedAt);
        m.put("loadAverage", loadAverage);
        return m;
    }

    private static Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(Path.of(file)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
