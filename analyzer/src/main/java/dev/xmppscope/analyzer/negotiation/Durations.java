package dev.xmppscope.analyzer.negotiation;

/**
 * Nanosecond durations in words people read ("3.2 ms", "1.5 s", "3 min 5 s", "2 h 10 min"). Formatted
 * by hand: called a few times per stream, {@code String.format} never got compiled and cost more
 * than a stream's close.
 */
public final class Durations {
    private Durations() {
    }

    public static String words(long nanos) {
        if (nanos < 0) {
            return "-" + words(-nanos);
        }
        if (nanos < 1_000_000L) {
            return rounded(nanos, 1_000L) + " µs";
        }
        if (nanos < 1_000_000_000L) {
            return tenths(nanos, 100_000L) + " ms";
        }
        if (rounded(nanos, 100_000_000L) < 1200) {
            return tenths(nanos, 100_000_000L) + " s";
        }
        long seconds = rounded(nanos, 1_000_000_000L);
        // minutes and more (a stream open for hours, a message held for an offline user): two units
        if (seconds < 2 * 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        if (seconds < 2 * 86_400) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
        return seconds / 86_400 + " d " + seconds % 86_400 / 3600 + " h";
    }

    /** {@code nanos} in tenths of a unit ({@code tenth} nanoseconds each), rounded half up: "12.3". */
    private static String tenths(long nanos, long tenth) {
        long t = rounded(nanos, tenth);
        return t / 10 + "." + t % 10;
    }

    private static long rounded(long nanos, long unit) {
        return nanos / unit + (nanos % unit * 2 >= unit ? 1 : 0);
    }
}
