package dev.xmppscope.capture;

import java.time.Instant;

/**
 * Wall-clock time in nanoseconds since the Unix epoch, with {@link System#nanoTime()}
 * resolution and never going backwards within one process.
 */
public final class CaptureClock {
    private static final long BASE_EPOCH_NANOS;
    private static final long BASE_MONO;

    static {
        Instant now = Instant.now();
        BASE_MONO = System.nanoTime();
        BASE_EPOCH_NANOS = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private CaptureClock() {
    }

    public static long nowNanos() {
        return BASE_EPOCH_NANOS + (System.nanoTime() - BASE_MONO);
    }

    public static Instant toInstant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
