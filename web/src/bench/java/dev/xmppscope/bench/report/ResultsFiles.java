package dev.xmppscope.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a run's raw measurements, medians and target verdicts as JSON and CSV. */
public final class ResultsFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsFiles() {
    }

    public static void write(Path dir, MachineInfo machine, String command, Results results,
                             List<ComparisonReport> reports) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> doc = summary(machine, command, results, reports);
        doc.put("measurements", results.all());
        JSON.writeValue(dir.resolve("results.json").toFile(), doc);

        StringBuilder csv = new StringBuilder("comparison,scenario,contender,round,metric,value\n");
        for (Measurement m : results.all()) {
            m.metrics().forEach((k, v) -> csv.append(String.join(",", quote(m.comparison()), quote(m.scenario()),
                    quote(m.contender()), String.valueOf(m.round()), quote(k), String.valueOf(v))).append('\n'));
        }
        Files.writeString(dir.resolve("results.csv"), csv);
    }

    /**
     * Updates the committed copy beside BENCHMARKS.md: one entry per comparison, replaced only for
     * the comparisons this run measured (so it always matches the tables in the document).
     */
    @SuppressWarnings("unchecked")
    public static void updateDocCopy(Path json, MachineInfo machine, String command, Results results,
                                     List<ComparisonReport> reports) throws IOException {
        Map<String, Object> all = Files.exists(json) ? JSON.readValue(json.toFile(), LinkedHashMap.class) : new LinkedHashMap<>();
        for (ComparisonReport r : reports) {
            Map<String, Object> entry = summary(machine, command, results, List.of(r));
            entry.put("measurements", results.of(r.name()));
            all.put(r.name(), entry);
        }
        JSON.writeValue(json.toFile(), all);
    }

    private static Map<String, Object> summary(MachineInfo machine, String command, Results results,
                                               List<ComparisonReport> reports) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("command", command);
        doc.put("machine", machine.toMap());
        List<Map<String, Object>> medians = new ArrayList<>();
        for (ComparisonReport r : reports) {
            for (String scenario : results.scenarios(r.name())) {
                for (String contender : results.contenders(r.name())) {
                    for (String metric : results.metrics(r.name())) {
                        results.median(r.name(), scenario, contender, metric).ifPresent(v -> {
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("comparison", r.name());
                            row.put("scenario", scenario);
                            row.put("contender", contender);
                            row.put("metric", metric);
                            row.put("median", v);
                            row.put("rounds", results.rounds(r.name(), scenario, contender));
                            medians.add(row);
                        });
                    }
                }
            }
        }
        doc.put("medians", medians);
        List<Map<String, Object>> targets = new ArrayList<>();
        for (ComparisonReport r : reports) {
            for (TargetCheck t : r.targets()) {
                targets.add(Map.of("comparison", r.name(), "target", t.target(), "measured", t.measured(),
                        "verdict", t.verdict().name()));
            }
        }
        doc.put("targets", targets);
        doc.put("failures", results.failures().stream()
                .filter(f -> reports.stream().anyMatch(r -> f.startsWith(r.name() + " ") || f.startsWith(r.name() + ":")))
                .toList());
        return doc;
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
