package dev.xmppscope.analyzer.negotiation;

import java.util.Locale;

/** Nanosecond durations in words people read ("3.2 ms", "1.5 s"). */
public final class Durations {
    private Durations() {
    }

    public static String words(long nanos) {
        if (nanos < 0) {
            return "-" + words(-nanos);
        }
        if (nanos < 1_000_000L) {
            return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
        }
        if (nanos < 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
