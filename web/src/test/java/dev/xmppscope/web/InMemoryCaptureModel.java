package dev.xmppscope.web;

import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.model.StanzaSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A capture model that test code fills by hand. It exists for what real servers refuse to
 * produce — JIDs and resources full of markup for the XSS probes — and for exact control in web
 * API tests; the end-to-end tests use the real analyzer on real traffic.
 */
final class InMemoryCaptureModel implements CaptureModel {

    private final Map<Long, ConnectionView> connections = new LinkedHashMap<>();
    private final Map<Long, List<NegotiationStep>> steps = new LinkedHashMap<>();
    private final List<StanzaDetail> stanzas = new ArrayList<>();
    private final Map<String, GraphNode> nodes = new LinkedHashMap<>();
    private final Map<String, GraphEdge> edges = new LinkedHashMap<>();
    private final List<Consumer<ModelEvent>> listeners = new CopyOnWriteArrayList<>();
    private int readsPerQuery = Integer.MAX_VALUE;

    synchronized void put(ConnectionView c) {
        connections.put(c.id(), c);
        fire(new ModelEvent.ConnectionUpdated(c));
    }

    synchronized void put(NegotiationStep s) {
        steps.computeIfAbsent(s.connection(), k -> new ArrayList<>()).add(s);
        fire(new ModelEvent.StepAdded(s));
    }

    synchronized void put(GraphNode n) {
        nodes.put(n.id(), n);
        fire(new ModelEvent.NodeUpdated(n));
    }

    synchronized void removeNode(String id) {
        nodes.remove(id);
        fire(new ModelEvent.NodeRemoved(id));
    }

    synchronized void put(GraphEdge e) {
        edges.put(e.id(), e);
        fire(new ModelEvent.EdgeUpdated(e));
    }

    synchronized void put(StanzaDetail d) {
        stanzas.removeIf(s -> s.stanza().ref().equals(d.stanza().ref()));
        stanzas.add(d);
        fire(new ModelEvent.StanzaAdded(d.stanza()));
        if (d.route() != null) {
            fire(new ModelEvent.RouteUpdated(d.route().hops().get(0).stanzaRef(), d.route()));
        }
    }

    private void fire(ModelEvent e) {
        for (Consumer<ModelEvent> l : listeners) {
            l.accept(e);
        }
    }

    @Override
    public synchronized List<ConnectionView> connections() {
        return List.copyOf(connections.values());
    }

    @Override
    public synchronized Optional<ConnectionView> connection(long id) {
        return Optional.ofNullable(connections.get(id));
    }

    @Override
    public synchronized List<NegotiationStep> negotiation(long connectionId) {
        return List.copyOf(steps.getOrDefault(connectionId, List.of()));
    }

    /**
     * Each query reads at most {@code n} stanzas and answers with what it found so far, as the real
     * index does on a long capture ({@link StanzaPage#searchedTo}).
     */
    synchronized void readsPerQuery(int n) {
        readsPerQuery = n;
    }

    @Override
    public synchronized StanzaPage stanzas(StanzaQuery q) {
        String c = q.cursor();
        int reads = 0;
        Long searchedTo = null;
        if (c != null && (c.equals("latest") || c.startsWith("before:"))) { // the page ending before an index
            int end = c.equals("latest") ? stanzas.size() : Integer.parseInt(c.substring("before:".length()));
            List<StanzaSummary> out = new ArrayList<>();
            int i = end - 1;
            for (; i >= 0 && out.size() < q.limit(); i--) {
                if (reads++ == readsPerQuery) {
                    searchedTo = stanzas.get(i + 1).stanza().at();
                    break;
                }
                if (matches(stanzas.get(i), q)) {
                    out.add(0, stanzas.get(i).stanza());
                }
            }
            return new StanzaPage(out, c.equals("latest") ? null : String.valueOf(end), i >= 0 ? "before:" + (i + 1) : null,
                    searchedTo);
        }
        int start = c == null ? 0 : Integer.parseInt(c);
        List<StanzaSummary> out = new ArrayList<>();
        int i = start;
        for (; i < stanzas.size() && out.size() < q.limit(); i++) {
            if (reads++ == readsPerQuery) {
                searchedTo = stanzas.get(i - 1).stanza().at();
                break;
            }
            StanzaDetail d = stanzas.get(i);
            if (matches(d, q)) {
                out.add(d.stanza());
            }
        }
        return new StanzaPage(out, i < stanzas.size() ? String.valueOf(i) : null, start > 0 ? "before:" + start : null,
                searchedTo);
    }

    private static boolean matches(StanzaDetail d, StanzaQuery q) {
        StanzaSummary s = d.stanza();
        return (q.text() == null || d.xml().contains(q.text()))
                && (q.jid() == null || jidMatches(s.from(), q.jid()) || jidMatches(s.to(), q.jid()))
                && (q.kind() == null || q.kind().equals(s.kind()))
                && (q.type() == null || q.type().equals(s.type()))
                && (q.namespace() == null || s.namespaces().contains(q.namespace())
                    || s.labels().stream().anyMatch(l -> l.contains(q.namespace())))
                && (q.id() == null || q.id().equals(s.id()))
                && (q.connection() == null || q.connection() == s.connection())
                && (q.fromNanos() == null || s.at() >= q.fromNanos())
                && (q.untilNanos() == null || s.at() < q.untilNanos());
    }

    private static boolean jidMatches(String jid, String filter) {
        return jid != null && (jid.equals(filter) || jid.startsWith(filter + "/"));
    }

    @Override
    public synchronized Optional<StanzaDetail> stanza(String ref) {
        return stanzas.stream().filter(d -> d.stanza().ref().equals(ref)).findFirst();
    }

    @Override
    public synchronized Optional<StanzaRoute> route(String ref) {
        return stanzas.stream().map(StanzaDetail::route).filter(r -> r != null
                && r.hops().stream().anyMatch(h -> h.stanzaRef().equals(ref))).findFirst();
    }

    @Override
    public synchronized GraphSnapshot graph() {
        return new GraphSnapshot(List.copyOf(nodes.values()), List.copyOf(edges.values()));
    }

    /** How many listeners follow this model now. */
    int subscribers() {
        return listeners.size();
    }

    @Override
    public AutoCloseable subscribe(Consumer<ModelEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
