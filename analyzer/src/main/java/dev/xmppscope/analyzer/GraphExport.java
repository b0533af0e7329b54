package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.UnaryOperator;
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
        write(model.graph(), out);
    }

    static void write(GraphSnapshot snapshot, Path out) {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        FileSink sink;
        UnaryOperator<String> text;
        if (name.endsWith(".gexf")) {
            sink = new FileSinkGEXF();
            text = UnaryOperator.identity(); // GEXF's writer escapes for XML itself
        } else if (name.endsWith(".dot") || name.endsWith(".gv")) {
            sink = new FileSinkDOT(true);
            text = GraphExport::dotQuoted; // GraphStream's DOT writer puts text between quotes as it is
        } else {
            throw new IllegalArgumentException("cannot tell the graph format of " + out + ": use .gexf (Gephi) or .dot/.gv (Graphviz)");
        }
        try {
            sink.writeAll(toGraph(snapshot, text), out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the graph to " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * The snapshot as a GraphStream graph, every id and text attribute passed through {@code text}
     * (what the file format needs of text that came off the wire: JIDs, error messages).
     */
    static Graph toGraph(GraphSnapshot snapshot, UnaryOperator<String> text) {
        Graph g = new MultiGraph("xmppscope", false, false);
        for (GraphNode n : snapshot.nodes()) {
            Node node = g.addNode(text.apply(n.id()));
            node.setAttribute("label", text.apply(n.label()));
            node.setAttribute("kind", n.kind());
            if (n.parent() != null) {
                node.setAttribute("parent", text.apply(n.parent()));
            }
            if (n.bareJid() != null) {
                node.setAttribute("bareJid", text.apply(n.bareJid()));
            }
            if (n.flags() != null && !n.flags().isEmpty()) {
                node.setAttribute("flags", n.flags());
            }
        }
        for (GraphEdge e : snapshot.edges()) {
            String source = text.apply(e.source());
            String target = text.apply(e.target());
            if (g.getNode(source) == null || g.getNode(target) == null) {
                continue; // a snapshot taken while the edge moved; the next export has it
            }
            Edge edge = g.addEdge(text.apply(e.id()), source, target, true);
            edge.setAttribute("label", text.apply(label(e)));
            edge.setAttribute("kind", e.kind());
            edge.setAttribute("state", e.state() == null ? "" : e.state());
            edge.setAttribute("stanzas", e.stanzas());
            edge.setAttribute("bytes", e.bytes());
            if (e.error() != null) {
                edge.setAttribute("error", text.apply(e.error()));
            }
        }
        return g;
    }

    /**
     * "c2s #3: 20 stanzas, closed": the connections the edge stands for, numbered as {@code show}
     * lists them, tell apart the parallel streams of one client (a reconnect with the same resource)
     * or of two servers; the state is said unless the stream is established.
     */
    static String label(GraphEdge e) {
        StringBuilder s = new StringBuilder(e.kind());
        e.connections().forEach(id -> s.append(" #").append(id));
        s.append(": ").append(e.stanzas()).append(e.stanzas() == 1 ? " stanza" : " stanzas");
        if (e.state() != null && !e.state().equals("established")) {
            s.append(", ").append(e.state());
        }
        return s.toString();
    }

    /**
     * {@code s} as the inside of a DOT quoted string. DOT's one escape is {@code \\"}, and a
     * backslash before anything else stays as it is; a quoted string cannot end with a backslash
     * (it would escape the closing quote), so a trailing one gets a space after it.
     */
    static String dotQuoted(String s) {
        String quoted = s.replace("\"", "\\\"");
        return quoted.endsWith("\\") ? quoted + " " : quoted;
    }
}
