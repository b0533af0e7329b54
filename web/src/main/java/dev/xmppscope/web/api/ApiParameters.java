package dev.xmppscope.web.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Set;

/**
 * The query parameters an API endpoint takes: any other is a 400 naming it and what the endpoint
 * takes, since a misspelt filter ({@code text=} for {@code q=}, {@code formt=pcapng}) would
 * otherwise be ignored and answer with everything. {@code token}, the access token
 * {@code AccessGuard} reads on every path, is taken everywhere.
 */
public final class ApiParameters {

    private static final String TOKEN = "token";

    private ApiParameters() {
    }

    /** {@code handler}, for an endpoint that takes no parameter. */
    public static Handler none(Handler handler) {
        return ctx -> {
            only(ctx, Set.of(), "no parameters");
            handler.handle(ctx);
        };
    }

    /**
     * {@code handler}, for an endpoint that takes {@code names}; {@code described} lists them for a
     * person ("format (xscap or pcapng) and connection (an id)").
     */
    public static Handler takes(Set<String> names, String described, Handler handler) {
        return ctx -> {
            only(ctx, names, described);
            handler.handle(ctx);
        };
    }

    /** Refuses a parameter of {@code ctx} that is not in {@code names} (nor the token). */
    public static void only(Context ctx, Set<String> names, String described) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!names.contains(name) && !name.equals(TOKEN)) {
                throw new IllegalArgumentException("unknown parameter '" + name + "': " + ctx.path()
                        + " takes " + described);
            }
        }
    }
}
