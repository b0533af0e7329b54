package dev.xmppscope.bench.relay;

import dev.xmppscope.bench.BenchContext;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Each contender's relay, started once and shared by every round of a comparison, as a proxy in
 * front of a server stays up: later rounds measure it warm (JIT-compiled), not starting. A
 * contender that fails to start is recorded as failed and has no relay.
 */
public final class StartedRelays implements AutoCloseable {
    private final Map<Contender, Relay> relays = new LinkedHashMap<>();

    private StartedRelays() {
    }

    public static StartedRelays start(BenchContext ctx, String comparison, List<Contender> contenders,
                                      InetSocketAddress upstream) {
        StartedRelays started = new StartedRelays();
        for (Contender c : contenders) {
            try {
                started.relays.put(c, c.start(upstream, ctx.workDir().resolve(comparison + "-" + c.name()
                        .replaceAll("[^a-z0-9]+", "-"))));
            } catch (Exception e) {
                ctx.results().failed(comparison + " " + c.name() + ": " + e.getMessage());
                BenchContext.log("  %s %s FAILED to start: %s", comparison, c.name(), e);
            }
        }
        return started;
    }

    /**
     * Waits until the relay's process tree uses under a tenth of a core (at most 30 s): work it
     * left running in the background (xmppscope's live analysis catching up) must not slow the
     * next contender measured.
     */
    public static void awaitQuiet(Relay relay) throws InterruptedException {
        if (relay.pid().isEmpty()) {
            return;
        }
        long pid = relay.pid().getAsLong();
        long deadline = System.nanoTime() + 30_000_000_000L;
        OptionalLong before = CpuTime.ofTree(pid);
        while (before.isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            OptionalLong after = CpuTime.ofTree(pid);
            if (after.isEmpty() || after.getAsLong() - before.getAsLong() < 50_000_000L) {
                return;
            }
            before = after;
        }
    }

    /** The contender's relay, or null if it did not start. */
    public Relay get(Contender c) {
        return relays.get(c);
    }

    @Override
    public void close() {
        relays.values().forEach(Relay::close);
    }
}
