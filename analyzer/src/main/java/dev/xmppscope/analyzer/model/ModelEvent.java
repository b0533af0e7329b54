package dev.xmppscope.analyzer.model;

/** A change to the analyzer's model, pushed live to subscribers (the web UI's WebSocket). */
public sealed interface ModelEvent {

    /** A node appeared or changed. */
    record NodeUpdated(GraphNode node) implements ModelEvent { }

    /** An edge appeared or changed (state, counts). */
    record EdgeUpdated(GraphEdge edge) implements ModelEvent { }

    /** A connection appeared or changed (identity bound, state, closed). */
    record ConnectionUpdated(ConnectionView connection) implements ModelEvent { }

    /**
     * A negotiation step was added, or changed: one that named the parties "Client" and "Server"
     * before the stream's header said they are servers (Direct TLS) is sent again, same index.
     */
    record StepAdded(NegotiationStep step) implements ModelEvent { }

    /** A top-level element was parsed. */
    record StanzaAdded(StanzaSummary stanza) implements ModelEvent { }

    /** A node left the graph (e.g. an unauthenticated client's placeholder, once it bound a JID). */
    record NodeRemoved(String id) implements ModelEvent { }

    /** An edge left the graph (it is re-added with its real endpoints, same id). */
    record EdgeRemoved(String id) implements ModelEvent { }

    /** A route gained a hop (or was first linked): {@code ref} is the first hop's stanza. */
    record RouteUpdated(String ref, StanzaRoute route) implements ModelEvent { }
}
