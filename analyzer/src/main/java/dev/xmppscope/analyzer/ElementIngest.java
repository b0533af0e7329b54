package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.index.IndexedStanza;
import dev.xmppscope.analyzer.index.StanzaIndex;
import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.route.Bounces;
import dev.xmppscope.analyzer.route.ChatRooms;
import dev.xmppscope.analyzer.route.Copying;
import dev.xmppscope.analyzer.route.IqPairing;
import dev.xmppscope.analyzer.route.OfflineStorage;
import dev.xmppscope.analyzer.route.PayloadDigest;
import dev.xmppscope.analyzer.route.PresenceCache;
import dev.xmppscope.analyzer.route.RouteCorrelator;
import dev.xmppscope.analyzer.route.Sighting;
import dev.xmppscope.analyzer.stream.StreamEvent;
import dev.xmppscope.analyzer.xml.StreamHeader;
import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.ElementKind;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.analyzer.xmpp.JidCache;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.Direction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Turns one chunk's parse events ({@link StreamParsers}) into the model: negotiation steps,
 * indexed stanzas, IQ pairs and route hops. Called by the {@link Analyzer} under its lock.
 */
final class ElementIngest {
    private static final int UNPARSED_PREVIEW = 4096;
    private static final byte[] CLOSE_TAG = "</stream:stream>".getBytes(StandardCharsets.US_ASCII);

    private final StanzaIndex index;
    private final RouteCorrelator routes;
    private final IqPairing iqs;
    private final JidCache jids = new JidCache();
    private final Map<String, String> nodeIds = new HashMap<>();
    private final Namespaces namespaces = Namespaces.shipped();
    private final ChatRooms rooms = new ChatRooms();
    private final Bounces bounces;
    /** Told each chat-room service a room's presence shows (XEP-0045): what the graph draws as a component. */
    private final Consumer<String> roomService;
    /** The graph node of the server a component's stream (by connection) is drawn beside, or null: its route hops' other end. */
    private final LongFunction<String> componentServer;
    private boolean wantEvents = true;

    ElementIngest(StanzaIndex index, RouteCorrelator routes, IqPairing iqs, Consumer<String> roomService,
                  LongFunction<String> componentServer) {
        this.index = index;
        this.routes = routes;
        this.iqs = iqs;
        this.roomService = roomService;
        this.componentServer = componentServer;
        this.bounces = new Bounces(index.iqLedger(), StanzaIndex::ref);
    }

    void setWantEvents(boolean want) {
        this.wantEvents = want;
    }

    /**
     * Ingests what the parse of chunk {@code c} found in it ({@code parsed}).
     *
     * @param position where {@code c}'s bytes are in the capture's payload file, or -1 (see {@link #placed})
     * @param facts    each parsed element's facts, at its event's index ({@link StreamParsers#parse})
     */
    void chunk(ConnectionAnalysis conn, Chunk c, long position, List<StreamEvent> parsed, ElementFacts[] facts,
               List<ModelEvent> events) {
        Direction d = c.direction();
        String failure = null;
        for (int i = 0; i < parsed.size(); i++) {
            StreamEvent ev = parsed.get(i);
            if (ev instanceof StreamEvent.StreamOpened o) {
                String ref = conn.nextRef(d);
                steps(conn.negotiation.header(d, o.header(), o.at(), ref), events);
                header(conn, d, c, ref, o, placed(c, position, o.offset(), o.size()), events);
            } else if (ev instanceof StreamEvent.ElementParsed p) {
                String ref = conn.nextRef(d);
                steps(conn.negotiation.element(d, p.element(), p.at(), ref), events);
                element(conn, d, c, ref, p, facts[i], placed(c, position, p.offset(), p.size()), events);
            } else if (ev instanceof StreamEvent.StreamClosed cl) {
                String ref = conn.nextRef(d);
                steps(conn.negotiation.streamClosed(d, cl.at(), ref), events);
                store(conn, d, c, ref, cl.at(), "close", null, null, null, null, List.of(), "stream closed",
                        cl.size(), cl.offset(), "ok", null, () -> CLOSE_TAG, -1, events);
            } else if (ev instanceof StreamEvent.StreamFailed f) {
                failure = f.message();
                steps(conn.negotiation.parseFailed(d, f.message(), f.at()), events);
            } else if (ev instanceof StreamEvent.Unparsed u) {
                String ref = conn.nextRef(d);
                String status = u.why() != null ? u.why() : failure != null ? failure : "not parsed (the stream failed earlier)";
                store(conn, d, c, ref, u.at(), "unparsed", null, null, null, null, List.of(),
                        u.size() + " bytes not parsed", u.size(), u.offset(), status, null, () -> preview(c, u), -1, events);
            }
        }
    }

    /**
     * Where the element at {@code offset} of {@code c}'s stream lies in the payload file, given the
     * chunk's own place there: known when the element lies within this one chunk, else -1 (an
     * element read across chunks is kept as a copy; so is any element when the place is unknown).
     */
    private static long placed(Chunk c, long position, long offset, int size) {
        return position >= 0 && offset >= c.offset() && offset + size <= c.offset() + c.length()
                ? position + (offset - c.offset()) : -1;
    }

    private void header(ConnectionAnalysis conn, Direction d, Chunk c, String ref, StreamEvent.StreamOpened o, long xmlAt,
                        List<ModelEvent> events) {
        StreamHeader h = o.header();
        List<String> nss = new ArrayList<>();
        for (String[] decl : h.declarations()) {
            nss.add(decl[1]);
        }
        String summary = (o.restart() ? "stream restart" : "stream header") + headerParty(h)
                + (h.contentNamespace().isEmpty() ? "" : " (" + h.contentNamespace() + ")")
                + (h.attribute("id") == null || h.attribute("id").isEmpty() ? "" : " id " + h.attribute("id"));
        store(conn, d, c, ref, o.at(), "stream-header", null, h.attribute("from"), h.attribute("to"), h.attribute("id"),
                nss, summary, o.size(), o.offset(), "ok", null, o::xmlBytes, xmlAt, events);
    }

    /** " to a.example", or " from a.example" for a header that names only its sender (a server's answer often does). */
    private static String headerParty(StreamHeader h) {
        String to = h.attribute("to");
        String from = h.attribute("from");
        return to != null ? " to " + to : from != null ? " from " + from : "";
    }

    private void element(ConnectionAnalysis conn, Direction d, Chunk c, String ref, StreamEvent.ElementParsed p,
                         ElementFacts facts, long xmlAt, List<ModelEvent> events) {
        XmlElement e = p.element();
        ElementKind k = facts.kind();
        String from = e.attribute("from");
        String to = e.attribute("to");
        String id = e.attribute("id");
        boolean fresh = fresh(conn, d);
        IndexedStanza stored = indexed(conn, d, c, ref, p.at(), k.kind(), k.type(), from, to, id, k.namespaces(),
                k.summary(), p.size(), p.offset(), "ok", k.error(), fresh, p::xmlBytes, xmlAt, events);
        if (k.kind().equals("presence")) {
            String service = ChatRooms.serviceOf(e, from);
            if (service != null) {
                roomService.accept(service);
            }
        }
        long routeFirst = -1;
        if (ElementFacts.isStanza(k)) {
            routeFirst = correlate(conn, d, ref, p, facts, stored, events);
        }
        // indexed after correlating: a stanza that joined a route names the route's first hop in its own record
        if (fresh) {
            index.add(routeFirst < 0 ? stored : stored.withRouteFirst(routeFirst));
        }
    }

    /**
     * Pairs the stanza (an IQ with its answer, an error with what it bounces) and follows its
     * route; returns the row key of the route's first hop if the stanza joined a route as a later
     * hop, else -1.
     */
    private long correlate(ConnectionAnalysis conn, Direction d, String ref, StreamEvent.ElementParsed p,
                           ElementFacts facts, IndexedStanza stored, List<ModelEvent> events) {
        ElementKind k = facts.kind();
        pair(conn, d, ref, p.at(), k, stored);
        ConnectionAnalysis.Ends ends = conn.ends(d, jids, nodeIds, componentServer);
        String source = ends.source();
        String target = ends.target();
        if (source == null || target == null) {
            return -1;
        }
        XmlElement carried = k.carried() == null ? null : k.carried().carbon();
        Sighting s = carried != null ? carbon(conn, ref, source, target, p.at(), carried) : sighting(conn, d, ref, source,
                target, p, facts, stored);
        Optional<String> joined = routes.observe(s);
        if (joined.isEmpty()) {
            return -1;
        }
        if (wantEvents) {
            events.add(new ModelEvent.RouteUpdated(joined.get(), routes.route(joined.get()).orElseThrow()));
        }
        return StanzaIndex.rowKey(joined.get());
    }

    private Sighting sighting(ConnectionAnalysis conn, Direction d, String ref, String source, String target,
                              StreamEvent.ElementParsed p, ElementFacts facts, IndexedStanza stored) {
        ElementKind k = facts.kind();
        String type = typeOrDefault(k.kind(), k.type());
        String to = stored.summary().to();
        Copying copying = rooms.copying(k.kind(), type, to, stored.toBare(), stored.fromBare(), p.element(), k.invite());
        if (k.kind().equals("presence")) {
            copying = rooms.presence(copying, copying == Copying.TO_ROOM ? stored.toBare() : stored.fromBare(), stored.fromKey(),
                    stored.toKey(), p.element());
        }
        if (copying == Copying.NONE && k.kind().equals("presence")
                && PresenceCache.replayed(facts.serverStamps(), stored.fromBare())) {
            copying = Copying.REPLAY;
        }
        long digest = digest(copying, facts, stored);
        // a room's invitation (or decline) to someone offline is kept by their server too, and stays what it is
        boolean fromStore = (copying == Copying.NONE || copying == Copying.ROOM_INVITATION || copying == Copying.ROOM_DECLINE)
                && k.kind().equals("message") && OfflineStorage.heldByServer(facts.serverStamps(), stored.toBare());
        return new Sighting(ref, conn.id(), source, target, p.at(), k.kind(), type, stored.summary().id(), stored.fromBare(),
                stored.toBare(), stored.fromKey(), stored.toKey(), digest,
                delivered(conn.kind(), d, k.kind(), to, target, stored.toKey()), copying, fromStore);
    }

    /**
     * The payload's digest; of an invitation or a decline through a room, what the room's passing it
     * on keeps: who is invited, or who declined.
     */
    private long digest(Copying copying, ElementFacts facts, IndexedStanza stored) {
        ElementKind k = facts.kind();
        return switch (copying) {
            case INVITATION -> PayloadDigest.ofInvitation(k.invite(), bare(k.invite().to()));
            case ROOM_INVITATION -> PayloadDigest.ofInvitation(k.invite(), stored.toBare());
            case DECLINE -> PayloadDigest.ofInvitation(k.invite(), stored.fromBare());
            case ROOM_DECLINE -> PayloadDigest.ofInvitation(k.invite(), bare(k.invite().from()));
            default -> facts.digest();
        };
    }

    /**
     * A carbon, seen as the message it carries on this link. Never "delivered": the message's own
     * delivery may still be on its way to its addressee.
     */
    private Sighting carbon(ConnectionAnalysis conn, String ref, String source, String target, long at, XmlElement message) {
        return new Sighting(ref, conn.id(), source, target, at, "message", typeOrDefault("message", message.attribute("type")),
                message.attribute("id"), bare(message.attribute("from")), bare(message.attribute("to")),
                null, null, PayloadDigest.of(message), false, Copying.CARBON, false);
    }

    /** The type, or what its absence means (RFC 6121): a message without one is "normal", a presence "available". */
    private static String typeOrDefault(String kind, String type) {
        return type != null ? type : kind.equals("message") ? "normal" : kind.equals("presence") ? "available" : null;
    }

    private String bare(String jid) {
        Jid parsed = jids.parse(jid);
        return parsed == null ? null : parsed.bareKey();
    }

    /**
     * Whether this hop brings the stanza to the entity that handles it, so that only a resend can follow:
     * on a c2s stream, to the client bound to exactly its 'to', or to the client itself when it has
     * no 'to'; from the client, an IQ without 'to', which its server answers for the account
     * (RFC 6120 §10.3.3). A message or presence without 'to' may still fan out.
     */
    static boolean delivered(String connectionKind, Direction d, String kind, String to, String target, String toKey) {
        if (!"c2s".equals(connectionKind)) {
            return false;
        }
        if (d == Direction.TO_SERVER) {
            return to == null && "iq".equals(kind);
        }
        String prefix = ConnectionAnalysis.CLIENT_NODE;
        return to == null || toKey != null && target.length() == prefix.length() + toKey.length() && target.startsWith(prefix)
                && target.endsWith(toKey);
    }

    /**
     * Pairs an IQ with its answer, or a message or presence error with what it bounces: on a c2s
     * stream by connection and direction, between servers by the two domains.
     */
    private void pair(ConnectionAnalysis conn, Direction d, String ref, long at, ElementKind k, IndexedStanza s) {
        String id = s.summary().id();
        boolean c2s = "c2s".equals(conn.kind());
        String fromDomain = c2s || s.fromBare() == null ? null : domainOf(s.fromBare());
        String toDomain = c2s || s.toBare() == null ? null : domainOf(s.toBare());
        boolean toServer = d == Direction.TO_SERVER;
        if (k.kind().equals("iq")) {
            iqs.observe(ref, conn.id(), toServer, at, k.type(), id, c2s ? "c2s:" + conn.id() : "s2s", fromDomain, toDomain);
        } else {
            bounces.observe(ref, s.pk(), conn.id(), c2s, toServer, at, k.kind(), k.type(), id, fromDomain, toDomain);
        }
    }

    private static String domainOf(String bareKey) {
        int at = bareKey.indexOf('@');
        return at >= 0 ? bareKey.substring(at + 1) : bareKey;
    }

    private void store(ConnectionAnalysis conn, Direction d, Chunk c, String ref, long at, String kind, String type,
                       String from, String to, String id, List<String> nss, String summary, int size, long offset,
                       String status, String error, Supplier<byte[]> xml, long xmlAt, List<ModelEvent> events) {
        boolean fresh = fresh(conn, d);
        IndexedStanza s = indexed(conn, d, c, ref, at, kind, type, from, to, id, nss, summary, size, offset, status, error,
                fresh, xml, xmlAt, events);
        if (fresh) {
            index.add(s);
        }
    }

    /** Whether the element just counted on this stream is new to the index (an earlier run may have stored it). */
    private boolean fresh(ConnectionAnalysis conn, Direction d) {
        return !index.alreadyIndexed(conn.id(), d.code(), conn.lastIndex(d));
    }

    /**
     * The element as the index stores it: its XML copied only if {@code fresh} and not found at
     * {@code xmlAt} in the payload file; announces it to listeners.
     */
    private IndexedStanza indexed(ConnectionAnalysis conn, Direction d, Chunk c, String ref, long at, String kind,
                                  String type, String from, String to, String id, List<String> nss, String summary,
                                  int size, long offset, String status, String error, boolean fresh,
                                  Supplier<byte[]> xml, long xmlAt, List<ModelEvent> events) {
        Jid effFrom = jids.parse(conn.effectiveFrom(d, from));
        Jid effTo = jids.parse(conn.effectiveTo(d, to));
        if (error == null) {
            error = jidProblem("from", jids.parse(from));
            error = error != null ? error : jidProblem("to", jids.parse(to));
        }
        List<String> labels = new ArrayList<>(nss.size());
        for (String ns : nss) {
            labels.add(namespaces.label(ns));
        }
        StanzaSummary summary1 = new StanzaSummary(ref, conn.id(), d.wireName(), at, kind, type, from, to, id, nss, labels,
                summary, size, offset, status);
        IndexedStanza s = new IndexedStanza(StanzaIndex.rowKey(conn.id(), d.code(), conn.lastIndex(d)), d.code(), summary1,
                effFrom == null ? null : effFrom.fullKey(), effTo == null ? null : effTo.fullKey(),
                effFrom == null ? null : effFrom.bareKey(), effTo == null ? null : effTo.bareKey(), c.layer().code(), error,
                -1, fresh && xmlAt < 0 ? xml.get() : null, xmlAt);
        if (wantEvents) {
            events.add(new ModelEvent.StanzaAdded(summary1));
        }
        return s;
    }

    /** "invalid JID in 'to': forbidden character ..." for an address RFC 7622 rejects, else null. */
    private static String jidProblem(String attribute, Jid jid) {
        return jid == null || jid.isValid() ? null : "invalid JID in '" + attribute + "': " + jid.problems().get(0);
    }

    /** The first bytes not parsed: those that came before this chunk (the element that failed), then the chunk's. */
    private static byte[] preview(Chunk c, StreamEvent.Unparsed u) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int limit = Math.min(UNPARSED_PREVIEW, u.size()); // bytes cut short by a gap end where the chunk after it begins
        out.write(u.head(), 0, Math.min(limit, u.head().length));
        // the chunk's bytes go on from where the head ends (a head cut at the preview's size ends before the chunk)
        long next = u.head().length == 0 ? Math.max(u.offset(), c.offset()) : u.offset() + u.head().length;
        if (next >= c.offset() && next < c.offset() + c.bytes().length && out.size() < limit) {
            int from = (int) (next - c.offset());
            out.write(c.bytes(), from, Math.min(limit - out.size(), c.bytes().length - from));
        }
        // whole characters only: the preview is shown as text
        return new String(out.toByteArray(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    }

    private static void steps(List<NegotiationStep> steps, List<ModelEvent> events) {
        for (NegotiationStep s : steps) {
            events.add(new ModelEvent.StepAdded(s));
        }
    }
}
