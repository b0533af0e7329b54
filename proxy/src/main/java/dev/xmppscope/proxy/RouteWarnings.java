package dev.xmppscope.proxy;

import dev.xmppscope.capture.CloseReason;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Says on the console when a route's connections end for a reason the user can fix: an upstream
 * that cannot be reached (wrong address, server not started), a TLS handshake that failed (a
 * client that does not trust xmppscope's CA, an upstream certificate not trusted). The first
 * time for each route and kind of problem at once, then at most one line per
 * {@value #QUIET_SECONDS} s counting what happened meanwhile, so a client retrying in a loop
 * cannot flood the terminal. Each connection's own record holds the full detail either way.
 */
final class RouteWarnings {
    static final long QUIET_SECONDS = 30;

    private final LongSupplier nanoClock;
    private final Consumer<String> out;
    private final Map<Problem, Window> windows = new ConcurrentHashMap<>();

    RouteWarnings(LongSupplier nanoClock, Consumer<String> out) {
        this.nanoClock = nanoClock;
        this.out = out;
    }

    /** A connection of {@code route} ended for {@code reason}, as {@code detail} says; only the reasons above are said. */
    void connectionEnded(Route route, CloseReason reason, String detail) {
        if (reason == CloseReason.UPSTREAM_UNREACHABLE || reason == CloseReason.TLS_FAILED) {
            windows.computeIfAbsent(new Problem(route, reason), k -> new Window()).said(route.spec(), detail);
        }
    }

    private record Problem(Route route, CloseReason reason) {
    }

    private final class Window {
        private long lastSaidAt;
        private boolean saidOnce;
        private int unsaid;

        synchronized void said(String route, String detail) {
            long now = nanoClock.getAsLong();
            if (saidOnce && now - lastSaidAt < TimeUnit.SECONDS.toNanos(QUIET_SECONDS)) {
                unsaid++;
                return;
            }
            String more = unsaid == 0 ? "" : " (and " + unsaid + " more like it since the last message)";
            out.accept("route " + route + ": " + detail + "; the connection was closed" + more);
            saidOnce = true;
            lastSaidAt = now;
            unsaid = 0;
        }
    }
}
