package dev.xmppscope.web.api;

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

    private final ModelSource source;

    public StanzasApi(ModelSource source) {
        this.source = source;
    }

    public void register(Javalin app) {
        app.get("/api/stanzas", this::list);
        app.get("/api/stanzas/{ref}", this::one);
    }

    private void list(Context ctx) {
        StanzaPage page = source.current().stanzas(query(ctx));
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

    /** The query its {@link #PARAMETERS} ask for; any other parameter is an error. */
    static StanzaQuery query(Context ctx) {
        // a misspelt filter (text= for q=) would otherwise be ignored and answer with everything
        for (String name : ctx.queryParamMap().keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("unknown parameter '" + name + "': /api/stanzas takes q (text in the XML), jid,"
                        + " kind, type, ns (a namespace or a spec such as XEP-0199), id, conn, from, until (nanoseconds),"
                        + " cursor, limit and search");
            }
        }
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
