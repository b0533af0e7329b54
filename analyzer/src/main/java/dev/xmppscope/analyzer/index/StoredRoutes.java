package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.route.RouteArchive;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.h2.mvstore.MVMap;

/**
 * The route archive in the analysis file: each route under its first hop's row key, and every
 * later hop's row key pointing there. Written from the ingest thread, read from any.
 *
 * <p>Each put copies a B-tree leaf (H2's maps are copy-on-write), and in front of a real server
 * nearly every message completes a route: these puts were over a quarter of the live analysis
 * thread's time. So the first hop, which the route is filed under anyway, gets no pointer of its
 * own (files written before still have one; it points to the same place).
 */
final class StoredRoutes implements RouteArchive {
    static final String ROUTES = "xs.routes.v1";
    static final String ROUTE_OF = "xs.route_of.v1";

    private final MVMap<Long, byte[]> routes;
    private final MVMap<Long, Long> routeOf;
    private final RecordBytes.Writer buffer = new RecordBytes.Writer();

    StoredRoutes(MVMap<Long, byte[]> routes, MVMap<Long, Long> routeOf) {
        this.routes = routes;
        this.routeOf = routeOf;
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
        }
        buffer.varLong(Double.doubleToLongBits(route.confidence()));
        buffer.string(route.explanation());
        routes.put(first, buffer.toArray());
        for (int i = 1; i < route.hops().size(); i++) {
            routeOf.put(StanzaIndex.rowKey(route.hops().get(i).stanzaRef()), first);
        }
    }

    @Override
    public Optional<StanzaRoute> find(String ref) {
        long pk = StanzaIndex.rowKey(ref);
        if (pk < 0) {
            return Optional.empty();
        }
        byte[] b = routes.get(pk);
        if (b == null) {
            Long first = routeOf.get(pk);
            b = first == null ? null : routes.get(first);
        }
        if (b == null) {
            return Optional.empty();
        }
        RecordBytes.Reader r = new RecordBytes.Reader(b);
        int n = (int) r.varLong();
        List<StanzaRoute.Hop> hops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hops.add(new StanzaRoute.Hop(r.string(), r.varLong(), r.string(), r.string(), r.varLong(), r.optionalLong()));
        }
        double confidence = Double.longBitsToDouble(r.varLong());
        return Optional.of(new StanzaRoute(hops, confidence, r.string()));
    }
}
