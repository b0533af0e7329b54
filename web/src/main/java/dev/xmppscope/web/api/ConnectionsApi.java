package dev.xmppscope.web.api;

import dev.xmppscope.web.ModelSource;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** {@code /api/connections}: every proxied stream, one stream, and its negotiation steps. */
public final class ConnectionsApi {

    private final ModelSource source;

    public ConnectionsApi(ModelSource source) {
        this.source = source;
    }

    public void register(Javalin app) {
        app.get("/api/connections", ApiParameters.none(this::list));
        app.get("/api/connections/{id}", ApiParameters.none(this::one));
        app.get("/api/connections/{id}/negotiation", ApiParameters.none(this::negotiation));
    }

    private void list(Context ctx) {
        ctx.json(ApiJson.items(source.current().connections()));
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
