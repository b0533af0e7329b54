package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The analyzer's read side: what one capture (live or stored) means. Thread-safe; the web app
 * queries it from request threads while chunks keep arriving.
 */
public interface CaptureModel {

    List<ConnectionView> connections();

    Optional<ConnectionView> connection(long id);

    /** The stream's negotiation steps in order; empty for an unknown connection. */
    List<NegotiationStep> negotiation(long connectionId);

    StanzaPage stanzas(StanzaQuery query);

    Optional<StanzaDetail> stanza(String ref);

    /** The route the stanza {@code ref} belongs to (any of its hops' refs finds it). */
    Optional<StanzaRoute> route(String ref);

    GraphSnapshot graph();

    /**
     * Calls {@code listener} with every change from now on, on an analyzer thread (keep it quick).
     * Close the returned handle to stop.
     */
    AutoCloseable subscribe(Consumer<ModelEvent> listener);
}
