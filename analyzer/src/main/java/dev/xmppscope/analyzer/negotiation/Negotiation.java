package dev.xmppscope.analyzer.negotiation;

import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.xml.StreamHeader;
import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.Features;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.analyzer.xmpp.Ns;
import dev.xmppscope.capture.ClientHello;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.Direction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The negotiation of one connection's streams (both directions, every TLS layer and restart) as
 * ordered steps: header, features, STARTTLS, SASL, bind, session, SM, CSI, dialback, errors and
 * the close. Sans-io: fed parsed elements and proxy events with their times, it returns the steps
 * each one adds, and knows the connection's kind, identity and state.
 */
public final class Negotiation {
    /** Silence before a connection's end from which its closing step says so: what an idle timeout looks like. */
    private static final long SILENCE_SAID_NANOS = 10_000_000_000L;

    private final long connection;
    private final List<NegotiationStep> steps = new ArrayList<>();
    private final Close close = new Close();
    private List<NegotiationStep> added = new ArrayList<>();

    private String kind = "unknown";
    private String streamFrom;
    private String streamTo;
    private String identity;
    private String state = "negotiating";
    private String error;
    /** What may have gone wrong, in plain words: credentials without TLS, stanzas never acknowledged, IQs never answered. */
    private String warning;
    private int initiatorHeaders;
    private int responderHeaders;
    private String lastAuthRequest;
    private String bindId;
    private String registerId;
    /** The resource the client asked to bind, or null (none asked for, or server-chosen). */
    private String requestedResource;
    /** Who a c2s client says it is, for naming it while (or when) its bound JID is not in the capture. */
    private final ClaimedClient claimed = new ClaimedClient();
    /** The receiving server said it does not serve the domain asked for (host-unknown, host-gone). */
    private boolean domainRefused;
    private String sessionId;
    private boolean tlsAnnounced;
    private boolean passthroughTls;
    /** xmppscope intercepted this stream's TLS: a certificate the server judged was xmppscope's, not the client's own. */
    private boolean intercepted;
    /** A server ended this stream because it is shutting down (system-shutdown): a clean end. */
    private boolean shutDown;
    /** The capture began after this connection opened: its ends are learned from its stanzas' addresses. */
    private boolean joinedMidStream;
    /** How the kind was told when no stream header said it (TLS not decrypted, a capture begun mid-stream), or null. */
    private String kindInferred;
    /** The step that says what TLS's cleartext made of the connection ({@link #inferFromTls}), or -1. */
    private int inferenceStep = -1;
    /** How ends no stream header named were named by their addresses ({@link #namedByAddress}), or null. */
    private String namedBy;
    /** The step that says so, or -1. */
    private int namedStep = -1;
    /** What the client's TLS ClientHello asked for, or null. */
    private ClientHello clientHello;
    /** Steps that named the parties before the first header said who they are (Direct TLS), with their event, by index. */
    private final Map<Integer, ConnectionEvent> namedBeforeHeader = new LinkedHashMap<>();
    private final StreamManagementSteps sm;
    private final SaslSteps sasl;
    private final DialbackSteps dialback;
    private final GapSteps gaps = new GapSteps(this);

    public Negotiation(long connection) {
        this(connection, new HashMap<>(), new DialbackStreams());
    }

    /**
     * @param resumableSessions shared by the negotiations of one capture: a stream that resumes a
     *                          session (XEP-0198) binds nothing, and learns its client's JID here
     * @param dialbackStreams   shared too: a dialback check names the stream it checks, often on another connection
     */
    public Negotiation(long connection, Map<String, ResumableSession> resumableSessions, DialbackStreams dialbackStreams) {
        this.connection = connection;
        this.dialback = new DialbackSteps(this, dialbackStreams);
        this.sm = new StreamManagementSteps(this, resumableSessions);
        this.sasl = new SaslSteps(this, sm);
    }

    /** A stream header (the first, a restart, or the first inside a new TLS layer). */
    public List<NegotiationStep> header(Direction d, StreamHeader h, long at, String ref) {
        begin();
        String id = h.attribute("id");
        if (d == Direction.TO_SERVER) {
            if (initiatorHeaders++ == 0) {
                kind = kindOf(h.contentNamespace());
                kindInferred = null;
                streamFrom = h.attribute("from");
                streamTo = h.attribute("to");
                add(d, at, "header", who(d) + (kind.equals("s2s") ? " opens an " : " opens a ") + kind + " stream to " + StepText.or(streamTo, "(no 'to')"),
                        StepText.attrs(h, "from", "to", "version", "xml:lang"), "info", ref);
                if (!kind.equals("c2s")) {
                    renameEarlySteps();
                }
                namedBeforeHeader.clear();
                if (inferenceStep >= 0 && clientHello != null) {
                    // a header says what the stream is: the guess gives way to what the ClientHello asked for
                    replace(inferenceStep, "tls", who(Direction.TO_SERVER) + "'s TLS ClientHello " + asksFor(clientHello), "");
                }
            } else {
                add(d, at, "restart", who(d) + " restarts the stream" + restartCause(), StepText.attrs(h, "from", "to", "version"), "info", ref);
            }
        } else {
            if ("s2s".equals(kind)) {
                dialback.answered(streamTo, id);
            }
            String title = responderHeaders++ == 0 ? who(d) + " answers with stream id " + StepText.or(id, "(none)")
                    : who(d) + " answers the restarted stream, new stream id " + StepText.or(id, "(none)");
            add(d, at, "header", title, StepText.attrs(h, "from", "to", "version", "id"), "ok", ref);
        }
        return end();
    }

    /**
     * The capture began after this connection opened (a pcap started mid-session): its headers and
     * negotiation are not in it. The connection is taken as established, of the kind its stream
     * namespace ({@code contentNamespace}, assumed from the server's port) makes it, and its ends
     * are learned from its stanzas' addresses.
     */
    public List<NegotiationStep> joinedMidStream(String contentNamespace, long at, String detail) {
        begin();
        joinedMidStream = true;
        kind = kindOf(contentNamespace);
        kindInferred = "the capture began after the connection opened, with no stream header: taken from the server's port";
        state = "established";
        add(Direction.TO_SERVER, at, "gap", "The capture began after this connection opened: its negotiation is not in it,"
                + " and it is read as " + (kind.equals("s2s") ? "an s2s" : "a " + kind) + " stream from its first whole stanza",
                detail, "info", null);
        return end();
    }

    /**
     * What can be read of a connection's TLS in the clear says what it is, until a stream header
     * (inside TLS intercepted) says it: its ClientHello ({@code hello}, null when none was read,
     * as from a capture recorded before ClientHellos were) and the server's port
     * ({@link TlsKindInference}). A later, better inference replaces the step of an earlier one.
     */
    public List<NegotiationStep> inferFromTls(ClientHello hello, int serverPort, long at) {
        begin();
        if (hello != null) {
            clientHello = hello;
        }
        TlsKindInference guess = initiatorHeaders > 0 ? null : TlsKindInference.of(hello, serverPort);
        if (guess != null && joinedMidStream) {
            // the kind was taken from the port already: the SNI names the server it went to
            if (streamTo == null && kind.equals(guess.kind())) {
                streamTo = guess.domain();
            }
        } else if (guess != null) {
            kind = guess.kind();
            streamTo = guess.domain();
            kindInferred = guess.reason();
            if (kind.equals("s2s")) {
                renameEarlySteps(); // "The initiating server starts with TLS directly", not "Client"
            }
            String title = "Read as " + (kind.equals("s2s") ? "an s2s" : "a c2s") + " stream" + (streamTo == null ? ""
                    : " to " + streamTo) + ": " + guess.reason();
            String detail = "inferred from what TLS shows in the clear: no stream header was seen (yet)";
            if (inferenceStep < 0) {
                inferenceStep = steps.size();
                add(Direction.TO_SERVER, at, "tls-inferred", title, detail, "info", null);
            } else {
                replace(inferenceStep, "tls-inferred", title, detail);
            }
        }
        if (hello != null && (guess == null || joinedMidStream)) {
            add(Direction.TO_SERVER, at, "tls", who(Direction.TO_SERVER) + "'s TLS ClientHello " + asksFor(hello), "", "info", null);
        }
        return end();
    }

    /**
     * Whether who is at this stream's ends is out of sight: inside TLS not decrypted, with no stream
     * header seen and no name yet for its server (or, between servers, for either server).
     */
    public boolean endsOutOfSight() {
        boolean unnamed = streamTo == null || "s2s".equals(kind) && streamFrom == null;
        boolean drawn = "c2s".equals(kind) || "s2s".equals(kind);
        return drawn && unnamed && passthroughTls && initiatorHeaders == 0 && identity == null;
    }

    /**
     * Names the ends of a stream whose own words are out of sight ({@link #endsOutOfSight}) by
     * where the rest of the capture shows their domains served: {@code from} the initiating
     * server, {@code to} the receiving one (either null when not named). {@code how} says so, in
     * the kind's inference too.
     */
    public List<NegotiationStep> namedByAddress(String from, String to, String how, long at) {
        begin();
        streamFrom = streamFrom == null ? from : streamFrom;
        streamTo = streamTo == null ? to : streamTo;
        namedBy = how;
        String title = "Named by where the capture shows their domains served: " + (kind.equals("s2s")
                ? StepText.or(streamFrom, "an unnamed server") + " → " + StepText.or(streamTo, "an unnamed server")
                : "a client of " + streamTo);
        if (namedStep < 0) {
            namedStep = steps.size();
            add(Direction.TO_SERVER, at, "tls-inferred", title, how, "info", null);
        } else {
            replace(namedStep, "tls-inferred", title, how);
        }
        return end();
    }

    /** Says step {@code index} anew (published again as changed, as {@link #renameEarlySteps} does). */
    void replace(int index, String step, String title, String detail) {
        NegotiationStep s = steps.get(index);
        NegotiationStep now = new NegotiationStep(s.connection(), s.index(), s.at(), s.direction(), step, title, detail, s.status(),
                s.stanzaRef());
        steps.set(index, now);
        added.add(now);
    }

    private static String asksFor(ClientHello hello) {
        String name = hello.serverName() == null ? "" : "asks for " + hello.serverName() + " (SNI)";
        String offer = hello.protocols().isEmpty() ? "" : "offers " + String.join(", ", hello.protocols()) + " (ALPN)";
        return name.isEmpty() && offer.isEmpty() ? "names no server (SNI) and offers no protocol (ALPN)"
                : name.isEmpty() || offer.isEmpty() ? name + offer : name + " and " + offer;
    }

    /**
     * The first features offer resource binding, with no authentication before them: the stream
     * was authenticated before the capture began, which starts at the restart after SASL (a pcap
     * begun there). Its first header is that restart, not the connection's opening.
     */
    private void joinedAfterAuthentication(long at) {
        NegotiationStep header = steps.stream().filter(s -> s.step().equals("header")).findFirst().orElse(null);
        if (header != null) {
            replace(header.index(), "restart", who(Direction.TO_SERVER) + " restarts its stream to " + StepText.or(streamTo,
                    "(no 'to')") + ", already authenticated", header.detail());
        }
        add(Direction.TO_CLIENT, at, "gap", "The capture began at the stream's restart after authentication: the connection's"
                + " opening, its TLS and its login are not in it", "the server offers resource binding, which it does only once a"
                + " stream is authenticated, and no authentication came before", "info", null);
    }

    /** A top-level element; only those that take part in negotiation add steps (stanzas count for stream management). */
    public List<NegotiationStep> element(Direction d, XmlElement e, long at, String ref) {
        begin();
        String ns = e.namespace();
        if (Ns.isStanzaNamespace(ns) && (e.name().equals("message") || e.name().equals("presence") || e.name().equals("iq"))) {
            sm.stanza(d, ref);
            if (d == Direction.TO_SERVER && kind.equals("c2s")) {
                claimed.sent(e.attribute("from"));
            }
            if (joinedMidStream) {
                learnEnds(d, e.attribute("from"), e.attribute("to"));
            }
        }
        if (Ns.STREAMS.equals(ns) && e.name().equals("features")) {
            features(d, e, at, ref);
        } else if (Ns.STREAMS.equals(ns) && e.name().equals("error")) {
            streamError(d, e, at, ref);
        } else if (Ns.TLS.equals(ns)) {
            tls(d, e, at, ref);
        } else if (Ns.SASL.equals(ns) || Ns.SASL2.equals(ns)) {
            sasl.element(d, e, at, ref);
        } else if (Ns.isSm(ns)) {
            sm.element(d, e, at, ref);
        } else if (Ns.CSI.equals(ns)) {
            add(d, at, "csi", who(d) + " says it is " + e.name() + " (client state indication)", "", "info", ref);
        } else if (Ns.DIALBACK.equals(ns)) {
            dialback.element(d, e, at, ref);
        } else if (Ns.BIDI.equals(ns) && e.name().equals("bidi")) {
            add(d, at, "bidi", who(d) + " asks to use this stream both ways: " + party(Direction.TO_CLIENT)
                    + " may send its stanzas back on it (XEP-0288)", "", "info", ref);
        } else if (e.name().equals("iq") && Ns.isStanzaNamespace(ns)) {
            iq(d, e, at, ref);
        } else if (e.name().equals("handshake") && Ns.COMPONENT.equals(ns)) {
            if (d == Direction.TO_SERVER) {
                add(d, at, "handshake", "Component authenticates with a secret handshake (XEP-0114)", "", "info", ref);
            } else {
                bound(streamTo);
                add(d, at, "handshake", "Server accepts the component " + StepText.or(streamTo, ""), "", "ok", ref);
            }
        }
        return end();
    }

    /**
     * What a stanza's addresses say about a connection joined mid-stream: a server addresses its
     * client's stanzas to the full JID it bound; an s2s stream carries its two domains in every one.
     */
    private void learnEnds(Direction d, String from, String to) {
        if (kind.equals("c2s") && identity == null && d == Direction.TO_CLIENT && to != null) {
            Jid client = Jid.parse(to);
            if (client.isValid() && client.hasResource()) {
                identity = to;
                streamTo = client.domain();
            }
        } else if (kind.equals("s2s") && identity == null && from != null && to != null) {
            String sender = Jid.parse(from).domain();
            String receiver = Jid.parse(to).domain();
            streamFrom = d == Direction.TO_SERVER ? sender : receiver;
            streamTo = d == Direction.TO_SERVER ? receiver : sender;
            identity = streamFrom + "→" + streamTo;
        }
    }

    /** {@code </stream:stream>} from one side. */
    public List<NegotiationStep> streamClosed(Direction d, long at, String ref) {
        begin();
        if (close.first == null) {
            close.first = d;
            close.firstAt = at;
            add(d, at, "close", who(d) + " closes the stream", "", "info", ref);
        } else if (close.first != d && !close.answered) {
            close.answered = true;
            add(d, at, "close", who(d) + " answers the close after " + Durations.words(at - close.firstAt), "", "ok", ref);
        }
        return end();
    }

    /** The stream in direction {@code d} became unparseable. */
    public List<NegotiationStep> parseFailed(Direction d, String message, long at) {
        begin();
        add(d, at, "parse-error", fail(who(d) + "'s stream is " + message), "", "failed", null);
        return end();
    }

    /** The first bytes of a passthrough (undecrypted) TLS layer. */
    public List<NegotiationStep> encrypted(Direction d, long at) {
        begin();
        passthroughTls = true;
        if ("negotiating".equals(state) || joinedMidStream) {
            // whatever it negotiates next is out of sight: not "negotiating" for its whole life, and a stream a
            // capture joined inside TLS was not seen established either
            state = "encrypted";
        }
        if (!tlsAnnounced) {
            tlsAnnounced = true;
            add(d, at, "tls", "TLS passthrough: the rest of the connection is encrypted and not visible",
                    "not decrypted: only its byte counts are recorded (record with --tls intercept to see inside)", "info", null);
        }
        return end();
    }

    /** Something the proxy saw besides bytes (TLS, half-close, stripped mechanisms). */
    public List<NegotiationStep> event(ConnectionEvent e) {
        begin();
        Direction d = e.direction() == null ? Direction.TO_SERVER : e.direction();
        switch (e.kind()) {
            case DIRECT_TLS_DETECTED -> addNamed(e, "tls", e.detail(), "info");
            case TLS_ESTABLISHED -> {
                tlsAnnounced = true;
                intercepted = true; // passed-through TLS has no handshake of the proxy's to record
                addNamed(e, "tls", e.detail(), "ok");
            }
            case CLIENT_CERTIFICATE_WITHHELD -> clientCertificateWithheld(e);
            case TLS_FAILED -> {
                fail(eventTitle(e));
                addNamed(e, "tls", "", "failed"); // its title says why, in the proxy's words
            }
            case TLS_CLOSE_NOTIFY -> {
                close.notifyFrom(e.direction());
                addNamed(e, "tls-close", "", "info");
            }
            case HALF_CLOSED -> close.halfClosed(e.direction());
            case PLUS_MECHANISMS_STRIPPED -> add(d, e.atNanos(), "sasl-mechanisms",
                    "xmppscope removed channel-binding mechanisms from the offer (they cannot work through an intercepting proxy)",
                    e.detail(), "info", null);
            case HELD_FEATURES_RELAYED -> add(d, e.atNanos(), "sasl-mechanisms",
                    "The server's side ended inside its features; xmppscope relayed the bytes it held unchanged",
                    e.detail(), "info", null);
            case RECORDING_GAP -> gaps.gap(d, e);
            default -> {
                // STARTTLS_PROCEED duplicates the <proceed/> element; SECRET_REDACTED is no negotiation step
            }
        }
        return end();
    }

    /**
     * The client presented a certificate of its own, which the intercepting proxy cannot pass on.
     * A server does so on every s2s stream (it matters only if the receiving server judges it: SASL
     * EXTERNAL, s2s_secure_auth); a client does so to log in with it, which cannot work here.
     */
    private void clientCertificateWithheld(ConnectionEvent e) {
        if ("s2s".equals(kind) && initiatorHeaders > 0) {
            add(Direction.TO_SERVER, e.atNanos(), "tls", who(Direction.TO_SERVER) + " presented its own certificate, which xmppscope"
                    + " cannot pass on: " + party(Direction.TO_CLIENT) + " was shown xmppscope's for "
                    + StepText.or(streamFrom, "it") + " instead", e.detail(), "info", null);
            return;
        }
        if (!"c2s".equals(kind)) { // Direct TLS: no header yet says whose stream this is; named once one does
            addNamed(e, "tls", e.detail(), "info");
            return;
        }
        String what = "Client presented a certificate, which xmppscope cannot pass on: the server was shown none, so a login"
                + " with it (SASL EXTERNAL) cannot succeed through an intercepting proxy";
        warn(what);
        add(Direction.TO_SERVER, e.atNanos(), "tls", what, e.detail(), "warning", null);
    }

    /**
     * A step that names the parties of a proxy event. Before the first stream header (Direct TLS
     * comes first) they are not known yet: "Client" and "Server" then, renamed once the header
     * says the stream is between servers ({@link #renameEarlySteps}).
     */
    private void addNamed(ConnectionEvent e, String step, String detail, String status) {
        if (initiatorHeaders == 0) {
            namedBeforeHeader.put(steps.size(), e);
        }
        add(e.direction() == null ? Direction.TO_SERVER : e.direction(), e.atNanos(), step, eventTitle(e), detail, status, null);
    }

    private String eventTitle(ConnectionEvent e) {
        Direction d = e.direction() == null ? Direction.TO_SERVER : e.direction();
        // TLS_ESTABLISHED/FAILED name the proxy's session: toServer is the one with the upstream, which answers the stream
        String side = e.direction() == null ? "" : " with " + party(e.direction() == Direction.TO_SERVER ? Direction.TO_CLIENT : Direction.TO_SERVER);
        return switch (e.kind()) {
            case DIRECT_TLS_DETECTED -> who(d) + " starts with TLS directly (XEP-0368)";
            case TLS_ESTABLISHED -> "TLS established" + side;
            case TLS_FAILED -> "TLS handshake failed" + side + ": " + e.detail();
            case CLIENT_CERTIFICATE_WITHHELD -> who(d) + " presented a certificate of its own, which xmppscope cannot pass on";
            default -> who(d) + " ends TLS with close_notify";
        };
    }

    /** The first header said who the parties are: the steps before it that named them generically say it too. */
    private void renameEarlySteps() {
        namedBeforeHeader.forEach((index, e) -> replace(index, steps.get(index).step(), eventTitle(e), steps.get(index).detail()));
    }

    /**
     * The TCP connection ended with these IQ requests sent on it never answered ({@code refs},
     * oldest first): RFC 6120 wants an answer to every get and set, and a request left without one
     * is a client or server that ignored it, or a connection that went before it could come.
     */
    public List<NegotiationStep> unansweredIqs(List<String> refs, long at) {
        begin();
        if (!refs.isEmpty()) {
            String title = (refs.size() == 1 ? "1 IQ request on this stream was" : refs.size() + " IQ requests on this stream were")
                    + " never answered";
            warn(title);
            add(Direction.TO_SERVER, at, "iq-unanswered", title, "the first is " + refs.get(0), "warning", refs.get(0));
        }
        return end();
    }

    /**
     * The TCP connection ended: the closing step says how, where negotiation stalled if it did, and
     * how long nothing crossed it before if that was long ({@code lastTrafficAt}: when its last bytes
     * were relayed, either way; {@code Long.MIN_VALUE} for none).
     */
    public List<NegotiationStep> connectionClosed(ConnectionClosed c, long openedAt, long lastTrafficAt) {
        begin();
        // not a stall: the rest went on inside TLS passed through (out of sight), the client
        // ended the stream itself before authenticating (it registered an account, or gave up), or
        // the server shut down (system-shutdown)
        boolean endedUnseen = passthroughTls || close.first == Direction.TO_SERVER || shutDown;
        if ("negotiating".equals(state) && error == null && !endedUnseen) {
            NegotiationStep last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
            if (last == null && c.reason() == CloseReason.UPSTREAM_UNREACHABLE) {
                // the proxy reads nothing from a client before its upstream answers: the client may well have sent a header
                fail(c.detail() == null || c.detail().isEmpty() ? "the upstream could not be reached" : c.detail());
            } else {
                fail("negotiation never completed: " + (last == null ? "no stream header was sent"
                        : "it stalled after \"" + last.title() + "\"" + waitingFor()));
            }
        }
        sm.connectionEnded(c.atNanos(), close.first != null && close.answered, c.reason() == CloseReason.UNKNOWN);
        // mid-sentence, a server not named by its domain is "the receiving server"; a c2s stream's "Client" and "Server" are names
        boolean s2s = "s2s".equals(kind);
        String how = close.describe(c, s2s ? party(Direction.TO_SERVER) : who(Direction.TO_SERVER),
                s2s ? party(Direction.TO_CLIENT) : who(Direction.TO_CLIENT), Durations.words(c.atNanos() - openedAt), passthroughTls);
        if ("negotiating".equals(state) && error == null && !passthroughTls) {
            how += "; " + party(Direction.TO_SERVER) + " ended it before authenticating";
        }
        long silent = lastTrafficAt == Long.MIN_VALUE ? 0 : c.atNanos() - lastTrafficAt;
        if (silent >= SILENCE_SAID_NANOS) {
            how += "; nothing crossed it in its last " + Durations.words(silent) + " (an idle timeout?)";
        }
        String status = error == null ? "ok" : "failed";
        Direction closer = c.reason() == CloseReason.CLIENT_CLOSED ? Direction.TO_SERVER : Direction.TO_CLIENT;
        // a server closes its streams before TCP: one that did not crashed or was killed, and what was in flight may be
        // lost (a client that vanishes is no news: its server keeps the session for it to resume, XEP-0198)
        if (error == null && close.closedWithStreamOpen(c, passthroughTls)
                && ("s2s".equals(kind) || closer == Direction.TO_CLIENT)) {
            warn(who(closer) + " closed TCP without closing its stream first (crashed, killed or cut off?)");
            status = "warning";
        }
        add(Direction.TO_SERVER, c.atNanos(), "close", how, c.detail(), status, null);
        state = error == null ? "closed" : "error";
        return end();
    }

    private void streamError(Direction d, XmlElement e, long at, String ref) {
        String condition = StepText.condition(e, Ns.STREAM_ERRORS);
        String text = e.childText("text", Ns.STREAM_ERRORS);
        String detail = text == null ? condition : condition + ": " + text;
        // the peer's own words say what the condition alone cannot: which certificate, which limit, which domain
        String said = text == null || text.isBlank() ? "" : ": \"" + text.strip() + "\"";
        if (condition.equals("system-shutdown")) {
            // a server stopped on purpose (SIGTERM, a restart) ends its streams so: their end, not their failure
            shutDown = true;
            add(d, at, "stream-error", who(d) + " is shutting down and ends the stream (system-shutdown)" + said, detail, "info", ref);
            return;
        }
        // a redirect names where to go (RFC 6120 §4.9.3.19): what the client does next depends on it
        String otherHost = condition.equals("see-other-host") ? e.childText("see-other-host", Ns.STREAM_ERRORS) : null;
        domainRefused |= d == Direction.TO_CLIENT && (condition.equals("host-unknown") || condition.equals("host-gone"));
        String what = fail(who(d) + " ends the stream with error " + Conditions.stream(condition)
                + (otherHost == null || otherHost.isBlank() ? said : ": " + otherHost.strip())
                + StandInCertificate.refusal(this, d, text, false));
        add(d, at, "stream-error", what, detail, "failed", ref);
    }

    private void features(Direction d, XmlElement e, long at, String ref) {
        // the first features of the capture offering binding: the stream was authenticated before it began
        boolean authenticatedBefore = d == Direction.TO_CLIENT && responderHeaders == 1 && e.child("bind", Ns.BIND) != null
                && steps.stream().noneMatch(s -> s.step().equals("features") || s.step().equals("sasl-success"));
        // the offered SASL mechanisms are in this title: a step of their own said them twice
        add(d, at, "features", who(d) + " offers " + Features.describe(e), "", "info", ref);
        if (authenticatedBefore) {
            joinedAfterAuthentication(at);
        }
        if ("s2s".equals(kind) && e.children().isEmpty() && identity != null) {
            established();
        }
    }

    private void tls(Direction d, XmlElement e, long at, String ref) {
        switch (e.name()) {
            case "starttls" -> {
                lastAuthRequest = "starttls";
                add(d, at, "starttls", who(d) + " asks to start TLS", "", "info", ref);
            }
            case "proceed" -> {
                lastAuthRequest = null;
                add(d, at, "proceed", who(d) + " agrees: TLS starts now", "", "ok", ref);
            }
            default -> {
                add(d, at, "starttls-failure", fail(who(d) + " refuses STARTTLS"), "", "failed", ref);
            }
        }
    }

    /** SM ids are the server's: scoped by its domain. */
    String sessionKey(String id) {
        return StepText.or(streamTo, "?") + " " + id;
    }

    private void iq(Direction d, XmlElement e, long at, String ref) {
        String type = e.attribute("type");
        String id = e.attribute("id");
        XmlElement bind = e.child("bind", Ns.BIND);
        if ("set".equals(type) && bind != null) {
            bindId = id;
            String res = bind.childText("resource", Ns.BIND);
            requestedResource = res == null || res.isBlank() ? null : res.strip();
            add(d, at, "bind", who(d) + " asks to bind " + (res == null ? "a server-chosen resource" : "resource '" + res + "'"),
                    "", "info", ref);
        } else if ("result".equals(type) && bind != null && bind.childText("jid", Ns.BIND) != null) {
            String jid = bind.childText("jid", Ns.BIND).trim();
            bound(jid);
            Jid parsed = Jid.parse(jid);
            // a server may replace the resource asked for (RFC 6120 §7.7.2.2: not allowed, or in use)
            String replaced = requestedResource != null && !requestedResource.equals(parsed.resource())
                    ? "the server chose another resource than the '" + requestedResource + "' asked for" : "";
            String flags = parsed.flags();
            add(d, at, "bind", "Bound to " + jid, replaced.isEmpty() || flags.isEmpty() ? replaced + flags : replaced + "; " + flags,
                    "ok", ref);
        } else if ("error".equals(type) && id != null && id.equals(bindId)) {
            String what = fail("Resource binding failed: " + StepText.condition(e.child("error", e.namespace()) == null ? e
                    : e.child("error", e.namespace()), Ns.STANZA_ERRORS));
            add(d, at, "bind", what, "", "failed", ref);
        } else if (e.child("query", Ns.REGISTER) != null || (id != null && id.equals(registerId))) {
            register(d, type, id, e.child("query", Ns.REGISTER), e, at, ref);
        } else if ("set".equals(type) && e.child("session", Ns.SESSION) != null) {
            sessionId = id;
            add(d, at, "session", who(d) + " asks to establish a session (legacy RFC 3921)", "", "info", ref);
        } else if (id != null && id.equals(sessionId) && ("result".equals(type) || "error".equals(type))) {
            add(d, at, "session", "Session " + ("result".equals(type) ? "established" : "refused"), "",
                    "result".equals(type) ? "ok" : "failed", ref);
        }
    }

    /** In-band registration (XEP-0077): a new account, a password change or a cancellation, and the server's answer. */
    private void register(Direction d, String type, String id, XmlElement query, XmlElement iq, long at, String ref) {
        if ("get".equals(type)) {
            add(d, at, "register", who(d) + " asks for the registration form (in-band registration, XEP-0077)", "", "info", ref);
        } else if ("set".equals(type) && query != null) {
            registerId = id;
            String user = query.childText("username", Ns.REGISTER);
            String title = query.child("remove", Ns.REGISTER) != null ? who(d) + " cancels its account"
                    : "established".equals(state) ? who(d) + " changes its password"
                    : who(d) + " registers an account" + (user == null ? "" : " '" + user.strip() + "'");
            add(d, at, "register", title + " (in-band registration, XEP-0077)", "", "info", ref);
        } else if ("result".equals(type) && query != null && id != null && !id.equals(registerId)) {
            add(d, at, "register", who(d) + " sends the registration form", "", "info", ref);
        } else if ("result".equals(type)) {
            registerId = null;
            add(d, at, "register", who(d) + " accepts the registration request", "", "ok", ref);
        } else if ("error".equals(type)) {
            registerId = null;
            XmlElement err = iq.child("error", iq.namespace());
            String condition = StepText.condition(err == null ? iq : err, Ns.STANZA_ERRORS);
            // XEP-0077 §3.1: what a conflict means here
            add(d, at, "register", who(d) + " refuses the registration request: " + (condition.equals("conflict")
                    ? "conflict (that username is taken)" : Conditions.stanza(condition)), "", "failed", ref);
        }
    }

    private String restartCause() {
        return steps.stream().anyMatch(s -> s.step().equals("sasl-success")) ? " after SASL success"
                : steps.stream().anyMatch(s -> s.step().equals("proceed") || s.step().equals("tls")) ? " inside TLS" : "";
    }

    private String waitingFor() {
        if ("starttls".equals(lastAuthRequest)) {
            return " (no <proceed/> came back)";
        }
        if ("sasl".equals(lastAuthRequest)) {
            return " (the server never answered the authentication)";
        }
        return "";
    }

    void established() {
        if ("negotiating".equals(state)) {
            state = "established";
        }
    }

    /**
     * Something went wrong: the connection's error is the first such (what follows, the other
     * side's answering stream error, a close, is mostly its consequence, and must not hide its
     * cause). Returns {@code message}, for the step that says it.
     */
    String fail(String message) {
        if (error == null) {
            error = message;
        }
        return message;
    }

    /** An earlier failed attempt on this stream was retried successfully: it is no longer the connection's error. */
    void retried() {
        error = null;
    }

    /** What the initiator waits for an answer to ({@code "starttls"}, {@code "sasl"}), or null: said if the stream stalls there. */
    void awaiting(String request) {
        lastAuthRequest = request;
    }

    /** Whether xmppscope intercepted this stream's TLS (then it presents its own certificates on both sides). */
    boolean intercepted() {
        return intercepted;
    }

    /** Whether TLS was established (or passed through) on this connection so far. */
    boolean tlsSeen() {
        return tlsAnnounced;
    }

    /** The stream is authenticated as {@code who}: a client's full JID, "initiator→receiver" for s2s. */
    void bound(String who) {
        identity = who;
        established();
    }

    /** A resumed session's JID, when this stream bound none of its own. */
    void adoptIdentity(String jid) {
        if (identity == null) {
            identity = jid;
        }
    }

    long connection() {
        return connection;
    }

    /** Adds to what may have gone wrong on this connection ({@link #warning}). */
    void warn(String message) {
        warning = warning == null ? message : warning + "; " + message;
    }

    /** The sender of {@code d} within a sentence: "the server", or an s2s stream's domain ("b.example"). */
    String party(Direction d) {
        String who = who(d);
        if ("s2s".equals(kind)) {
            return who.startsWith("The ") ? "the " + who.substring(4) : who;
        }
        return "the " + who.toLowerCase(Locale.ROOT);
    }

    String who(Direction d) {
        return switch (kind) {
            case "s2s" -> d == Direction.TO_SERVER ? StepText.or(streamFrom, "The initiating server") : StepText.or(streamTo, "The receiving server");
            case "component" -> d == Direction.TO_SERVER ? "Component" : "Server";
            default -> d == Direction.TO_SERVER ? "Client" : "Server";
        };
    }

    private static String kindOf(String contentNamespace) {
        return switch (contentNamespace) {
            case Ns.CLIENT -> "c2s";
            case Ns.SERVER -> "s2s";
            case Ns.COMPONENT -> "component";
            default -> "unknown";
        };
    }

    private void begin() {
        added = new ArrayList<>(2);
    }

    private List<NegotiationStep> end() {
        return added;
    }

    void add(Direction d, long at, String step, String title, String detail, String status, String ref) {
        NegotiationStep s = new NegotiationStep(connection, steps.size(), at, d.wireName(), step, title, detail, status, ref);
        steps.add(s);
        added.add(s);
    }

    /** How many steps there are so far: the index the next one gets. */
    int stepCount() {
        return steps.size();
    }

    public List<NegotiationStep> steps() {
        return List.copyOf(steps);
    }

    /** {@code c2s}, {@code s2s}, {@code component} or {@code unknown}. */
    public String kind() {
        return kind;
    }

    /** How {@link #kind} was inferred where no stream header said it, a phrase; null when a header said it. */
    public String kindInferred() {
        return kindInferred == null || namedBy == null ? kindInferred : kindInferred + "; " + namedBy;
    }

    public String streamFrom() {
        return streamFrom;
    }

    public String streamTo() {
        return streamTo;
    }

    /** The bound full JID (c2s), "initiator→receiver" (s2s, once authenticated), the component's domain, or null. */
    public String identity() {
        return identity;
    }

    /**
     * A c2s client's JID as its own words give it (a stanza's {@code from}, its login and the
     * resource it asked for) while no bound JID is known, or null: what names a client the capture
     * never shows bound (one direction captured, or a capture that ends before the answer).
     */
    public String claimedJid() {
        return identity != null || !kind.equals("c2s") ? null : claimed.jid(streamTo, requestedResource);
    }

    /** A SASL login the client sent, with its mechanism and initial response. */
    void loginSent(String mechanism, String initialResponse) {
        if (kind.equals("c2s")) {
            claimed.login(mechanism, initialResponse);
        }
    }

    /** {@code negotiating}, {@code established}, {@code closed} or {@code error}. */
    public String state() {
        return state;
    }

    public String error() {
        return error;
    }

    /** What may have gone wrong (credentials without TLS, stanzas never acknowledged, IQs never answered), or null. */
    public String warning() {
        return warning;
    }

    /** Whether the receiving server refused the domain the stream asked for (host-unknown, host-gone). */
    public boolean domainRefused() {
        return domainRefused;
    }

    public boolean passthroughTls() {
        return passthroughTls;
    }
}
