package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.model.StanzaRoute;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@link RouteCorrelator} puts the routes it stops tracking (their window has passed, or
 * too many are open), so that its memory stays bounded however long the capture is, while every
 * route can still be looked up by any of its hops.
 */
public interface RouteArchive {

    void save(StanzaRoute route);

    /** The saved route with a hop {@code ref}. */
    Optional<StanzaRoute> find(String ref);

    /** An archive in a map: for tests and small captures. */
    static RouteArchive inMemory() {
        Map<String, StanzaRoute> byRef = new HashMap<>();
        return new RouteArchive() {
            @Override
            public void save(StanzaRoute route) {
                route.hops().forEach(h -> byRef.put(h.stanzaRef(), route));
            }

            @Override
            public Optional<StanzaRoute> find(String ref) {
                return Optional.ofNullable(byRef.get(ref));
            }
        };
    }
}
