package dev.xmppscope.bench.compare;

import dev.xmppscope.bench.report.Table;
import java.util.OptionalDouble;

/** Ratio cells for tables: "87%" or "n/a" when either side was not measured. */
final class Ratios {
    private Ratios() {
    }

    static String percentOf(OptionalDouble value, OptionalDouble reference) {
        if (value.isEmpty() || reference.isEmpty() || reference.getAsDouble() == 0) {
            return "n/a";
        }
        return Table.percent(value.getAsDouble() / reference.getAsDouble());
    }

    static String times(OptionalDouble value, OptionalDouble reference) {
        if (value.isEmpty() || reference.isEmpty() || reference.getAsDouble() == 0) {
            return "n/a";
        }
        return Table.num(value.getAsDouble() / reference.getAsDouble()) + "x";
    }
}
