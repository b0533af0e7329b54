package dev.xmppscope.analyzer.model;

/**
 * An entity in the federation graph.
 *
 * @param id     stable id: {@code server:a.example}, {@code client:alice@a.example/phone}; a
 *               component keeps its domain's, {@code server:conference.a.example}
 * @param kind   {@code server}, {@code client} or {@code component}
 * @param label  what to write on it (domain, or full JID)
 * @param parent the id of the server it hangs off (clients and components), or null for servers
 * @param bareJid for clients, the bare JID grouping several resources; null otherwise
 * @param flags  problems worth showing ("invalid JID: ..."), may be empty
 */
public record GraphNode(String id, String kind, String label, String parent, String bareJid, String flags) {
    /** How a client's id begins: {@code client:} and its full JID (or {@code conn-N} until it binds one). */
    public static final String CLIENT_ID_PREFIX = "client:";
}
