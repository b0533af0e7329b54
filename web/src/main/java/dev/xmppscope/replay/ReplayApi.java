package dev.xmppscope.replay;

import dev.xmppscope.web.WebExtension;
import dev.xmppscope.web.WebServer;
import dev.xmppscope.web.api.ApiJson;
import dev.xmppscope.web.api.ApiParameters;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Set;
import java.util.function.Function;

/**
 * The replay controls of the web app: {@code GET /api/replay} (a {@link ReplayStatus}),
 * {@code POST /api/replay/play|pause|step}, {@code POST /api/replay/speed?value=2},
 * {@code POST /api/replay/seek?at=NANOS}, {@code POST /api/replay/loop?value=true}. Every POST
 * answers with the new status. Registered only when something is being replayed; elsewhere
 * the web server answers {@code GET /api/replay} with {@code {"state":"none"}}, and the UI shows no
 * replay controls.
 */
public final class ReplayApi implements WebExtension {
    private final CaptureReplayer replayer;

    public ReplayApi(CaptureReplayer replayer) {
        this.replayer = replayer;
    }

    @Override
    public Set<String> views() {
        return Set.of(WebServer.REPLAY);
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/replay", ApiParameters.none(ctx -> ctx.json(replayer.status())));
        app.post("/api/replay/play", ApiParameters.none(ctx -> answer(ctx, c -> replayer::play)));
        app.post("/api/replay/pause", ApiParameters.none(ctx -> answer(ctx, c -> replayer::pause)));
        app.post("/api/replay/step", ApiParameters.none(ctx -> answer(ctx, c -> replayer::step)));
        app.post("/api/replay/speed", ApiParameters.takes(Set.of("value"), "value (times real time, 0.1 to 100)",
                ctx -> answer(ctx, c -> {
                    double value = number(c, "value");
                    return () -> replayer.speed(value);
                })));
        app.post("/api/replay/seek", ApiParameters.takes(Set.of("at"), "at (epoch nanoseconds)", ctx -> answer(ctx, c -> {
            long at = wholeNumber(c, "at");
            return () -> replayer.seek(at);
        })));
        app.post("/api/replay/loop", ApiParameters.takes(Set.of("value"), "value (true or false)", ctx -> answer(ctx, c -> {
            boolean loop = trueOrFalse(c, "value");
            return () -> replayer.loop(loop);
        })));
    }

    /**
     * Runs the control {@code parse} makes of the request and answers with the new status; a bad
     * value is a 400 in the API's shape, {@code {"error": ...}}, as everywhere else.
     */
    private void answer(Context ctx, Function<Context, Runnable> parse) {
        try {
            parse.apply(ctx).run();
        } catch (IllegalArgumentException e) {
            ctx.status(HttpStatus.BAD_REQUEST).json(ApiJson.error(e.getMessage()));
            return;
        }
        ctx.json(replayer.status());
    }

    private static double number(Context ctx, String name) {
        String raw = required(ctx, name);
        try {
            return Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' must be a number, not '" + raw + "'", e);
        }
    }

    /** Epoch nanoseconds do not fit a double's 53 bits: parse them as a long. */
    private static long wholeNumber(Context ctx, String name) {
        String raw = required(ctx, name);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' must be a whole number (epoch nanoseconds), not '" + raw + "'", e);
        }
    }

    /** "true" or "false": anything else would quietly be false. */
    private static boolean trueOrFalse(Context ctx, String name) {
        String raw = required(ctx, name);
        if (!raw.equals("true") && !raw.equals("false")) {
            throw new IllegalArgumentException("'" + name + "' must be true or false, not '" + raw + "'");
        }
        return Boolean.parseBoolean(raw);
    }

    private static String required(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            throw new IllegalArgumentException("missing query parameter '" + name + "'");
        }
        return raw;
    }
}
