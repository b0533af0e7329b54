package dev.xmppscope.analyzer.graph;

import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.capture.HostPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.graphstream.graph.Edge;
import org.graphstream.graph.Graph;
import org.graphstream.graph.Node;
import org.graphstream.graph.implementations.MultiGraph;

/**
 * The federation as a GraphStream graph: servers (domains), clients (full JIDs, under their
 * server, grouped by bare JID) and components; one edge per stream (c2s, or a directed s2s
 * stream from initiating to receiving server) carrying its counts, bytes, state and error as
 * attributes. A {@link GraphChangeSink} on the graph turns every change into {@link ModelEvent}s.
 *
 * <p>A domain under another server's domain with no clients of its own (conference.b.example under
 * b.example) is a service that server hosts, such as a MUC or an upload service: servers federate
 * with it under its own name, so its streams keep their own node, but the node is a component of
 * that server. So is a domain a room's presence shows is a chat-room service (XEP-0045), even when
 * the capture never names the server hosting it. Either turns back into a server if a client logs
 * in to it. An external component (XEP-0114) is a component of the server its stream went to
 * ({@link Services}).
 *
 * <p>Not thread-safe: the {@code Analyzer} calls it under its lock.
 */
public final class EntityGraph {
    private final Graph graph = new MultiGraph("xmppscope", false, false, 64, 256);
    private final GraphChangeSink changes = new GraphChangeSink(this);
    private final Services services = new Services(graph);
    /**
     * Each stream's endpoints as last placed, with its edge: a chunk that changed only the counts
     * updates the edge without resolving the endpoints again (parsing JIDs, looking up nodes),
     * which was a tenth of the live analysis's work per stanza-sized chunk.
     */
    private final Map<Long, Placed> placed = new HashMap<>();

    private record Placed(StreamEndpoints endpoints, Edge edge) {
    }

    /**
     * The server node at each upstream address, as a stream authenticated there showed (a client
     * bound, a server accepted): where a stream whose domain was refused there belongs.
     */
    private final Map<String, String> serverAt = new HashMap<>();
    /**
     * Streams whose domain the server refused, while nothing says which server is at their address:
     * drawn once a stream authenticates there, not to a server of the refused name (there is none).
     */
    private final WaitingStreams waitingForServerAt = new WaitingStreams();
    /** Which server is at each host address: the one an external component there connects to. */
    private final ServedAt servedAt = new ServedAt();
    /** Components drawn beside a stand-in, by the host address they connected to, until it names a server. */
    private final WaitingStreams componentsWaitingAt = new WaitingStreams();

    /** Ids of servers named by no domain: {@code #} keeps them apart from any domain's. */
    private static final String UNNAMED = "server:#";
    private static final String UNNAMED_SERVER = UNNAMED + "conn-";
    private static final String UNNAMED_SERVER_AT = UNNAMED + "at-";

    public EntityGraph() {
        graph.addSink(changes);
    }

    /**
     * Places the stream's edge between the right nodes (moving it when its endpoints become known,
     * e.g. when a client binds its JID) and updates its attributes.
     */
    public void updateStream(StreamEndpoints s, String state, String error, String warning, long stanzas, long bytes) {
        Placed p = placed.get(s.connection());
        Edge edge = p != null && p.endpoints().equals(s) ? p.edge() : place(s);
        if (edge == null) {
            if (p != null) {
                unplace(p); // drawn before the server refused its domain: there is no server of that name
            }
            if (s.domainRefused() && s.identity() == null && s.upstream() != null) {
                waitingForServerAt.add(s.upstream(), s.connection(), () -> updateStream(s, state, error, warning, stanzas, bytes));
            }
            return;
        }
        if ("component".equals(s.kind()) && edge.getTargetNode().getId().startsWith(UNNAMED) && s.upstream() != null) {
            componentsWaitingAt.add(HostPort.hostOf(s.upstream()), s.connection(), () -> {
                placed.remove(s.connection()); // its endpoints are the same: placed anew all the same, beside the server now named
                updateStream(s, state, error, warning, stanzas, bytes);
            });
        }
        set(edge, "state", state);
        set(edge, "error", error);
        set(edge, "warning", warning);
        set(edge, "stanzas", stanzas);
        set(edge, "bytes", bytes);
    }

    /** Puts the stream's edge between the nodes its endpoints name; null while they are unknown. */
    private Edge place(StreamEndpoints s) {
        String source;
        String target;
        switch (s.kind()) {
            case "c2s" -> {
                String domain = s.c2sServer();
                if (domain == null && !s.insideTls()) {
                    return null;
                }
                if (domain == null) {
                    target = unnamedServerAt(s.connection(), s.upstream()); // inside TLS, with no SNI: only its address is known
                } else if (s.identity() == null && s.domainRefused()) {
                    target = s.upstream() == null ? null : serverAt.get(s.upstream());
                    if (target == null) {
                        return null;
                    }
                } else {
                    target = server(domain);
                    if (s.identity() != null) {
                        serves(s.upstream(), target);
                    }
                }
                source = s.identity() != null ? client(Jid.parse(s.identity()), target)
                        : placeholder(s, target);
            }
            case "s2s" -> {
                if (s.s2sTarget() == null && !s.insideTls()) {
                    return null;
                }
                if (s.s2sTarget() == null) {
                    target = unnamedServerAt(s.connection(), s.upstream()); // a link joined inside TLS: its address alone is known
                } else if (s.identity() == null && s.domainRefused()) {
                    // no server of the name asked for is there: the stream goes to the one that refused it
                    String there = s.upstream() == null ? null : serverAt.get(s.upstream());
                    if (there == null) {
                        return null;
                    }
                    target = host(there); // a stream to one of its services may have said who is there first
                } else {
                    target = server(Jid.parse(s.s2sTarget()).domainKey());
                    if (s.identity() != null) {
                        serves(s.upstream(), target);
                    }
                }
                // inside TLS not decrypted the initiating server never says its name: a stand-in, as for a client
                source = s.s2sSource() != null ? server(Jid.parse(s.s2sSource()).domainKey())
                        : unnamedServer(s.connection(), s.client());
            }
            case "component" -> {
                if (s.streamTo() == null) {
                    return null;
                }
                // nothing in a component's stream names the server it connects to (XEP-0114): the
                // server found at its address is that one, else a stand-in for it until the capture shows one
                String host = servedAt.serverAt(HostPort.hostOf(s.upstream()));
                target = host != null ? server(host) : unnamedServerAt(s.connection(), s.upstream());
                source = component(Jid.parse(s.streamTo()).domainKey(), target);
            }
            default -> {
                return null;
            }
        }
        String edgeId = s.kind() + ":" + s.connection();
        Edge edge = graph.getEdge(edgeId);
        if (edge != null && !(edge.getSourceNode().getId().equals(source) && edge.getTargetNode().getId().equals(target))) {
            Node oldSource = edge.getSourceNode();
            Node oldTarget = edge.getTargetNode();
            graph.removeEdge(edge);
            // an unauthenticated client's stand-in goes with its last stream, unless that stream only moved to another server
            if (standIn(oldSource) && oldSource.getDegree() == 0 && !oldSource.getId().equals(source)) {
                graph.removeNode(oldSource);
            }
            if (!oldTarget.getId().equals(target)) {
                dropIfNamedOnlyByIt(oldTarget); // a server of a refused name, drawn before the refusal came
            }
            edge = null;
        }
        if (edge == null) {
            edge = graph.addEdge(edgeId, source, target, true);
            edge.setAttribute("kind", s.kind());
            edge.setAttribute("connection", s.connection());
        }
        placed.put(s.connection(), new Placed(s, edge));
        return edge;
    }

    /**
     * A stream authenticated at {@code upstream} says which server is there: the streams whose
     * domain it refused, waiting for that, are drawn to it now.
     */
    private void serves(String upstream, String server) {
        if (upstream != null && serverAt.putIfAbsent(upstream, server) == null) {
            waitingForServerAt.named(upstream);
        }
        String host = HostPort.hostOf(upstream);
        if (servedAt.add(host, graph.getNode(server).getAttribute("label", String.class))) {
            componentsWaitingAt.named(host);
        }
    }

    /** Takes a stream's edge out, with the nodes that only it held up (its client's stand-in, a server named only by it). */
    private void unplace(Placed p) {
        placed.remove(p.endpoints().connection());
        Node source = p.edge().getSourceNode();
        Node target = p.edge().getTargetNode();
        graph.removeEdge(p.edge());
        if (standIn(source) && source.getDegree() == 0) {
            graph.removeNode(source);
        }
        dropIfNamedOnlyByIt(target);
    }

    /** Removes a server (or service) node that no stream, client or service holds up any more. */
    private void dropIfNamedOnlyByIt(Node server) {
        String id = server.getId();
        if (id.startsWith("server:") && server.getDegree() == 0 && !services.hostsAny(id)
                && graph.nodes().noneMatch(n -> id.equals(n.getAttribute("parent")))) {
            services.removed(id);
            graph.removeNode(server);
        }
    }

    private String server(String domain) {
        String id = "server:" + domain;
        if (graph.getNode(id) == null) {
            Node n = graph.addNode(id);
            n.setAttribute("kind", "server");
            n.setAttribute("label", domain);
            n.setAttribute("flags", Jid.parse(domain).flags());
            services.added(n, domain);
        }
        return id;
    }

    /**
     * A room's presence came from {@code domain}: a chat-room service, which other servers federate
     * with under its own name but which is no server of its own (no client logs in to it). It is a
     * component: of its server when the capture holds that one, else of none (no parent).
     */
    public void roomService(String domain) {
        services.roomService(domain);
    }

    /** The node of the server that hosts {@code nodeId}'s domain: itself unless it is another server's service. */
    public String host(String nodeId) {
        return services.host(nodeId);
    }

    /** The node a component's stream ({@code connection}) is drawn to: its server's, or a stand-in's; null if not drawn. */
    public String componentServer(long connection) {
        Placed p = placed.get(connection);
        return p == null ? null : p.edge().getTargetNode().getId();
    }

    private String client(Jid jid, String serverId) {
        services.notAService(serverId);
        String id = GraphNode.CLIENT_ID_PREFIX + jid.fullKey();
        if (graph.getNode(id) == null) {
            Node n = graph.addNode(id);
            n.setAttribute("kind", "client");
            n.setAttribute("label", jid.toString());
            n.setAttribute("parent", serverId);
            n.setAttribute("bareJid", jid.bareKey());
            n.setAttribute("flags", jid.flags());
        }
        return id;
    }

    /**
     * The node of a client whose bound JID is not known (yet): named by the JID its own words claim
     * (its login), said to be unconfirmed; else by its address, as a client whose login is inside TLS
     * not decrypted (it may well have logged in), or as an unauthenticated client.
     */
    private String placeholder(StreamEndpoints s, String serverId) {
        services.notAService(serverId);
        String id = "client:conn-" + s.connection();
        Node n = graph.getNode(id);
        if (n == null) {
            n = graph.addNode(id);
            n.setAttribute("kind", "client");
            n.setAttribute("parent", serverId);
            n.setAttribute("flags", "");
        }
        String address = s.client() == null ? "#" + s.connection() : s.client();
        String label = s.claimed() != null ? s.claimed() + " (claimed; bound JID not seen)"
                : s.insideTls() ? "client " + address + " (inside TLS)" : "unauthenticated client " + address;
        if (!label.equals(n.getAttribute("label"))) {
            n.setAttribute("label", label);
        }
        return id;
    }

    /**
     * The initiating server of an s2s stream known only by its TLS (its ClientHello names the
     * receiving server, never the sender). {@code #} keeps its id apart from any domain's.
     */
    private String unnamedServer(long connection, String address) {
        String id = UNNAMED_SERVER + connection;
        if (graph.getNode(id) == null) {
            Node n = graph.addNode(id);
            n.setAttribute("kind", "server");
            n.setAttribute("label", "unnamed server " + (address == null ? "#" + connection : address));
            n.setAttribute("flags", "");
        }
        return id;
    }

    /**
     * The server at {@code upstream} whose name is inside TLS not decrypted (no stream header, no
     * SNI): one node per address, where the streams to it meet.
     */
    private String unnamedServerAt(long connection, String upstream) {
        if (upstream == null) {
            return unnamedServer(connection, null);
        }
        String id = UNNAMED_SERVER_AT + upstream;
        if (graph.getNode(id) == null) {
            Node n = graph.addNode(id);
            n.setAttribute("kind", "server");
            n.setAttribute("label", "unnamed server " + upstream);
            n.setAttribute("flags", "");
        }
        return id;
    }

    /** Whether {@code n} stands in for a party not named yet (a client before it binds, an unnamed server). */
    private static boolean standIn(Node n) {
        return n.getId().startsWith("client:conn-") || n.getId().startsWith(UNNAMED);
    }

    /**
     * An external component's node (XEP-0114): the node of its domain, which other servers federate
     * with under that name, a component of the server it connects to (which may change once named).
     */
    private String component(String domain, String serverId) {
        String id = server(domain);
        services.connected(graph.getNode(id), serverId);
        return id;
    }

    private static void set(Edge e, String key, Object value) {
        Object old = e.getAttribute(key);
        if (value == null ? old != null : !value.equals(old)) {
            if (value == null) {
                e.removeAttribute(key);
            } else {
                e.setAttribute(key, value);
            }
        }
    }

    /** The changes since the last call, as events (one per changed node or edge). */
    public List<ModelEvent> drainChanges() {
        return changes.drain();
    }

    /** Forgets the changes since the last call: nobody follows them (a subscriber starts from a snapshot). */
    public void discardChanges() {
        changes.discard();
    }

    public GraphSnapshot snapshot() {
        List<GraphNode> nodes = new ArrayList<>();
        graph.nodes().forEach(n -> nodes.add(node(n)));
        List<GraphEdge> edges = new ArrayList<>();
        graph.edges().forEach(e -> edges.add(edge(e)));
        return new GraphSnapshot(nodes, edges);
    }

    GraphNode node(String id) {
        Node n = graph.getNode(id);
        return n == null ? null : node(n);
    }

    GraphEdge edge(String id) {
        Edge e = graph.getEdge(id);
        return e == null ? null : edge(e);
    }

    private static GraphNode node(Node n) {
        return new GraphNode(n.getId(), str(n.getAttribute("kind")), str(n.getAttribute("label")),
                str(n.getAttribute("parent")), str(n.getAttribute("bareJid")), str(n.getAttribute("flags")));
    }

    private static GraphEdge edge(Edge e) {
        return new GraphEdge(e.getId(), e.getSourceNode().getId(), e.getTargetNode().getId(), str(e.getAttribute("kind")),
                str(e.getAttribute("state")), List.of(((Number) e.getAttribute("connection")).longValue()),
                num(e.getAttribute("stanzas")), num(e.getAttribute("bytes")), str(e.getAttribute("error")),
                str(e.getAttribute("warning")));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }
}
