package dev.xmppscope.analyzer.graph;

import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.ModelEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graphstream.stream.SinkAdapter;

/**
 * Listens to the entity graph (GraphStream's sink model) and collects what changed; the analyzer
 * drains it after each chunk, so several attribute changes to one edge become one event.
 */
final class GraphChangeSink extends SinkAdapter {
    private final EntityGraph graph;
    // id -> removed?, in order of first change; a later change overrides (one map per kind: no id prefixes to build)
    private final Map<String, Boolean> nodes = new LinkedHashMap<>();
    private final Map<String, Boolean> edges = new LinkedHashMap<>();

    GraphChangeSink(EntityGraph graph) {
        this.graph = graph;
    }

    @Override
    public void nodeAdded(String sourceId, long timeId, String nodeId) {
        nodes.put(nodeId, false);
    }

    @Override
    public void nodeRemoved(String sourceId, long timeId, String nodeId) {
        nodes.remove(nodeId);
        nodes.put(nodeId, true);
    }

    @Override
    public void nodeAttributeAdded(String sourceId, long timeId, String nodeId, String attribute, Object value) {
        nodes.putIfAbsent(nodeId, false);
    }

    @Override
    public void nodeAttributeChanged(String sourceId, long timeId, String nodeId, String attribute, Object oldValue,
                                     Object newValue) {
        nodes.putIfAbsent(nodeId, false);
    }

    @Override
    public void edgeAdded(String sourceId, long timeId, String edgeId, String fromNodeId, String toNodeId, boolean directed) {
        edges.remove(edgeId); // a re-added edge comes after its removal
        edges.put(edgeId, false);
    }

    @Override
    public void edgeRemoved(String sourceId, long timeId, String edgeId) {
        edges.put(edgeId, true);
    }

    @Override
    public void edgeAttributeAdded(String sourceId, long timeId, String edgeId, String attribute, Object value) {
        edges.putIfAbsent(edgeId, false);
    }

    @Override
    public void edgeAttributeChanged(String sourceId, long timeId, String edgeId, String attribute, Object oldValue,
                                     Object newValue) {
        edges.putIfAbsent(edgeId, false);
    }

    @Override
    public void edgeAttributeRemoved(String sourceId, long timeId, String edgeId, String attribute) {
        edges.putIfAbsent(edgeId, false);
    }

    List<ModelEvent> drain() {
        List<ModelEvent> out = new ArrayList<>(nodes.size() + edges.size());
        // removals first, so a UI never sees an edge id twice
        edges.forEach((id, removed) -> {
            if (removed) {
                out.add(new ModelEvent.EdgeRemoved(id));
            }
        });
        nodes.forEach((id, removed) -> {
            if (removed) {
                out.add(new ModelEvent.NodeRemoved(id));
            }
        });
        nodes.forEach((id, removed) -> {
            GraphNode n = removed ? null : graph.node(id);
            if (n != null) {
                out.add(new ModelEvent.NodeUpdated(n));
            }
        });
        edges.forEach((id, removed) -> {
            GraphEdge e = removed ? null : graph.edge(id);
            if (e != null) {
                out.add(new ModelEvent.EdgeUpdated(e));
            }
        });
        discard();
        return out;
    }

    /** Forgets the changes so far (nobody follows them). */
    void discard() {
        nodes.clear();
        edges.clear();
    }
}
