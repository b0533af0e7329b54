package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.graph.StreamEndpoints;
import dev.xmppscope.analyzer.index.StanzaIndex;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.negotiation.DialbackStreams;
import dev.xmppscope.analyzer.negotiation.Negotiation;
import dev.xmppscope.analyzer.negotiation.ResumableSession;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.analyzer.xmpp.JidCache;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Everything the analyzer's model tracks for one proxied connection: the negotiation, counters,
 * which streams were given up, and who is at either end. (Its streams' parsers are in
 * {@link StreamParsers}.)
 */
final class ConnectionAnalysis {
    /** Graph node ids of clients: this, then the bound full JID (or "conn-ID" before binding). */
    static final String CLIENT_NODE = GraphNode.CLIENT_ID_PREFIX;

    final ConnectionOpened opened;
    final Negotiation negotiation;
    ConnectionClosed closed;
    /** Per direction: the TLS layer whose stream was given up, or null. */
    private final TlsLayer[] givenUp = new TlsLayer[2];
    private final int[] elementCount = new int[2];
    private final long[] bytes = new long[2];
    /** When its last bytes were relayed, either way ({@code Long.MIN_VALUE}: none yet). */
    long lastTrafficAt = Long.MIN_VALUE;
    boolean directTls;
    boolean starttls;
    boolean decrypted;
    boolean encrypted;
    /** Where its server is (its identity known) was told to {@link AddressNaming}. */
    boolean whereServedLearned;
    ConnectionView lastView;
    private String nodesKind;
    private String nodesIdentity;
    private String nodesFrom;
    private String nodesTo;
    private String nodesComponentServer;
    private Ends toServer = new Ends(null, null);
    private Ends toClient = toServer;

    /** Graph node ids of who sends and who receives in one direction; either is null while unknown. */
    record Ends(String source, String target) {
    }

    /**
     * @param resumableSessions the capture's resumable stream-management sessions (see {@link Negotiation})
     * @param dialbackStreams   the capture's s2s streams by id, for dialback checks (see {@link Negotiation})
     */
    ConnectionAnalysis(ConnectionOpened opened, Map<String, ResumableSession> resumableSessions, DialbackStreams dialbackStreams) {
        this.opened = opened;
        this.negotiation = new Negotiation(opened.id(), resumableSessions, dialbackStreams);
    }

    long id() {
        return opened.id();
    }

    /** The analysis of {@code c}'s stream (its direction and TLS layer) broke on a bug: the rest of it is not analysed. */
    void giveUp(Chunk c) {
        givenUp[c.direction().code()] = c.layer();
    }

    /** Whether {@code c}'s stream was given up ({@link #giveUp}): its bytes are then shown unparsed. */
    boolean givenUp(Chunk c) {
        return givenUp[c.direction().code()] == c.layer();
    }

    void countBytes(Direction d, int n, long at) {
        bytes[d.code()] += n;
        if (n > 0) {
            lastTrafficAt = Math.max(lastTrafficAt, at);
        }
    }

    /** The next element ref in direction {@code d}: "CONN-s-N" / "CONN-c-N". */
    String nextRef(Direction d) {
        return StanzaIndex.ref(opened.id(), d.code(), elementCount[d.code()]++);
    }

    int lastIndex(Direction d) {
        return elementCount[d.code()] - 1;
    }

    long stanzaCount() {
        return (long) elementCount[0] + elementCount[1];
    }

    long bytesBoth() {
        return bytes[0] + bytes[1];
    }

    String kind() {
        return negotiation.kind();
    }

    /** The port the connection went to (the upstream's, or a pcap's server's), or -1 if its address has none. */
    int serverPort() {
        String server = opened.server();
        int colon = server == null ? -1 : server.lastIndexOf(':');
        try {
            return colon < 0 ? -1 : Integer.parseInt(server.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1; // an address recorded without a port says nothing of the stream's kind
        }
    }

    StreamEndpoints endpoints() {
        return new StreamEndpoints(opened.id(), negotiation.kind(), negotiation.streamFrom(), negotiation.streamTo(),
                negotiation.identity(), opened.client(), opened.server(), negotiation.domainRefused(), negotiation.claimedJid(),
                negotiation.passthroughTls());
    }

    /**
     * Graph node ids of the sender and receiver of an element in direction {@code d}. Built again
     * only when the negotiation has learned something, and taken from {@code interned} so that
     * route matching mostly compares references.
     */
    Ends ends(Direction d, JidCache jids, Map<String, String> interned, LongFunction<String> componentServer) {
        String server = "component".equals(kind()) ? componentServer.apply(opened.id()) : null;
        if (nodesKind != kind() || nodesIdentity != negotiation.identity() || nodesFrom != negotiation.streamFrom()
                || nodesTo != negotiation.streamTo() || !Objects.equals(nodesComponentServer, server)) {
            nodesKind = kind();
            nodesIdentity = negotiation.identity();
            nodesFrom = negotiation.streamFrom();
            nodesTo = negotiation.streamTo();
            nodesComponentServer = server;
            String initiator = intern(initiatorNode(jids), interned);
            String receiver = intern(receiverNode(jids, server), interned);
            toServer = new Ends(initiator, receiver);
            toClient = new Ends(receiver, initiator);
        }
        return d == Direction.TO_SERVER ? toServer : toClient;
    }

    private static String intern(String node, Map<String, String> interned) {
        return node == null ? null : interned.computeIfAbsent(node, n -> n);
    }

    /** Graph node id of the initiating side (client, initiating server, component), or null if unknown yet. */
    private String initiatorNode(JidCache jids) {
        return switch (kind()) {
            case "c2s" -> negotiation.identity() != null ? CLIENT_NODE + jids.parse(negotiation.identity()).fullKey()
                    : CLIENT_NODE + "conn-" + opened.id();
            case "s2s" -> domainNode(jids, negotiation.streamFrom() != null ? negotiation.streamFrom() : s2sFromIdentity());
            case "component" -> domainNode(jids, negotiation.streamTo()); // as the graph draws it: the node of its domain
            default -> null;
        };
    }

    /**
     * Graph node id of the receiving side (the server), or null if unknown yet. A component's
     * stream names no server: {@code componentServer} is the one the graph drew it beside.
     */
    private String receiverNode(JidCache jids, String componentServer) {
        String to = negotiation.streamTo();
        return switch (kind()) {
            case "c2s" -> negotiation.identity() != null ? domainNode(jids, jids.parse(negotiation.identity()).domain())
                    : domainNode(jids, to);
            case "s2s" -> domainNode(jids, to);
            case "component" -> componentServer;
            default -> null;
        };
    }

    private String s2sFromIdentity() {
        String id = negotiation.identity();
        return id != null && id.contains("→") ? id.substring(0, id.indexOf('→')) : null;
    }

    private static String domainNode(JidCache jids, String domain) {
        return domain == null ? null : "server:" + jids.parse(domain).domainKey();
    }

    /** The sender's address as it counts: a c2s client's stanza without 'from' is from its bound JID. */
    String effectiveFrom(Direction d, String from) {
        if (from == null && "c2s".equals(kind()) && d == Direction.TO_SERVER) {
            return negotiation.identity();
        }
        return from;
    }

    /** The recipient as it counts: a stanza to a c2s client without 'to' is for the bound JID. */
    String effectiveTo(Direction d, String to) {
        if (to == null && "c2s".equals(kind()) && d == Direction.TO_CLIENT) {
            return negotiation.identity();
        }
        return to;
    }

    ConnectionView view() {
        String tls = "none";
        boolean intercepted = decrypted || (!encrypted && opened.tlsMode() == TlsMode.INTERCEPT);
        if (directTls) {
            tls = intercepted ? "direct-tls-intercepted" : "direct-tls-passthrough";
        } else if (starttls || encrypted || decrypted) {
            tls = intercepted ? "starttls-intercepted" : "starttls-passthrough";
        }
        String jid = negotiation.identity();
        if (jid != null && "c2s".equals(kind())) {
            jid = Jid.parse(jid).toString();
        }
        return new ConnectionView(opened.id(), opened.route(), kind(), tls, opened.client(), opened.server(), jid,
                negotiation.streamFrom(), negotiation.streamTo(), opened.atNanos(),
                closed == null ? null : closed.atNanos(), closed == null ? null : closed.reason().name(),
                closed == null ? null : closed.detail(), negotiation.state(), negotiation.error(), negotiation.warning(),
                stanzaCount(), closed == null ? bytes[0] : closed.bytesToServer(), closed == null ? bytes[1] : closed.bytesToClient(),
                negotiation.kindInferred(), negotiation.claimedJid());
    }
}
