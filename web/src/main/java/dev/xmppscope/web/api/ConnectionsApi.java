package dev.xmppscope.web.api;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.web.ModelSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/connections}: every proxied stream (or a page of them, for a capture of thousands, or
 * those changed since a version: what a page following an analysis asks for), one stream, and its
 * negotiation steps.
 */
public final class ConnectionsApi {

    /** The most streams a page may ask for: a page, not the whole list again. */
    static final int MAX_LIMIT = 10_000;
    private static final Set<String> PARAMETERS = Set.of("limit", "after", "changedSince");
    private static final String DESCRIBED = "limit (1-" + MAX_LIMIT + " streams) and after (a connection id: the streams after it),"
            + " or changedSince (a version: the streams changed since)";

    private final ModelSource source;
    private final ChangeLog<Long, ConnectionView> changes = new ChangeLog<>(ConnectionView::id);
    private final ChangeLog.Versions versions = new ChangeLog.Versions();

    public ConnectionsApi(ModelSource source) {
        this.source = source;
    }

    public void register(Javalin app) {
        app.get("/api/connections", ApiParameters.takes(PARAMETERS, DESCRIBED, this::list));
        app.get("/api/connections/{id}", ApiParameters.none(this::one));
        app.get("/api/connections/{id}/negotiation", ApiParameters.none(this::negotiation));
    }

    /**
     * Every stream in id order, as it always was; with {@code after}, those after that id; with
     * {@code limit}, that many at most, and {@code next} says which {@code after} asks for the rest
     * (null once there is no more); with {@code changedSince}, what changed ({@link #changedSince}).
     */
    private void list(Context ctx) {
        Long after = optionalLong(ctx, "after");
        Long limit = optionalLong(ctx, "limit");
        Long since = optionalLong(ctx, "changedSince");
        if (since != null) {
            if (after != null || limit != null) {
                throw new IllegalArgumentException("changedSince takes neither limit nor after: it answers every stream changed");
            }
            ctx.json(changedSince(since));
            return;
        }
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        List<ConnectionView> all = source.current().connections().stream()
                .filter(c -> after == null || c.id() > after)
                .sorted(Comparator.comparingLong(ConnectionView::id))
                .toList();
        boolean cut = limit != null && all.size() > limit;
        List<ConnectionView> page = cut ? all.subList(0, limit.intValue()) : all;
        Map<String, Object> body = ApiJson.items(page);
        body.put("next", cut ? page.get(page.size() - 1).id() : null);
        ctx.json(body);
    }

    /**
     * The streams that came or changed after version {@code since} (0: all of them), in id order, the ids
     * of those gone (a replay gone back), and the version to ask with next. A version past the last
     * one given (from before a restart) reads as 0.
     */
    private synchronized Map<String, Object> changedSince(long since) {
        ChangeLog.Look look = versions.next(since);
        List<ConnectionView> all = source.current().connections().stream()
                .sorted(Comparator.comparingLong(ConnectionView::id)).toList();
        Map<String, Object> body = ApiJson.items(changes.look(all, look.version(), look.since()));
        body.put("removed", changes.removedSince(look.since()));
        body.put("version", look.version());
        return body;
    }

    private static Long optionalLong(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : ApiErrors.parseLong(name, v.trim());
    }

    private void one(Context ctx) {
        long id = ApiErrors.parseLong("connection id", ctx.pathParam("id"));
        ctx.json(source.current().connection(id)
                .orElseThrow(() -> new ApiErrors.NotFound("no connection " + id + " in this capture")));
    }

    private void negotiation(Context ctx) {
        long id = ApiErrors.parseLong("connection id", ctx.pathParam("id"));
        var model = source.current();
        if (model.connection(id).isEmpty()) {
            throw new ApiErrors.NotFound("no connection " + id + " in this capture");
        }
        ctx.json(ApiJson.items(model.negotiation(id)));
    }
}
