package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.index.IndexedStanza;
import dev.xmppscope.analyzer.index.KeptAnalysis;
import dev.xmppscope.analyzer.index.StanzaIndex;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.route.IqPairing;
import dev.xmppscope.analyzer.route.RouteArchive;
import dev.xmppscope.capture.CaptureStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A stored capture's model answered from the analysis kept for it ({@link KeptAnalysis}) and its
 * index, without parsing the capture: what the {@link Analyzer} that kept it answered once it had
 * read all of the capture, the same code reading routes and IQs back from the index. Open it only
 * once the kept analysis was found to be made from the capture as it is now. It never changes, so
 * it has no events.
 */
public final class KeptModel implements CaptureModel, AutoCloseable {
    private final StanzaIndex index;
    private final KeptAnalysis kept;
    private final long visibleUntil;
    private final List<ConnectionView> connections;
    private final Map<Long, ConnectionView> byId = new HashMap<>();
    private final GraphSnapshot graph;
    /** The routes the analysis answered from memory at the end, before its archive (as {@code RouteCorrelator#route}). */
    private final RouteArchive routesInMemory;
    private final IqPairing iqs;

    private KeptModel(StanzaIndex index, KeptAnalysis kept) {
        this.index = index;
        this.kept = kept;
        KeptAnalysis.Model model = kept.model();
        this.visibleUntil = model.visibleUntil();
        this.connections = List.copyOf(model.connections());
        connections.forEach(c -> byId.put(c.id(), c));
        this.graph = model.graph();
        this.routesInMemory = kept.routes(index);
        this.iqs = new IqPairing(index.iqLedger());
    }

    /** The model kept in the analysis file of {@code store}; close it to let go of its index. */
    public static KeptModel open(CaptureStore store) {
        StanzaIndex index = new StanzaIndex(store.analysisStore(), store.analysisFile(), store.analysisInBackground(),
                store.payloads());
        try {
            return new KeptModel(index, KeptAnalysis.in(store.analysisStore()));
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
    }

    @Override
    public List<ConnectionView> connections() {
        return connections;
    }

    @Override
    public Optional<ConnectionView> connection(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public List<NegotiationStep> negotiation(long connectionId) {
        return kept.steps(connectionId);
    }

    @Override
    public StanzaPage stanzas(StanzaQuery query) {
        return index.query(query, visibleUntil);
    }

    @Override
    public Optional<StanzaDetail> stanza(String ref) {
        return index.get(ref, visibleUntil).map(st -> StanzaDetails.of(st, CarriedOriginals.find(st, this::stanzas),
                route(ref).orElse(null), iqs.info(st.summary()), visibleUntil, this::link));
    }

    @Override
    public Optional<StanzaRoute> route(String ref) {
        return routesInMemory.find(ref).or(() -> index.routeArchive().find(ref)).map(r -> StanzaDetails.annotated(r, this::link));
    }

    private StanzaDetails.Link link(long id) {
        ConnectionView c = byId.get(id);
        return c == null ? null : StanzaDetails.Link.of(c);
    }

    @Override
    public GraphSnapshot graph() {
        return graph;
    }

    @Override
    public AutoCloseable subscribe(Consumer<ModelEvent> listener) {
        return () -> { };
    }

    /** Summarizes the index's blocks in the background, as {@link Analyzer#summarizeInBackground} does once it is done. */
    public void summarizeInBackground() {
        index.summarizeInBackground();
    }

    @Override
    public void close() {
        index.close();
    }
}
