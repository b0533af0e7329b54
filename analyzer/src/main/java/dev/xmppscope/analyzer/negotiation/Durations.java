package dev.xmppscope.analyzer.negotiation;

/**
 * Nanosecond durations in words people read ("3.2 ms", "1.5 s"). Formatted by hand: called a few
 * times per stream, {@code String.format} never got compiled and cost more than a stream's close.
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
        return tenths(nanos, 100_000_000L) + " s";
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
