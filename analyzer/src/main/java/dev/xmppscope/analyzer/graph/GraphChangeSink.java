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
    // id -> "node"/"edge"/"-node"/"-edge" in order of first change; a later change overrides
    private final Map<String, String> changed = new LinkedHashMap<>();

    GraphChangeSink(EntityGraph graph) {
        this.graph = graph;
    }

    @Override
    public void nodeAdded(String sourceId, long timeId, String nodeId) {
        changed.put("n" + nodeId, "node");
    }

    @Override
    public void nodeRemoved(String sourceId, long timeId, String nodeId) {
        changed.remove("n" + nodeId);
        changed.put("n" + nodeId, "-node");
    }

    @Override
    public void nodeAttributeAdded(String sourceId, long timeId, String nodeId, String attribute, Object value) {
        changed.putIfAbsent("n" + nodeId, "node");
    }

    @Override
    public void nodeAttributeChanged(String sourceId, long timeId, String nodeId, String attribute, Object oldValue,
                                     Object newValue) {
        changed.putIfAbsent("n" + nodeId, "node");
    }

    @Override
    public void edgeAdded(String sourceId, long timeId, String edgeId, String fromNodeId, String toNodeId, boolean directed) {
        changed.remove("e" + edgeId); // a re-added edge comes after its removal
        changed.put("e" + edgeId, "edge");
    }

    @Override
    public void edgeRemoved(String sourceId, long timeId, String edgeId) {
        changed.put("e" + edgeId, "-edge");
    }

    @Override
    public void edgeAttributeAdded(String sourceId, long timeId, String edgeId, String attribute, Object value) {
        changed.putIfAbsent("e" + edgeId, "edge");
    }

    @Override
    public void edgeAttributeChanged(String sourceId, long timeId, String edgeId, String attribute, Object oldValue,
                                     Object newValue) {
        changed.putIfAbsent("e" + edgeId, "edge");
    }

    @Override
    public void edgeAttributeRemoved(String sourceId, long timeId, String edgeId, String attribute) {
        changed.putIfAbsent("e" + edgeId, "edge");
    }

    List<ModelEvent> drain() {
        List<ModelEvent> out = new ArrayList<>(changed.size());
        // removals first, so a UI never sees an edge id twice
        changed.forEach((key, what) -> {
            if (what.equals("-edge")) {
                out.add(new ModelEvent.EdgeRemoved(key.substring(1)));
            }
        });
        changed.forEach((key, what) -> {
            if (what.equals("-node")) {
                out.add(new ModelEvent.NodeRemoved(key.substring(1)));
            }
        });
        changed.forEach((key, what) -> {
            if (what.equals("node")) {
                GraphNode n = graph.node(key.substring(1));
                if (n != null) {
                    out.add(new ModelEvent.NodeUpdated(n));
                }
            }
        });
        changed.forEach((key, what) -> {
            if (what.equals("edge")) {
                GraphEdge e = graph.edge(key.substring(1));
                if (e != null) {
                    out.add(new ModelEvent.EdgeUpdated(e));
                }
            }
        });
        changed.clear();
        return out;
    }
}
