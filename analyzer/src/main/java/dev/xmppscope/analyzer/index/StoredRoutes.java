package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.route.RouteArchive;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.h2.mvstore.MVMap;

/**
 * The route archive in the analysis file: each route under its first hop's row key. A later hop
 * finds it through its own index record, which names the first hop ({@link IndexedStanza#routeFirst()}):
 * in front of a real server nearly every message completes a route, and a pointer per hop in a
 * map of its own took a copy-on-write B-tree put each (H2's maps copy a leaf per put), more than
 * a quarter of the live analysis thread's time. Written from the ingest thread, read from any.
 */
final class StoredRoutes implements RouteArchive {
    /** Named by the index's schema version: a new version drops routes in the layout of an older one. */
    static final String ROUTES = "xs.routes.v" + StanzaIndex.SCHEMA_VERSION;

    private final MVMap<Long, byte[]> routes;
    private final ToLongFunction<String> routeFirst;
    private final RecordBytes.Writer buffer = new RecordBytes.Writer();

    /** {@code routeFirst} gives the first hop's row key of the route a stanza ref joined as a later hop, or -1. */
    StoredRoutes(MVMap<Long, byte[]> routes, ToLongFunction<String> routeFirst) {
        this.routes = routes;
        this.routeFirst = routeFirst;
    }

    @Override
    public void save(StanzaRoute route) {
        long first = StanzaIndex.rowKey(route.hops().get(0).stanzaRef());
        if (first < 0) {
            return; // not a ref this index makes
        }
        buffer.reset();
        buffer.varLong(route.hops().size());
        for (StanzaRoute.Hop h : route.hops()) {
            buffer.string(h.stanzaRef());
            buffer.varLong(h.connection());
            buffer.string(h.source());
            buffer.string(h.target());
            buffer.varLong(h.at());
            buffer.optionalLong(h.heldNanos());
            buffer.optionalLong(h.after() == null ? null : (long) h.after());
            buffer.string(h.how());
            buffer.string(h.to());
        }
        buffer.varLong(Double.doubleToLongBits(route.confidence()));
        buffer.string(route.explanation());
        routes.put(first, buffer.toArray());
    }

    @Override
    public Optional<StanzaRoute> find(String ref) {
        long pk = StanzaIndex.rowKey(ref);
        if (pk < 0) {
            return Optional.empty();
        }
        byte[] b = routes.get(pk);
        if (b == null) {
            long first = routeFirst.applyAsLong(ref);
            b = first < 0 ? null : routes.get(first);
        }
        if (b == null) {
            return Optional.empty();
        }
        RecordBytes.Reader r = new RecordBytes.Reader(b);
        int n = (int) r.varLong();
        List<StanzaRoute.Hop> hops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hops.add(new StanzaRoute.Hop(r.string(), r.varLong(), r.string(), r.string(), r.varLong(), r.optionalLong(),
                    after(r.optionalLong()), r.string(), r.string()));
        }
        double confidence = Double.longBitsToDouble(r.varLong());
        return Optional.of(new StanzaRoute(hops, confidence, r.string()));
    }

    private static Integer after(Long index) {
        return index == null ? null : Math.toIntExact(index);
    }
}
