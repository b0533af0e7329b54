package dev.xmppscope.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every measurement of a run, with medians over rounds. */
public final class Results {
    private final List<Measurement> all = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    public void add(Measurement m) {
        all.add(m);
    }

    /** A contender or comparison that could not run, with the reason; shown in the table, never hidden. */
    public void failed(String what) {
        failures.add(what);
    }

    public List<Measurement> all() {
        return List.copyOf(all);
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    public List<Measurement> of(String comparison) {
        return all.stream().filter(m -> m.comparison().equals(comparison)).toList();
    }

    /** Scenarios of a comparison, in the order first measured. */
    public Set<String> scenarios(String comparison) {
        Set<String> out = new LinkedHashSet<>();
        of(comparison).forEach(m -> out.add(m.scenario()));
        return out;
    }

    /** Contenders of a comparison, in the order first measured. */
    public Set<String> contenders(String comparison) {
        Set<String> out = new LinkedHashSet<>();
        of(comparison).forEach(m -> out.add(m.contender()));
        return out;
    }

    /** Metric names of a comparison, in the order first measured. */
    public List<String> metrics(String comparison) {
        Set<String> out = new LinkedHashSet<>();
        of(comparison).forEach(m -> out.addAll(m.metrics().keySet()));
        return new ArrayList<>(out);
    }

    /** Median over rounds of one metric, or empty when never measured. */
    public OptionalDouble median(String comparison, String scenario, String contender, String metric) {
        double[] values = of(comparison).stream()
                .filter(m -> m.scenario().equals(scenario) && m.contender().equals(contender))
                .map(m -> m.metrics().get(metric)).filter(v -> v != null && !v.isNaN())
                .mapToDouble(Double::doubleValue).toArray();
        return median(values);
    }

    /** The median of {@code values} (sorted here), or empty when there are none. */
    public static OptionalDouble median(double[] values) {
        if (values.length == 0) {
            return OptionalDouble.empty();
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return OptionalDouble.of(n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
    }

    /** How many rounds measured this contender in this scenario. */
    public int rounds(String comparison, String scenario, String contender) {
        return (int) of(comparison).stream()
                .filter(m -> m.scenario().equals(scenario) && m.contender().equals(contender)).count();
    }

}
