package dev.xmppscope.web.api;

import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.web.ModelSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /api/graph}: the entity graph (servers, clients, components, streams) right now; with
 * {@code clients=false}, the federation alone (servers, components and the streams between them),
 * which stays small however many clients a capture holds.
 */
public final class GraphApi {

    private static final String DESCRIBED = "clients (true, the default, or false: servers, components and their streams only)";

    private final ModelSource source;

    public GraphApi(ModelSource source) {
        this.source = source;
    }

    public void register(Javalin app) {
        app.get("/api/graph", ApiParameters.takes(Set.of("clients"), DESCRIBED, this::graph));
    }

    private void graph(Context ctx) {
        GraphSnapshot graph = source.current().graph();
        ctx.json(withClients(ctx.queryParam("clients")) ? graph : withoutClients(graph));
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
