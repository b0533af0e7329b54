package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.replay.BundledSample;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API as scripts see it, against the real app on a random loopback port. */
class WebApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static WebServer server;

    @BeforeAll
    static void start() {
        server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(SyntheticFederation.build()), List.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("http://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> send(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), path + " answered " + r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void connectionsListEveryStreamWithItsIdentityAndCounts() throws Exception {
        JsonNode items = json("/api/connections").get("items");
        assertEquals(8, items.size());
        JsonNode first = items.get(0);
        for (String field : List.of("id", "route", "kind", "tls", "client", "server", "jid", "openedAt", "closedAt",
                "closeReason", "state", "stanzaCount", "bytesIn", "bytesOut")) {
            assertTrue(first.has(field), "connection has " + field);
        }
        assertEquals("alice@a.example/phone", json("/api/connections/1").get("jid").asText());
    }

    /**
     * A script reads the streams of a capture of thousands a page at a time: {@code limit} streams
     * after the {@code after} it names, {@code next} naming the {@code after} of the next page, null on
     * the last. Without them, every stream, as before.
     */
    @Test
    void connectionsComeInPagesWhenAsked() throws Exception {
        List<Long> seen = new ArrayList<>();
        List<String> nexts = new ArrayList<>();
        String after = "";
        do {
            JsonNode page = json("/api/connections?limit=3" + after);
            page.get("items").forEach(c -> seen.add(c.get("id").asLong()));
            nexts.add(page.get("next").asText());
            after = page.get("next").isNull() ? null : "&after=" + page.get("next").asLong();
        } while (after != null);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), seen);
        assertEquals(List.of("3", "6", "null"), nexts);
        JsonNode whole = json("/api/connections");
        assertEquals(8, whole.get("items").size());
        assertTrue(whole.get("next").isNull(), "everything, in one answer");
        assertEquals(List.of(7L, 8L), ids(json("/api/connections?after=6").get("items")));
        for (String bad : List.of("limit=0", "limit=10001")) {
            HttpResponse<String> r = get("/api/connections?" + bad);
            assertEquals(400, r.statusCode(), bad);
            assertEquals("limit must be between 1 and 10000, not " + bad.substring(6), JSON.readTree(r.body()).get("error").asText());
        }
        assertEquals("after must be a whole number, not 'x'", JSON.readTree(get("/api/connections?after=x").body()).get("error").asText());
    }

    private static List<Long> ids(JsonNode items) {
        List<Long> ids = new ArrayList<>();
        items.forEach(c -> ids.add(c.get("id").asLong()));
        return ids;
    }

    /**
     * The graph's streams say what may have gone wrong on them, as their connections do; and
     * {@code clients=false} gives the federation alone, small however many clients there are.
     */
    @Test
    void graphEdgesCarryTheirWarningsAndTheFederationComesWithoutItsClients() throws Exception {
        JsonNode graph = json("/api/graph");
        Map<String, String> warnings = new LinkedHashMap<>();
        graph.get("edges").forEach(e -> warnings.put(e.get("id").asText(), e.get("warning").isNull() ? null : e.get("warning").asText()));
        assertEquals(SyntheticFederation.UNACKED_WARNING, warnings.get("c2s:5"));
        assertNull(warnings.get("c2s:1"));
        assertTrue(warnings.containsKey("c2s:1") && warnings.containsKey("s2s:6"), "every edge has the field: " + warnings.keySet());

        JsonNode federation = json("/api/graph?clients=false");
        List<String> kinds = new ArrayList<>();
        federation.get("nodes").forEach(n -> kinds.add(n.get("kind").asText()));
        assertEquals(List.of("component", "server", "server", "server"), kinds.stream().sorted().toList());
        List<String> edges = new ArrayList<>();
        federation.get("edges").forEach(e -> edges.add(e.get("id").asText()));
        assertEquals(List.of("s2s:6", "s2s:7", "s2s:8"), edges.stream().sorted().toList());
        assertEquals(json("/api/graph").get("nodes").size(), json("/api/graph?clients=true").get("nodes").size());
        assertEquals("clients must be true or false, not 'no'", JSON.readTree(get("/api/graph?clients=no").body()).get("error").asText());
    }

    /**
     * A page that stopped at the reads a request may make (a long capture) says how far it searched,
     * and its cursor searches on from there; a whole page says null.
     */
    @Test
    void aPageThatStoppedAtItsReadsSaysHowFarItSearched() throws Exception {
        InMemoryCaptureModel model = SyntheticFederation.build();
        model.readsPerQuery(5);
        long fifth = model.stanzas(new StanzaQuery(null, null, null, null, null, null, null, null,
                null, null, 5)).items().get(4).at();
        try (WebServer partial = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of())) {
            JsonNode page = JSON.readTree(send("http://127.0.0.1:" + partial.port() + "/api/stanzas?q=no-such-text").body());
            assertEquals(0, page.get("items").size());
            assertEquals(fifth, page.get("searchedTo").asLong());
            assertEquals("5", page.get("next").asText());
        }
        assertTrue(json("/api/stanzas").get("searchedTo").isNull(), "a whole page");
    }

    @Test
    void negotiationStepsComeInOrderAndSayWhatFailed() throws Exception {
        JsonNode steps = json("/api/connections/4/negotiation").get("items");
        assertEquals("header", steps.get(0).get("step").asText());
        JsonNode last = steps.get(steps.size() - 1);
        assertEquals("failed", last.get("status").asText());
        assertEquals("Authentication failed: not-authorized", last.get("title").asText());
    }

    @Test
    void unknownThingsAre404AndBadParametersAre400WithAReadableError() throws Exception {
        HttpResponse<String> missing = get("/api/connections/999");
        assertEquals(404, missing.statusCode());
        assertEquals("no connection 999 in this capture", JSON.readTree(missing.body()).get("error").asText());
        assertEquals(400, get("/api/connections/abc").statusCode());
        assertEquals(400, get("/api/stanzas?limit=0").statusCode());
        assertEquals("limit must be between 1 and 2000, not 99999999999",
                JSON.readTree(get("/api/stanzas?limit=99999999999").body()).get("error").asText(), "the number asked for, not its overflow");
        HttpResponse<String> misspelt = get("/api/stanzas?text=ping");
        assertEquals(400, misspelt.statusCode(), "a filter the API does not know must not answer with every stanza");
        assertTrue(JSON.readTree(misspelt.body()).get("error").asText().startsWith("unknown parameter 'text': /api/stanzas takes q"));
        HttpResponse<String> unknownKind = get("/api/stanzas?kind=msg");
        assertEquals(400, unknownKind.statusCode(), "a kind no element has must not look like an empty capture");
        assertTrue(JSON.readTree(unknownKind.body()).get("error").asText().startsWith("unknown kind 'msg': one of message, presence, iq"));
        assertEquals(404, get("/api/stanzas/nope").statusCode());
        assertEquals(404, get("/api/routes/1-c-10").statusCode());
        HttpResponse<String> noSuchEndpoint = get("/api/nonexist");
        assertEquals(404, noSuchEndpoint.statusCode());
        assertEquals("no API endpoint GET /api/nonexist (README's 'JSON API' lists them)",
                JSON.readTree(noSuchEndpoint.body()).get("error").asText(), "in the API's shape, not Javalin's plain text");
        assertEquals("no connection 999 in this capture", JSON.readTree(get("/api/connections/999").body()).get("error").asText(),
                "an endpoint's own 404 keeps its words");
    }

    /** A stream the capture lacks (a mistyped id) is said to be missing, not shown as a stream with nothing in it. */
    @Test
    void aTimelineNarrowedToAConnectionTheCaptureLacksIs404() throws Exception {
        assertTrue(json("/api/stanzas?conn=1").get("items").size() > 0);
        HttpResponse<String> missing = get("/api/stanzas?conn=999");
        assertEquals(404, missing.statusCode(), missing.body());
        assertEquals("no connection 999 in this capture (GET /api/connections lists them)",
                JSON.readTree(missing.body()).get("error").asText());
    }

    /**
     * A page following an analysis asks what changed since its last answer: the streams, nodes and
     * edges that came or changed, and those gone (a replay gone back shows another model), with the
     * version to ask with next; an unchanged model answers nothing.
     */
    @Test
    void changedSinceAnswersWhatCameChangedOrWentSinceAVersion() throws Exception {
        InMemoryCaptureModel first = SyntheticFederation.build();
        AtomicReference<CaptureModel> shown = new AtomicReference<>(first);
        ModelSource source = new ModelSource() {
            @Override
            public CaptureModel current() {
                return shown.get();
            }

            @Override
            public AutoCloseable onReset(Consumer<CaptureModel> listener) {
                return () -> { };
            }
        };
        try (WebServer own = WebServer.start(WebOptions.loopback(0), source, List.of())) {
            String at = "http://127.0.0.1:" + own.port();
            JsonNode all = JSON.readTree(send(at + "/api/connections?changedSince=0").body());
            assertEquals(8, all.get("items").size(), all.toString());
            long version = all.get("version").asLong();
            JsonNode none = JSON.readTree(send(at + "/api/connections?changedSince=" + version).body());
            assertEquals(0, none.get("items").size() + none.get("removed").size(), "nothing changed: " + none);

            ConnectionView c = first.connection(3).orElseThrow();
            first.put(new ConnectionView(c.id(), c.route(), c.kind(), c.tls(), c.client(), c.server(), c.jid(), c.streamFrom(),
                    c.streamTo(), c.openedAt(), c.closedAt(), c.closeReason(), c.closeDetail(), c.state(), c.error(), c.warning(),
                    c.stanzaCount() + 1, c.bytesIn(), c.bytesOut(), c.kindInferred()));
            JsonNode changed = JSON.readTree(send(at + "/api/connections?changedSince=" + none.get("version").asLong()).body());
            assertEquals(List.of(3L), ids(changed.get("items"), "id"), changed.toString());
            assertEquals(c.stanzaCount() + 1, changed.get("items").get(0).get("stanzaCount").asLong());

            JsonNode graph = JSON.readTree(send(at + "/api/graph?changedSince=0").body());
            assertEquals(json("/api/graph").get("nodes").size(), graph.get("nodes").size(), graph.toString());
            InMemoryCaptureModel later = new InMemoryCaptureModel();
            first.graph().nodes().stream().filter(n -> !n.id().equals("server:c.example")).forEach(later::put);
            first.graph().edges().stream().filter(e -> !e.target().equals("server:c.example")).forEach(later::put);
            shown.set(later);
            JsonNode gone = JSON.readTree(send(at + "/api/graph?changedSince=" + graph.get("version").asLong()).body());
            assertEquals("[]", gone.get("nodes").toString(), "nothing came or changed: " + gone);
            assertEquals(List.of("server:c.example"), ids(gone.get("removedNodes"), null), gone.toString());
            assertEquals(first.graph().edges().stream().filter(e -> e.target().equals("server:c.example")).map(e -> (Object) e.id())
                    .sorted().toList(), ids(gone.get("removedEdges"), null).stream().sorted().toList(), gone.toString());

            for (String refused : List.of("/api/connections?changedSince=-1", "/api/connections?changedSince=0&limit=10",
                    "/api/graph?changedSince=0&clients=false")) {
                assertEquals(400, send(at + refused).statusCode(), refused);
            }
        }
    }

    private static List<Object> ids(JsonNode items, String field) {
        List<Object> ids = new ArrayList<>();
        items.forEach(i -> ids.add(field == null ? i.asText() : i.get(field).asLong()));
        return ids;
    }

    /**
     * Every endpoint refuses a parameter it does not take, naming it and what it takes: a misspelt
     * parameter ignored would answer as if it had not been asked ({@code formt=pcapng} downloading an .xscap).
     */
    @Test
    void everyEndpointRefusesAParameterItDoesNotTake() throws Exception {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("/api/connections?kind=s2s", "unknown parameter 'kind': /api/connections takes limit (1-10000 streams)"
                + " and after (a connection id: the streams after it), or changedSince (a version: the streams changed since)");
        refused.put("/api/connections/1?x=1", "unknown parameter 'x': /api/connections/1 takes no parameters");
        refused.put("/api/connections/1/negotiation?x=1", "unknown parameter 'x': /api/connections/1/negotiation takes no parameters");
        refused.put("/api/stanzas/1-s-10?x=1", "unknown parameter 'x': /api/stanzas/1-s-10 takes no parameters");
        refused.put("/api/routes/1-s-10?x=1", "unknown parameter 'x': /api/routes/1-s-10 takes no parameters");
        refused.put("/api/graph?node=a.example", "unknown parameter 'node': /api/graph takes clients (true, the default, or false:"
                + " servers, components and their streams only) or changedSince (a version: the nodes and edges changed since)");
        refused.put("/api/capture?x=1", "unknown parameter 'x': /api/capture takes no parameters");
        refused.put("/api/capture/export?formt=pcapng",
                "unknown parameter 'formt': /api/capture/export takes format (xscap or pcapng) and connection (a connection id)");
        refused.put("/api/replay?x=1", "unknown parameter 'x': /api/replay takes no parameters");
        refused.put("/api/diffs?x=1", "unknown parameter 'x': /api/diffs takes no parameters");
        for (Map.Entry<String, String> c : refused.entrySet()) {
            HttpResponse<String> r = get(c.getKey());
            assertEquals(400, r.statusCode(), c.getKey() + " answered " + r.body());
            assertEquals(c.getValue(), JSON.readTree(r.body()).get("error").asText(), c.getKey());
        }
        // the live socket too: its upgrade is refused
        CompletionException ws = assertThrows(CompletionException.class, () -> HTTP.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/live?x=1"), new WebSocket.Listener() { }).join());
        assertEquals(400, ((WebSocketHandshakeException) ws.getCause()).getResponse().statusCode());
        // the access token is every endpoint's
        assertEquals(200, get("/api/graph?token=abc").statusCode());
        assertEquals(200, get("/api/connections/1?token=abc").statusCode());
    }

    /** A parameter given twice is refused, naming it: answering for the first value alone would look like what was asked. */
    @Test
    void aParameterGivenTwiceIs400NamingIt() throws Exception {
        assertEquals(200, get("/api/stanzas?conn=1&kind=message").statusCode());
        HttpResponse<String> twice = get("/api/stanzas?conn=1&conn=2&kind=message");
        assertEquals(400, twice.statusCode(), twice.body());
        assertEquals("parameter 'conn' is given 2 times (conn=1, conn=2): it takes one value",
                JSON.readTree(twice.body()).get("error").asText());
        assertEquals(400, get("/api/stanzas?kind=message&kind=iq").statusCode());
        assertEquals(400, get("/api/capture/export?connection=1&connection=2").statusCode(), "every endpoint, not only the timeline");
    }

    /** The timeline numbers its searches: one its filters replaced stops (409) instead of reading on. */
    @Test
    void aSearchANewerOneOfTheSameClientReplacedIs409(@TempDir Path tmp) throws Exception {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture")); Analyzer analyzer = Analyzer.open(store)) {
            BundledSample.open("federation").reader().replay(analyzer);
            analyzer.flushed();
            try (WebServer real = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(analyzer), List.of())) {
                String stanzas = "http://127.0.0.1:" + real.port() + "/api/stanzas?q=hello";
                assertEquals(200, send(stanzas + "&search=api-test:2").statusCode());
                HttpResponse<String> replaced = send(stanzas + "&search=api-test:1");
                assertEquals(409, replaced.statusCode());
                assertEquals("search api-test:1 was replaced by search api-test:2 before it finished",
                        JSON.readTree(replaced.body()).get("error").asText());
                assertEquals(200, send(stanzas + "&cursor=latest&search=api-test:2").statusCode(), "the same number goes on");
                assertEquals(200, send(stanzas + "&search=another-tab:1").statusCode(), "another client's is its own");
                assertEquals(400, send(stanzas + "&search=api-test").statusCode());
            }
        }
    }

    @Test
    void theUiOffersEveryKindTheApiTakes() throws Exception {
        Matcher select = Pattern.compile("<select id=\"f-kind\"[^>]*>(.*?)</select>", Pattern.DOTALL).matcher(get("/").body());
        assertTrue(select.find(), "the page has the kind filter");
        List<String> offered = Pattern.compile("<option>([^<]*)</option>").matcher(select.group(1)).results()
                .map(m -> m.group(1)).toList();
        assertEquals(StanzaSummary.KINDS, offered);
    }

    @Test
    void stanzaFiltersNarrowTheTimeline() throws Exception {
        assertEquals(28, json("/api/stanzas").get("items").size());
        assertEquals(2, json("/api/stanzas?kind=iq").get("items").size());
        assertEquals(3, json("/api/stanzas?kind=message&id=c1").get("items").size());
        assertEquals(1, json("/api/stanzas?q=urn:xmpp:ping").get("items").size());
        assertEquals(7, json("/api/stanzas?conn=6").get("items").size(), "the a→b s2s stream carries six messages to bob and mallory's");
        JsonNode page = json("/api/stanzas?limit=5");
        assertEquals(5, page.get("items").size());
        JsonNode next = json("/api/stanzas?limit=5&cursor=" + page.get("next").asText());
        assertTrue(next.get("items").get(0).get("at").asLong() >= page.get("items").get(4).get("at").asLong());
    }

    @Test
    void aStanzaCarriesItsXmlRouteAndIqPartner() throws Exception {
        JsonNode msg = json("/api/stanzas/1-s-10");
        assertEquals("message", msg.get("kind").asText());
        assertTrue(msg.get("xml").asText().startsWith("<message"));
        JsonNode hops = msg.get("route").get("hops");
        assertEquals(3, hops.size());
        assertNull(hops.get(0).get("heldMs").numberValue());
        assertEquals(2.3, hops.get(1).get("heldMs").asDouble(), 1e-9);
        assertEquals(1.0, msg.get("route").get("confidence").asDouble());
        assertEquals(hops.size(), json("/api/routes/" + hops.get(2).get("stanzaRef").asText()).get("hops").size(),
                "any hop's ref finds the route");

        JsonNode ping = json("/api/stanzas?kind=iq&type=get").get("items").get(0);
        JsonNode detail = json("/api/stanzas/" + ping.get("ref").asText());
        assertNotNull(detail.get("iqPartner").asText());
        assertEquals(1.25, detail.get("iqRttMs").asDouble(), 1e-9);
    }

    @Test
    void graphHasServersClientsAndDirectedS2sEdges() throws Exception {
        JsonNode g = json("/api/graph");
        long servers = 0;
        for (JsonNode n : g.get("nodes")) {
            servers += n.get("kind").asText().equals("server") ? 1 : 0;
        }
        assertEquals(3, servers);
        JsonNode s2s = null;
        for (JsonNode e : g.get("edges")) {
            if (e.get("id").asText().equals("s2s:6")) {
                s2s = e;
            }
        }
        assertNotNull(s2s);
        assertEquals("server:a.example", s2s.get("source").asText());
        assertEquals("server:b.example", s2s.get("target").asText());
    }

    @Test
    void optionalViewsThatAreNotServedSayThereIsNone() throws Exception {
        // not 404s: each would be a red line in the browser's console on every page load
        assertEquals("none", json("/api/replay").get("state").asText());
        assertEquals(0, json("/api/diffs").get("items").size());
    }

    @Test
    void exportWithoutADatabaseSaysWhy() throws Exception {
        HttpResponse<String> r = get("/api/capture/export");
        assertEquals(501, r.statusCode());
        assertTrue(r.body().contains("no capture database"));
        assertEquals(false, json("/api/capture").get("exportable").asBoolean());
        assertTrue(json("/api/capture").get("live").asBoolean(), "a model without a database is a replay: it grows");
    }

    @Test
    void deepLinksServeTheAppWithAStrictContentSecurityPolicy() throws Exception {
        for (String path : List.of("/", "/stanzas/1-s-10", "/connections/3", "/connections")) {
            HttpResponse<String> r = get(path);
            assertEquals(200, r.statusCode(), path);
            assertTrue(r.body().contains("/assets/js/app.js"), path);
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
        }
        HttpResponse<String> asset = get("/assets/js/app.js");
        assertEquals(200, asset.statusCode());
        assertTrue(asset.headers().firstValue("Content-Security-Policy").isPresent(), "static files carry the CSP too");
        assertEquals(200, get("/webjars/cytoscape/3.33.1/dist/cytoscape.min.js").statusCode());
    }
}
