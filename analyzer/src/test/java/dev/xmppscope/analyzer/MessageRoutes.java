package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.model.StanzaSummary;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The route of a message found by its body, for the live tests that wait for the analysis to catch up. */
final class MessageRoutes {
    private MessageRoutes() {
    }

    /** The route of the first message whose XML holds {@code body}, if it has one yet. */
    static Optional<StanzaRoute> routeOf(Analyzer a, String body) {
        List<StanzaSummary> found = a.stanzas(new StanzaQuery(body, null, "message", null, null, null, null, null, null,
                null, 20)).items();
        return found.isEmpty() ? Optional.empty() : a.route(found.get(0).ref());
    }

    /** Waits up to 20 s for that route to have at least {@code hops} hops (the recorder hands chunks over after committing them). */
    static StanzaRoute awaitRoute(Analyzer a, String body, int hops) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Optional<StanzaRoute> route = routeOf(a, body);
            if (route.isPresent() && route.get().hops().size() >= hops) {
                return route.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no route of " + hops + " hops for '" + body + "': " + route
                        + "\nconnections: " + a.connections());
            }
            Thread.sleep(100);
        }
    }
}
