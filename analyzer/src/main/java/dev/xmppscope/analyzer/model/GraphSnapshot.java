package dev.xmppscope.analyzer.model;

import java.util.List;

/** The whole entity graph at one moment. */
public record GraphSnapshot(List<GraphNode> nodes, List<GraphEdge> edges) {
}
