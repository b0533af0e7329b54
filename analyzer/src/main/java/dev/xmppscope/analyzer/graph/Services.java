package dev.xmppscope.analyzer.graph;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.graphstream.graph.Graph;
import org.graphstream.graph.Node;

/**
 * Which server nodes are services of another server, drawn as its components: a domain under a
 * server's domain with no clients of its own (conference.b.example beside b.example), a domain a
 * room's presence comes from (a chat-room service, XEP-0045), and an external component
 * (XEP-0114), which is the component of the server it connected to whatever its name.
 */
final class Services {
    /** At most this many room services are remembered: a hostile capture stops adding, not memory. */
    private static final int MAX_ROOM_SERVICES = 10_000;

    private final Graph graph;
    /** Server nodes that are services of another server's, to that server's node. */
    private final Map<String, String> hosts = new HashMap<>();
    /** Domains a room's presence shows are chat-room services: components, whether or not their server is in the capture. */
    private final Set<String> roomServices = new HashSet<>();
    /** Nodes of external components: hosted by the server their stream went to, not by their name's. */
    private final Set<String> connected = new HashSet<>();

    Services(Graph graph) {
        this.graph = graph;
    }

    /** A new server node {@code n} for {@code domain}: filed under the server whose service it is, and its own services under it. */
    void added(Node n, String domain) {
        String id = n.getId();
        if (isName(domain)) { // an address literal: 1.2.3.4 is not a service of 2.3.4
            for (int dot = domain.indexOf('.'); dot > 0; dot = domain.indexOf('.', dot + 1)) {
                Node parent = graph.getNode("server:" + domain.substring(dot + 1));
                if (parent != null && !hosts.containsKey(parent.getId())) {
                    hostedBy(n, parent.getId());
                    break;
                }
            }
            String host = host(id);
            String suffix = "." + domain;
            graph.nodes().filter(s -> s.getId().startsWith("server:") && s.getId().endsWith(suffix)).toList()
                    .forEach(s -> hostedBy(s, host));
        }
        if (roomServices.contains(domain)) {
            asRoomService(n);
        }
    }

    /** A room's presence came from {@code domain} (see {@link EntityGraph#roomService}). */
    void roomService(String domain) {
        if (roomServices.size() < MAX_ROOM_SERVICES && roomServices.add(domain)) {
            Node n = graph.getNode("server:" + domain);
            if (n != null) {
                asRoomService(n);
            }
        }
    }

    /** An external component's node {@code n}, whose stream went to {@code serverId}: a component of that one. */
    void connected(Node n, String serverId) {
        if (!"component".equals(n.getAttribute("kind"))) {
            n.setAttribute("kind", "component");
        }
        if (!serverId.equals(n.getAttribute("parent"))) {
            n.setAttribute("parent", serverId);
        }
        hosts.put(n.getId(), serverId);
        connected.add(n.getId());
    }

    /** The node of the server that hosts {@code nodeId}'s domain: itself unless it is another server's service. */
    String host(String nodeId) {
        return hosts.getOrDefault(nodeId, nodeId);
    }

    /** Whether {@code serverId} hosts any service. */
    boolean hostsAny(String serverId) {
        return hosts.containsValue(serverId);
    }

    /** Node {@code id} left the graph. */
    void removed(String id) {
        hosts.remove(id);
        connected.remove(id);
    }

    /** A client logged in to a domain: it is a server of its own, whatever its name or the presences from it. */
    void notAService(String serverId) {
        Node n = graph.getNode(serverId);
        if (hosts.remove(serverId) != null || "component".equals(n.getAttribute("kind"))) {
            n.setAttribute("kind", "server");
            n.removeAttribute("parent");
        }
    }

    private static void asRoomService(Node n) {
        boolean clientsLogIn = n.enteringEdges().anyMatch(e -> "c2s".equals(e.getAttribute("kind")));
        if (!clientsLogIn && !"component".equals(n.getAttribute("kind"))) {
            n.setAttribute("kind", "component");
        }
    }

    private void hostedBy(Node service, String serverId) {
        String id = service.getId();
        String current = hosts.get(id);
        // the nearest server hosts it (conference.x.b.example is x.b.example's, if both are servers);
        // an external component, the one it connected to, whatever its name
        if (current != null && current.length() >= serverId.length() || connected.contains(id)
                || service.enteringEdges().anyMatch(e -> "c2s".equals(e.getAttribute("kind")))) {
            return;
        }
        hosts.put(id, serverId);
        service.setAttribute("kind", "component");
        service.setAttribute("parent", serverId);
        for (Map.Entry<String, String> e : hosts.entrySet()) {
            if (e.getValue().equals(id)) { // what it hosted until now, its host hosts
                e.setValue(serverId);
                graph.getNode(e.getKey()).setAttribute("parent", serverId);
            }
        }
    }

    private static boolean isName(String domain) {
        if (domain.indexOf(':') >= 0) {
            return false; // [::1]
        }
        for (int i = 0; i < domain.length(); i++) {
            if (Character.isLetter(domain.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
