package dev.xmppscope.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording's CPU samples ({@code jdk.ExecutionSample}) and says where the time
 * went: the hottest methods by self time, and the xmppscope methods (and threads) by inclusive
 * time, which is what points at the class to change.
 */
public final class JfrSummary {
    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        for (String file : args) {
            System.out.println(summarize(Path.of(file), 15));
        }
    }

    public static String summarize(Path jfr, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("dev.xmppscope.") && !n.startsWith("dev.xmppscope.bench.") && seen.add(n)) {
                    inclusive.merge(n, 1, Integer::sum);
                }
            }
            var thread = e.getThread("sampledThread");
            threads.merge(thread == null ? "?" : thread.getJavaName().replaceAll("-\\d+(-\\d+)?$", "-N"), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder("JFR " + jfr + ": " + samples + " CPU samples\n");
        section(sb, "hottest methods (self)", self, samples, top);
        section(sb, "xmppscope methods (inclusive)", inclusive, samples, top);
        section(sb, "threads", threads, samples, 8);
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, Map<String, Integer> counts, int total, int top) {
        sb.append("  ").append(title).append(":\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> sb.append(String.format("    %5.1f%%  %s%n", 100.0 * en.getValue() / Math.max(1, total), en.getKey())));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** Summaries of every .jfr file in {@code dir}. */
    public static String summarizeAll(Path dir, int top) throws IOException {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return "";
        }
        try (var files = java.nio.file.Files.list(dir)) {
            List<Path> jfrs = files.filter(p -> p.toString().endsWith(".jfr")).sorted().collect(Collectors.toList());
            StringBuilder sb = new StringBuilder();
            for (Path p : jfrs) {
                sb.append(summarize(p, top)).append('\n');
            }
            return sb.toString();
        }
    }
}
