package dev.xmppscope.web.api;

import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.web.ModelSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/stanzas}: the timeline, filtered and paged, and one stanza with its XML, route and
 * IQ partner.
 */
public final class StanzasApi {

    static final int DEFAULT_LIMIT = 200;
    private static final Set<String> PARAMETERS = Set.of("q", "jid", "kind", "type", "ns", "id", "conn", "from", "until",
            "cursor", "limit", "search");
    private static final String DESCRIBED = "q (text in the XML), jid, kind, type, ns (a namespace or a spec such as"
            + " XEP-0199), id, conn, from, until (nanoseconds), cursor, limit and search";

    private final ModelSource source;

    public StanzasApi(ModelSource source) {
        this.source = source;
    }

    public void register(Javalin app) {
        app.get("/api/stanzas", ApiParameters.takes(PARAMETERS, DESCRIBED, this::list));
        app.get("/api/stanzas/{ref}", ApiParameters.none(this::one));
    }

    private void list(Context ctx) {
        StanzaQuery query = query(ctx);
        CaptureModel model = source.current();
        // a mistyped stream would otherwise look like a stream with nothing in it
        if (query.connection() != null && model.connection(query.connection()).isEmpty()) {
            throw new ApiErrors.NotFound("no connection " + query.connection() + " in this capture (GET /api/connections lists them)");
        }
        StanzaPage page = model.stanzas(query);
        Map<String, Object> body = ApiJson.items(page.items());
        body.put("next", page.next());
        body.put("previous", page.previous());
        body.put("searchedTo", page.searchedTo());
        ctx.json(body);
    }

    private void one(Context ctx) {
        String ref = ctx.pathParam("ref");
        ctx.json(source.current().stanza(ref).map(ApiJson::stanzaDetail)
                .orElseThrow(() -> new ApiErrors.NotFound("no stanza " + ref + " in this capture")));
    }

    /** The query its {@link #PARAMETERS} ask for. */
    static StanzaQuery query(Context ctx) {
        int limit = DEFAULT_LIMIT;
        String l = blankToNull(ctx.queryParam("limit"));
        if (l != null) {
            long asked = ApiErrors.parseLong("limit", l);
            if (asked < 1 || asked > StanzaQuery.MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be between 1 and " + StanzaQuery.MAX_LIMIT + ", not " + l);
            }
            limit = (int) asked;
        }
        String search = blankToNull(ctx.queryParam("search"));
        return new StanzaQuery(
                blankToNull(ctx.queryParam("q")),
                blankToNull(ctx.queryParam("jid")),
                blankToNull(ctx.queryParam("kind")),
                blankToNull(ctx.queryParam("type")),
                blankToNull(ctx.queryParam("ns")),
                blankToNull(ctx.queryParam("id")),
                optionalLong(ctx, "conn"),
                optionalLong(ctx, "from"),
                optionalLong(ctx, "until"),
                blankToNull(ctx.queryParam("cursor")),
                limit,
                search == null ? null : StanzaQuery.Search.parse(search));
    }

    private static Long optionalLong(Context ctx, String name) {
        String v = blankToNull(ctx.queryParam(name));
        return v == null ? null : ApiErrors.parseLong(name, v);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
