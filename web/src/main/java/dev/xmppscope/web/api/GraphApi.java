package dev.xmppscope.web.api;

import dev.xmppscope.web.ModelSource;
import io.javalin.Javalin;

/** {@code /api/graph}: the entity graph (servers, clients, components, streams) right now. */
public final class GraphApi {

    private final ModelSource source;

    public GraphApi(ModelSource source) {
        this.source = source;
    }

    public void register(Javalin app) {
        app.get("/api/graph", ApiParameters.none(ctx -> ctx.json(source.current().graph())));
    }
}
