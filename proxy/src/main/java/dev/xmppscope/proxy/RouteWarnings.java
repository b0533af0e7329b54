package dev.xmppscope.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Says on the console when a route's upstream cannot be reached, the most common misconfiguration
 * (wrong address, server not started): the first failure of a route at once, then at most one line
 * per {@value #QUIET_SECONDS} s with how many failed meanwhile, so a client retrying in a loop
 * cannot flood the terminal. Each connection's own record holds the full detail either way.
 */
final class UpstreamFailureLog {
    static final long QUIET_SECONDS = 30;

    private final LongSupplier nanoClock;
    private final Consumer<String> out;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    UpstreamFailureLog(LongSupplier nanoClock, Consumer<String> out) {
        this.nanoClock = nanoClock;
        this.out = out;
    }

    /** A client of {@code route} was closed because its upstream could not be reached ({@code detail}). */
    void failed(Route route, String detail) {
        windows.computeIfAbsent(route.spec(), k -> new Window()).failed(route.spec(), detail);
    }

    private final class Window {
        private long lastSaidAt;
        private boolean saidOnce;
        private int unsaid;

        synchronized void failed(String route, String detail) {
            long now = nanoClock.getAsLong();
            if (saidOnce && now - lastSaidAt < TimeUnit.SECONDS.toNanos(QUIET_SECONDS)) {
                unsaid++;
                return;
            }
            String more = unsaid == 0 ? "" : " (and " + unsaid + " more since the last message)";
            out.accept("route " + route + ": " + detail + "; the client was disconnected" + more);
            saidOnce = true;
            lastSaidAt = now;
            unsaid = 0;
        }
    }
}
