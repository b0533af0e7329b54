package dev.xmppscope.web.api;

import dev.xmppscope.replay.ReplayDiff;
import dev.xmppscope.replay.ReplayDiffStore;
import dev.xmppscope.web.WebExtension;
import dev.xmppscope.web.WebServer;
import io.javalin.Javalin;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The replay diffs of a capture database ({@code xmppscope replay --db}):
 * {@code GET /api/diffs} → {@code {"items":[{id, at, target, recordedConnection, replayedConnection,
 * changes, steps, changedSteps}]}} (steps and
 * changedSteps are row counts; changes counts answers, as the text report does) and {@code GET /api/diffs/{id}} → the whole {@link ReplayDiff}.
 */
public final class SessionDiffApi implements WebExtension {
    private final ReplayDiffStore diffs;

    public SessionDiffApi(ReplayDiffStore diffs) {
        this.diffs = diffs;
    }

    @Override
    public Set<String> views() {
        return Set.of(WebServer.DIFFS);
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/diffs", ApiParameters.none(ctx -> ctx.json(ApiJson.items(diffs.list().stream().map(SessionDiffApi::summary).toList()))));
        app.get("/api/diffs/{id}", ApiParameters.none(ctx -> {
            long id = ApiErrors.parseLong("a diff id", ctx.pathParam("id"));
            ctx.json(diffs.get(id).orElseThrow(() -> new ApiErrors.NotFound("no replay diff " + id + " (GET /api/diffs lists them)")));
        }));
    }

    private static Map<String, Object> summary(ReplayDiff d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("at", d.at());
        m.put("target", d.target());
        m.put("recordedConnection", d.recordedConnection());
        m.put("replayedConnection", d.replayedConnection());
        m.put("changes", d.changes());
        m.put("steps", d.steps().size());
        m.put("changedSteps", d.steps().stream().filter(s -> !s.change().equals("same")).count());
        return m;
    }

}
