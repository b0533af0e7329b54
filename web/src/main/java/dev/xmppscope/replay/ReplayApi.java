package dev.xmppscope.replay;

import dev.xmppscope.web.WebExtension;
import dev.xmppscope.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.util.Set;

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
        app.get("/api/replay", ctx -> ctx.json(replayer.status()));
        app.post("/api/replay/play", ctx -> answer(ctx, replayer::play));
        app.post("/api/replay/pause", ctx -> answer(ctx, replayer::pause));
        app.post("/api/replay/step", ctx -> answer(ctx, replayer::step));
        app.post("/api/replay/speed", ctx -> {
            double value = number(ctx, "value");
            answer(ctx, () -> replayer.speed(value));
        });
        app.post("/api/replay/seek", ctx -> {
            long at = wholeNumber(ctx, "at");
            answer(ctx, () -> replayer.seek(at));
        });
        app.post("/api/replay/loop", ctx -> {
            boolean loop = Boolean.parseBoolean(ctx.queryParam("value"));
            answer(ctx, () -> replayer.loop(loop));
        });
    }

    private void answer(Context ctx, Runnable control) {
        try {
            control.run();
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse(e.getMessage());
        }
        ctx.json(replayer.status());
    }

    private static double number(Context ctx, String name) {
        String raw = required(ctx, name);
        try {
            return Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("'" + name + "' must be a number, not '" + raw + "'");
        }
    }

    /** Epoch nanoseconds do not fit a double's 53 bits: parse them as a long. */
    private static long wholeNumber(Context ctx, String name) {
        String raw = required(ctx, name);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("'" + name + "' must be a whole number (epoch nanoseconds), not '" + raw + "'");
        }
    }

    private static String required(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            throw new BadRequestResponse("missing query parameter '" + name + "'");
        }
        return raw;
    }
}
