package dev.xmppscope.web.api;

import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.web.ModelSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /api/graph}: the entity graph (servers, clients, components, streams) right now; with
 * {@code clients=false}, the federation alone (servers, components and the streams between them),
 * which stays small however many clients a capture holds; with {@code changedSince}, what changed
 * since an earlier answer (what a page following an analysis asks for).
 */
public final class GraphApi {

    private static final String DESCRIBED = "clients (true, the default, or false: servers, components and their streams only)"
            + " or changedSince (a version: the nodes and edges changed since)";

    private final ModelSource source;
    private final ChangeLog<String, GraphNode> nodeChanges = new ChangeLog<>(GraphNode::id);
    private final ChangeLog<String, GraphEdge> edgeChanges = new ChangeLog<>(GraphEdge::id);
    private final ChangeLog.Versions versions = new ChangeLog.Versions();

    public GraphApi(ModelSource source) {
        this.source = source;
    }

    public void register(Javalin app) {
        app.get("/api/graph", ApiParameters.takes(Set.of("clients", "changedSince"), DESCRIBED, this::graph));
    }

    private void graph(Context ctx) {
        String since = ctx.queryParam("changedSince");
        if (since != null) {
            if (ctx.queryParam("clients") != null) {
                throw new IllegalArgumentException("changedSince does not take clients: it answers every node and edge changed");
            }
            ctx.json(changedSince(ApiErrors.parseLong("changedSince", since.trim())));
            return;
        }
        GraphSnapshot graph = source.current().graph();
        ctx.json(withClients(ctx.queryParam("clients")) ? graph : withoutClients(graph));
    }

    /**
     * The nodes and edges that came or changed after version {@code since} (0: all of them), the ids of
     * those gone (a client's placeholder once it bound, a replay gone back), and the version to ask
     * with next. A version past the last one given (from before a restart) reads as 0.
     */
    private synchronized Map<String, Object> changedSince(long since) {
        ChangeLog.Look look = versions.next(since);
        GraphSnapshot graph = source.current().graph();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nodes", nodeChanges.look(graph.nodes(), look.version(), look.since()));
        body.put("edges", edgeChanges.look(graph.edges(), look.version(), look.since()));
        body.put("removedNodes", nodeChanges.removedSince(look.since()));
        body.put("removedEdges", edgeChanges.removedSince(look.since()));
        body.put("version", look.version());
        return body;
    }

    private static boolean withClients(String asked) {
        if (asked == null || asked.equals("true")) {
            return true;
        }
        if (asked.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException("clients must be true or false, not '" + asked + "'");
    }

    /** The graph less its clients, and the streams that end at one. */
    private static GraphSnapshot withoutClients(GraphSnapshot graph) {
        List<GraphNode> nodes = graph.nodes().stream().filter(n -> !n.kind().equals("client")).toList();
        Set<String> kept = nodes.stream().map(GraphNode::id).collect(Collectors.toSet());
        List<GraphEdge> edges = graph.edges().stream().filter(e -> kept.contains(e.source()) && kept.contains(e.target())).toList();
        return new GraphSnapshot(nodes, edges);
    }
}
