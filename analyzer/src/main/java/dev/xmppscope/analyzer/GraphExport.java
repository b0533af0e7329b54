package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import org.graphstream.graph.Edge;
import org.graphstream.graph.Graph;
import org.graphstream.graph.Node;
import org.graphstream.graph.implementations.MultiGraph;
import org.graphstream.stream.file.FileSink;
import org.graphstream.stream.file.FileSinkDOT;
import org.graphstream.stream.file.FileSinkGEXF;

/** Writes a capture's entity graph for Gephi (.gexf) or Graphviz (.dot, .gv) via GraphStream's file sinks. */
public final class GraphExport {
    private GraphExport() {
    }

    /** Writes {@code model}'s current graph to {@code out}; the format comes from the file extension. */
    public static void write(CaptureModel model, Path out) {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        FileSink sink;
        if (name.endsWith(".gexf")) {
            sink = new FileSinkGEXF();
        } else if (name.endsWith(".dot") || name.endsWith(".gv")) {
            sink = new FileSinkDOT(true);
        } else {
            throw new IllegalArgumentException("cannot tell the graph format of " + out + ": use .gexf (Gephi) or .dot/.gv (Graphviz)");
        }
        try {
            sink.writeAll(toGraph(model.graph()), out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the graph to " + out + ": " + e.getMessage(), e);
        }
    }

    static Graph toGraph(GraphSnapshot snapshot) {
        Graph g = new MultiGraph("xmppscope", false, false);
        for (GraphNode n : snapshot.nodes()) {
            Node node = g.addNode(n.id());
            node.setAttribute("label", n.label());
            node.setAttribute("kind", n.kind());
            if (n.parent() != null) {
                node.setAttribute("parent", n.parent());
            }
            if (n.bareJid() != null) {
                node.setAttribute("bareJid", n.bareJid());
            }
            if (n.flags() != null && !n.flags().isEmpty()) {
                node.setAttribute("flags", n.flags());
            }
        }
        for (GraphEdge e : snapshot.edges()) {
            if (g.getNode(e.source()) == null || g.getNode(e.target()) == null) {
                continue; // a snapshot taken while the edge moved; the next export has it
            }
            Edge edge = g.addEdge(e.id(), e.source(), e.target(), true);
            edge.setAttribute("label", e.kind() + " " + e.stanzas() + " stanzas");
            edge.setAttribute("kind", e.kind());
            edge.setAttribute("state", e.state() == null ? "" : e.state());
            edge.setAttribute("stanzas", e.stanzas());
            edge.setAttribute("bytes", e.bytes());
            if (e.error() != null) {
                edge.setAttribute("error", e.error());
            }
        }
        return g;
    }
}
