package dev.xmppscope.web.api;

import dev.xmppscope.web.ModelSource;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** {@code /api/routes/{ref}}: the hops one stanza took across the mesh (any hop's ref finds it). */
public final class RoutesApi {

    private final ModelSource source;

    public RoutesApi(ModelSource source) {
        this.source = source;
    }

    public void register(Javalin app) {
        app.get("/api/routes/{ref}", ApiParameters.none(this::one));
    }

    private void one(Context ctx) {
        String ref = ctx.pathParam("ref");
        ctx.json(source.current().route(ref).map(ApiJson::route)
                .orElseThrow(() -> new ApiErrors.NotFound("stanza " + ref
                        + " has no route: no other hop matched it (none recorded, or more than 30 s apart, or it has neither"
                        + " an id nor a payload to match by), or it is not in this capture")));
    }
}
