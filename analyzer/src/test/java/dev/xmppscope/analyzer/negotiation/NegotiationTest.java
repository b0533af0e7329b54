package dev.xmppscope.analyzer.negotiation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.stream.StreamEvent;
import dev.xmppscope.analyzer.stream.StreamParser;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conversations in, steps out: each test reads like the exchange it describes. */
class NegotiationTest {
    private final Negotiation n = new Negotiation(1);
    private final StreamParser client = new StreamParser();
    private final StreamParser server = new StreamParser();
    private final List<NegotiationStep> steps = new ArrayList<>();
    private long now;

    private NegotiationTest c(String xml) {
        return feed(Direction.TO_SERVER, client, xml);
    }

    private NegotiationTest s(String xml) {
        return feed(Direction.TO_CLIENT, server, xml);
    }

    private NegotiationTest feed(Direction d, StreamParser p, String xml) {
        now += 1_000_000;
        steps.addAll(stepsOf(n, d, p, xml, now, null));
        return this;
    }

    /** What {@code target} makes of {@code xml} arriving in direction {@code d} at {@code at}, its elements' ref {@code ref}. */
    private static List<NegotiationStep> stepsOf(Negotiation target, Direction d, StreamParser p, String xml, long at, String ref) {
        List<NegotiationStep> out = new ArrayList<>();
        for (StreamEvent e : p.feed(xml.getBytes(StandardCharsets.UTF_8), at)) {
            if (e instanceof StreamEvent.StreamOpened o) {
                out.addAll(target.header(d, o.header(), o.at(), ref));
            } else if (e instanceof StreamEvent.ElementParsed el) {
                out.addAll(target.element(d, el.element(), el.at(), ref));
            } else if (e instanceof StreamEvent.StreamClosed cl) {
                out.addAll(target.streamClosed(d, cl.at(), ref));
            }
        }
        return out;
    }

    private List<String> titles() {
        return steps.stream().map(s -> s.step() + ": " + s.title()).toList();
    }

    static final String CLIENT_HEADER = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
            + " to='a.example' version='1.0'>";
    static final String SERVER_HEADER = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
            + " from='a.example' id='s1' version='1.0'>";
    static final String MSG = "<message to='bob@b.example' type='chat'><body>hi</body></message>";

    /** The sessions that streams may resume, shared by the negotiations of one test. */
    private final Map<String, ResumableSession> sessions = new HashMap<>();

    @Test
    void starttlsThenTheTlsHandshakeThenARestartInsideTls() {
        c(CLIENT_HEADER).s(SERVER_HEADER + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"
                + "</starttls></stream:features>")
                .c("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").s("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        steps.addAll(n.event(new ConnectionEvent(1, 9, now + 1, Direction.TO_SERVER, EventKind.TLS_ESTABLISHED, "TLSv1.3 TLS_AES_256_GCM_SHA384")));
        StreamParser insideTls = new StreamParser();
        feed(Direction.TO_SERVER, insideTls, CLIENT_HEADER);
        assertEquals(List.of(
                "header: Client opens a c2s stream to a.example",
                "header: Server answers with stream id s1",
                "features: Server offers STARTTLS (required)",
                "starttls: Client asks to start TLS",
                "proceed: Server agrees: TLS starts now",
                "tls: TLS established with the server",
                "restart: Client restarts the stream inside TLS"), titles());
        assertEquals("TLSv1.3 TLS_AES_256_GCM_SHA384", steps.get(5).detail());
    }

    /** A failed handshake says why once, in its title: the detail repeated it word for word. */
    @Test
    void aFailedTlsHandshakeSaysWhyInItsTitleOnly() {
        c(CLIENT_HEADER).s(SERVER_HEADER + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>")
                .c("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").s("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        steps.addAll(n.event(new ConnectionEvent(1, 9, now + 1, Direction.TO_CLIENT, EventKind.TLS_FAILED,
                "TLS with client 127.0.0.1:40000 failed: certificate_unknown")));
        NegotiationStep failed = steps.get(steps.size() - 1);
        assertEquals("TLS handshake failed with the client: TLS with client 127.0.0.1:40000 failed: certificate_unknown",
                failed.title());
        assertEquals("", failed.detail());
        assertEquals("failed", failed.status());
    }

    @Test
    void bindSessionStreamManagementAndCsiAfterAuthentication() {
        c(CLIENT_HEADER).s(SERVER_HEADER)
                .c("<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>")
                .s("<iq type='result' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@a.example/x1</jid></bind></iq>")
                .c("<iq type='set' id='s'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>")
                .s("<iq type='result' id='s'/>")
                .c("<enable xmlns='urn:xmpp:sm:3' resume='true'/>")
                .s("<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='true' max='300'/>")
                .c("<presence/><message to='bob@b.example'/><iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>")
                .s("<iq type='result' id='p'/>")
                .c("<r xmlns='urn:xmpp:sm:3'/>").s("<a xmlns='urn:xmpp:sm:3' h='3'/>")
                .s("<r xmlns='urn:xmpp:sm:3'/>").c("<a xmlns='urn:xmpp:sm:3' h='1'/>")
                .c("<inactive xmlns='urn:xmpp:csi:0'/>");
        assertEquals(List.of(
                "header: Client opens a c2s stream to a.example",
                "header: Server answers with stream id s1",
                "bind: Client asks to bind a server-chosen resource",
                "bind: Bound to alice@a.example/x1",
                "session: Client asks to establish a session (legacy RFC 3921)",
                "session: Session established",
                "sm-enable: Client enables stream management (resumable)",
                "sm-enabled: Server enabled stream management (resumable)",
                "sm-ack: Client asks for an ack",
                "sm-ack: Server acks: 3 stanzas handled so far",
                "sm-ack: Server asks for an ack",
                "sm-ack: Client acks: 1 stanza handled so far",
                "csi: Client says it is inactive (client state indication)"), titles());
        assertEquals("id=sm-1 max=300", steps.get(7).detail());
        assertEquals("alice@a.example/x1", n.identity());
        assertEquals("established", n.state());
    }

    /** Between servers, "the server" and "the client" say nothing: the proxy's TLS sessions are named by domain. */
    @Test
    void anS2sStreamNamesTheServersItsTlsSessionsAreWith() {
        String s2s = "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns:db='jabber:server:dialback'";
        c(s2s + " from='a.example' to='b.example' version='1.0'>").s(s2s + " from='b.example' to='a.example' id='s1' version='1.0'>");
        steps.addAll(n.event(new ConnectionEvent(1, 9, now + 1, Direction.TO_SERVER, EventKind.TLS_ESTABLISHED, "TLSv1.3")));
        steps.addAll(n.event(new ConnectionEvent(1, 10, now + 2, Direction.TO_CLIENT, EventKind.TLS_ESTABLISHED, "TLSv1.3")));
        assertEquals(List.of(
                "header: a.example opens an s2s stream to b.example",
                "header: b.example answers with stream id s1",
                "tls: TLS established with b.example",
                "tls: TLS established with a.example"), titles());
    }

    /**
     * A certificate refused between servers, as Prosody refuses one its trusted CAs did not issue
     * for the domain: no password is involved, so the client's reading of not-authorized ("wrong
     * username or password") would mislead; the server's own words are said instead.
     */
    @Test
    void anS2sSaslExternalRefusalSaysTheServersWordsNotALoginsMeaning() {
        String s2s = "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns:db='jabber:server:dialback'";
        c(s2s + " from='a.example' to='b.example' version='1.0'>").s(s2s + " from='b.example' to='a.example' id='s1' version='1.0'>"
                + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism>"
                + "</mechanisms></stream:features>")
                .c("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>YS5leGFtcGxl</auth>")
                .s("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/><text>Your server&apos;s certificate is"
                        + " invalid, expired, or not trusted by b.example</text></failure>");
        String refused = "b.example refuses a.example (SASL EXTERNAL): not-authorized: \"Your server's certificate is invalid,"
                + " expired, or not trusted by b.example\"";
        assertEquals(List.of("header: a.example opens an s2s stream to b.example",
                "header: b.example answers with stream id s1",
                "features: b.example offers SASL (EXTERNAL)",
                "sasl-auth: a.example authenticates with SASL EXTERNAL (its certificate)",
                "sasl-failure: " + refused), titles());
        assertEquals(refused, n.error());
    }

    /**
     * A client's own words name it while the capture shows no bound JID: its PLAIN login at the
     * stream's domain and the resource it asks for, then, exactly, the 'from' of what it sends.
     */
    @Test
    void aClientWithNoBindResultIsNamedByItsLoginThenByTheFromOfWhatItSends() {
        c(CLIENT_HEADER).c("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlACoqKioqKg==</auth>");
        assertEquals("alice@a.example", n.claimedJid(), "\\0alice\\0****** (masked) at a.example");
        c("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>desk</resource></bind></iq>");
        assertEquals("alice@a.example/desk", n.claimedJid());
        c("<presence from='alice@a.example/desk-42'/>");
        assertEquals("alice@a.example/desk-42", n.claimedJid(), "what the server granted, as the client says it");
    }

    /**
     * The same refusal on a stream xmppscope intercepted: the certificate refused was the proxy's
     * stand-in for a.example, and the refusal says so and what to do, not only the step before it.
     */
    @Test
    void anInterceptedS2sSaslExternalRefusalSaysItWasXmppscopesCertificateAndWhatToDo() {
        String s2s = "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns:db='jabber:server:dialback'";
        steps.addAll(n.event(new ConnectionEvent(1, 9, now + 1, Direction.TO_SERVER, EventKind.TLS_ESTABLISHED, "TLSv1.3")));
        c(s2s + " from='a.example' to='b.example' version='1.0'>").s(s2s + " from='b.example' to='a.example' id='s1' version='1.0'>"
                + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism>"
                + "</mechanisms></stream:features>")
                .c("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>YS5leGFtcGxl</auth>")
                .s("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>");
        assertEquals("b.example refuses a.example (SASL EXTERNAL): not-authorized. The certificate b.example refused is"
                + " xmppscope's stand-in for a.example, from xmppscope's CA (a.example's own cannot pass an intercepting proxy):"
                + " make b.example trust that CA (xmppscope ca --export), let dialback authenticate instead (Prosody:"
                + " s2s_secure_auth = false), or relay this link with --tls passthrough", n.error());
    }

    /**
     * A header without 'to', as Prosody 0.12 answers it on its s2s port: the receiving server,
     * named by no domain, is "the receiving server" within a sentence, and its own words are said.
     */
    @Test
    void aServerNamedByNoDomainReadsAsOneWithinASentence() {
        String s2s = "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns:db='jabber:server:dialback'";
        c(s2s + " from='b.example' version='1.0'>").s(s2s + " version='1.0' xml:lang='en' to='b.example' from='' id='c83'>"
                + "<stream:error><undefined-condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text"
                + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'>No stream features to offer</text></stream:error></stream:stream>");
        steps.addAll(n.connectionClosed(new ConnectionClosed(1, 202_500_000L, CloseReason.SERVER_CLOSED, "", 200, 400), 0, now));
        assertEquals(List.of("header: b.example opens an s2s stream to (no 'to')",
                "header: The receiving server answers with stream id c83",
                "stream-error: The receiving server ends the stream with error undefined-condition (an error without a defined"
                        + " condition): \"No stream features to offer\"",
                "close: The receiving server closes the stream",
                "close: Connection ended after 202.5 ms: the receiving server closed the stream, b.example did not answer;"
                        + " the receiving server closed TCP"), titles());
    }

    /** Prosody's features after authentication, as a login shows them: each feature once, the SASL offer in the same step. */
    @Test
    void featuresAreSaidOnceEachWithTheVersionsOfStreamManagementOffered() {
        c(CLIENT_HEADER).s(SERVER_HEADER + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + "<mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>");
        s("<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
                + "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session>"
                + "<sm xmlns='urn:xmpp:sm:2'><optional/></sm><sm xmlns='urn:xmpp:sm:3'><optional/></sm>"
                + "<dialback xmlns='urn:xmpp:features:dialback'/><dialback xmlns='urn:xmpp:features:dialback'/>"
                + "<csi xmlns='urn:xmpp:csi:0'/></stream:features>");
        assertEquals(List.of(
                "header: Client opens a c2s stream to a.example",
                "header: Server answers with stream id s1",
                "features: Server offers SASL (SCRAM-SHA-1, PLAIN)",
                "features: Server offers resource binding, session (optional), stream management (v2, v3), dialback,"
                        + " client state indication"), titles());
    }

    /** Closing TCP with the stream still open is what ended it: said once, first. */
    @Test
    void aClientThatClosesTcpWithItsStreamOpenIsSaidToHaveEndedItOnce() {
        c(CLIENT_HEADER).s(SERVER_HEADER);
        steps.addAll(n.event(new ConnectionEvent(1, 9, now + 1, Direction.TO_SERVER, EventKind.TLS_CLOSE_NOTIFY, "")));
        steps.addAll(n.event(new ConnectionEvent(1, 10, now + 2, Direction.TO_CLIENT, EventKind.TLS_CLOSE_NOTIFY, "")));
        steps.addAll(n.connectionClosed(new ConnectionClosed(1, 4_600_000_000L, CloseReason.CLIENT_CLOSED, "client closed", 10, 10), 0, now));
        assertEquals("Connection ended after 4.6 s: Client closed TCP without closing the stream; TLS close_notify from both sides",
                steps.get(steps.size() - 1).title());
    }

    @Test
    void aStreamThatResumesASessionIsBoundToThatSessionsJid() {
        Negotiation first = new Negotiation(1, sessions, new DialbackStreams());
        talk(first, "c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                "s<iq type='result' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@a.example/x1</jid></bind></iq>",
                "s<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='true'/>");
        Negotiation resumed = new Negotiation(2, sessions, new DialbackStreams());
        List<NegotiationStep> steps2 = talk(resumed, "c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                "c<resume xmlns='urn:xmpp:sm:3' previd='sm-1' h='4'/>", "s<resumed xmlns='urn:xmpp:sm:3' previd='sm-1' h='7'/>");
        assertEquals("alice@a.example/x1", resumed.identity(), "a resumed stream binds nothing: the session says who it is");
        assertEquals("established", resumed.state());
        assertEquals("h=7, bound to alice@a.example/x1", steps2.get(steps2.size() - 1).detail());
        Negotiation unknown = new Negotiation(3, sessions, new DialbackStreams());
        talk(unknown, "c" + CLIENT_HEADER, "s" + SERVER_HEADER, "c<resume xmlns='urn:xmpp:sm:3' previd='sm-9' h='0'/>",
                "s<resumed xmlns='urn:xmpp:sm:3' previd='sm-9' h='0'/>");
        assertNull(unknown.identity(), "a session enabled before the capture began");
    }

    /**
     * Stream management counts what each side sent against the acks of the other (XEP-0198): an
     * ack says how many are still out, one that counts more than was sent fails, and at the end the
     * stanzas never acknowledged are named; a stream that resumes the session says what each side
     * must send again, and counts on from there.
     */
    @Test
    void streamManagementAccountsForEveryStanzaAcrossAResumption() {
        Negotiation first = new Negotiation(1, sessions, new DialbackStreams());
        List<NegotiationStep> steps1 = talk(first, resumableSession(
                "c" + MSG + MSG + MSG, "s" + MSG + MSG,
                "c<r xmlns='urn:xmpp:sm:3'/>", "s<a xmlns='urn:xmpp:sm:3' h='3'/>",
                "s<r xmlns='urn:xmpp:sm:3'/>", "c<a xmlns='urn:xmpp:sm:3' h='1'/>",
                "c" + MSG + MSG, "s<a xmlns='urn:xmpp:sm:3' h='9'/>"));
        steps1.addAll(first.connectionClosed(new ConnectionClosed(1, 9_000_000_000L, CloseReason.CLIENT_CLOSED, "", 0, 0), 0, 0));
        List<String> accounting = steps1.stream().filter(s -> s.step().startsWith("sm-ack") || s.step().equals("sm-unacked"))
                .map(s -> s.status() + " " + s.title() + " | " + s.detail()).toList();
        assertEquals(List.of(
                "info Client asks for an ack | ",
                "info Server acks: 3 stanzas handled so far | all 3 of the client's stanzas",
                "info Server asks for an ack | ",
                "info Client acks: 1 stanza handled so far | 1 of the server's 2 stanzas not acknowledged yet",
                "failed Server acks 9 stanzas, but the client sent only 5 | a count too high (XEP-0198: handled-count-too-high)",
                "warning The client never acknowledged the server's last 1 stanza (h=1 of 2)"
                        + " | they may be lost, unless a resumed session sends them again; the first is line-7"), accounting,
                "the count too high is no acknowledgement: the client's are all out, but the server said it had them");

        Negotiation resumed = new Negotiation(2, sessions, new DialbackStreams());
        List<NegotiationStep> steps2 = talk(resumed, "c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                "c<resume xmlns='urn:xmpp:sm:3' previd='sm-1' h='1'/>", "s<resumed xmlns='urn:xmpp:sm:3' previd='sm-1' h='3'/>",
                "c" + MSG + MSG, "s" + MSG, "s<a xmlns='urn:xmpp:sm:3' h='5'/>", "c<a xmlns='urn:xmpp:sm:3' h='2'/>");
        steps2.addAll(resumed.connectionClosed(new ConnectionClosed(2, 9_000_000_000L, CloseReason.CLIENT_CLOSED, "", 0, 0), 0, 0));
        assertEquals(List.of(
                "h=1; 1 of the 2 stanzas the server sent on connection 1: it sends the other 1 stanza again",
                "h=3, bound to alice@a.example/x1; 3 of the 5 stanzas the client sent on connection 1: it sends the other 2 stanzas again",
                "all 5 of the client's stanzas",
                "all 2 of the server's stanzas"),
                steps2.stream().filter(s -> s.step().startsWith("sm-")).map(NegotiationStep::detail).toList());
        assertEquals(List.of(), steps2.stream().filter(s -> s.status().equals("warning")).toList(), "everything was acknowledged");
        assertEquals("line-7", steps1.stream().filter(s -> s.step().equals("sm-unacked")).findFirst().orElseThrow().stanzaRef(),
                "the warning links to the first stanza never acknowledged");
        assertEquals("The client never acknowledged the server's last 1 stanza (h=1 of 2)", first.warning(), "the connection's warning");
        assertNull(resumed.warning());
    }

    /**
     * A connection whose capture ended before it did (the proxy was killed: closed UNKNOWN) lacks
     * its last stanzas and acks: neither its end nor the stream that resumes its session blames the
     * peers for that gap ("never acknowledged", "a count too high"), as they did.
     */
    @Test
    void streamManagementDoesNotBlameThePeersForACaptureCutShort() {
        Negotiation first = new Negotiation(1, sessions, new DialbackStreams());
        List<NegotiationStep> steps1 = talk(first, resumableSession(
                "c" + MSG + MSG, "s" + MSG));
        steps1.addAll(first.connectionClosed(new ConnectionClosed(1, 9_000_000_000L, CloseReason.UNKNOWN, "", 0, 0), 0, 0));
        assertEquals(List.of(), steps1.stream().filter(s -> s.step().equals("sm-unacked")).toList());
        assertNull(first.warning(), "unacknowledged, as far as the capture goes: no fault of the peers");

        Negotiation resumed = new Negotiation(2, sessions, new DialbackStreams());
        List<NegotiationStep> steps2 = talk(resumed, "c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                "c<resume xmlns='urn:xmpp:sm:3' previd='sm-1' h='3'/>", "s<resumed xmlns='urn:xmpp:sm:3' previd='sm-1' h='4'/>");
        assertEquals(List.of(
                "h=3; the 1 stanza the server sent on connection 1 as far as its capture goes (it ended before the connection"
                        + " did): the count cannot be checked",
                "h=4, bound to alice@a.example/x1; the 2 stanzas the client sent on connection 1 as far as its capture goes (it"
                        + " ended before the connection did): the count cannot be checked"),
                steps2.stream().filter(s -> s.step().startsWith("sm-")).map(NegotiationStep::detail).toList());
    }

    /**
     * SASL2 (XEP-0388) does in one round trip what took several: authenticating, binding the
     * resource (Bind2, XEP-0386), enabling stream management, handing out a FAST token
     * (XEP-0484); the stream goes on with no restart and no bind iq, and a later connection
     * resumes the session inside its authentication.
     */
    @Test
    void sasl2BindsEnablesStreamManagementAndResumesInOneRoundTrip() {
        Negotiation first = new Negotiation(1, sessions, new DialbackStreams());
        List<NegotiationStep> steps1 = talk(first, "c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                "c<authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-256'><initial-response>biwsbj1qdWxpZXQ=</initial-response>"
                        + "<user-agent id='d4565fa7'><software>AwesomeXMPP</software><device>Kiva's Phone</device></user-agent>"
                        + "<bind xmlns='urn:xmpp:bind:0'><tag>AwesomeXMPP</tag><enable xmlns='urn:xmpp:sm:3' resume='true'/>"
                        + "<enable xmlns='urn:xmpp:carbons:2'/></bind>"
                        + "<request-token xmlns='urn:xmpp:fast:0' mechanism='HT-SHA-256-NONE'/></authenticate>",
                "s<challenge xmlns='urn:xmpp:sasl:2'>cj1zZXJ2ZXI=</challenge>", "c<response xmlns='urn:xmpp:sasl:2'>Yz1iaXdz</response>",
                "s<success xmlns='urn:xmpp:sasl:2'><additional-data>dj1wcm9vZg==</additional-data>"
                        + "<authorization-identifier>alice@a.example/AwesomeXMPP.4f3</authorization-identifier>"
                        + "<bound xmlns='urn:xmpp:bind:0'><enabled xmlns='urn:xmpp:sm:3' id='sm-2' resume='true'/></bound>"
                        + "<token xmlns='urn:xmpp:fast:0' expiry='2026-12-24T00:00:00Z' token='**********'/></success>",
                "c" + MSG + MSG, "s<a xmlns='urn:xmpp:sm:3' h='1'/>");
        assertEquals(List.of(
                "sasl-auth: Client authenticates with SCRAM-SHA-256 over SASL2 | initial response sent; from AwesomeXMPP on Kiva's Phone;"
                        + " binds a resource in the same round trip (Bind2, tag AwesomeXMPP, with stream management, carbons);"
                        + " asks for a FAST token (HT-SHA-256-NONE)",
                "sm-enable: Client enables stream management (resumable) | ",
                "sasl-challenge: Server sends a SASL challenge | ",
                "sasl-response: Client answers the SASL challenge | ",
                "sasl-success: Authentication succeeded as alice@a.example/AwesomeXMPP.4f3 | SASL2: the stream goes on without a"
                        + " restart; the server hands out a FAST token, valid until 2026-12-24T00:00:00Z",
                "bind: Bound to alice@a.example/AwesomeXMPP.4f3 (Bind2) | ",
                "sm-enabled: Server enabled stream management (resumable) | id=sm-2",
                "sm-ack: Server acks: 1 stanza handled so far | 1 of the client's 2 stanzas not acknowledged yet"),
                steps1.stream().filter(s -> !s.step().equals("header")).map(s -> s.step() + ": " + s.title() + " | " + s.detail()).toList());
        assertEquals("alice@a.example/AwesomeXMPP.4f3", first.identity());
        assertEquals("established", first.state());

        Negotiation resumed = new Negotiation(2, sessions, new DialbackStreams());
        List<NegotiationStep> steps2 = talk(resumed, "c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                "c<authenticate xmlns='urn:xmpp:sasl:2' mechanism='HT-SHA-256-NONE'><initial-response>**********</initial-response>"
                        + "<resume xmlns='urn:xmpp:sm:3' previd='sm-2' h='0'/><fast xmlns='urn:xmpp:fast:0' count='1'/></authenticate>",
                "s<success xmlns='urn:xmpp:sasl:2'><authorization-identifier>alice@a.example/AwesomeXMPP.4f3</authorization-identifier>"
                        + "<resumed xmlns='urn:xmpp:sm:3' previd='sm-2' h='1'/></success>");
        assertEquals(List.of(
                "sasl-auth: Client authenticates with HT-SHA-256-NONE (a FAST token) over SASL2",
                "sm-resume: Client resumes session sm-2",
                "sasl-success: Authentication succeeded as alice@a.example/AwesomeXMPP.4f3",
                "sm-resumed: Server resumed the session"),
                steps2.stream().filter(s -> !s.step().equals("header")).map(s -> s.step() + ": " + s.title()).toList());
        assertEquals("h=1, bound to alice@a.example/AwesomeXMPP.4f3; 1 of the 2 stanzas the client sent on connection 1:"
                + " it sends the other 1 stanza again", steps2.get(steps2.size() - 1).detail());
        assertEquals("established", resumed.state());

        Negotiation refused = new Negotiation(3);
        talk(refused, "c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                "c<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'><initial-response>AGFsaWNlACoqKioqKg==</initial-response></authenticate>",
                "s<failure xmlns='urn:xmpp:sasl:2'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/><text>Wrong</text></failure>");
        assertEquals("Authentication failed: not-authorized (wrong username or password, or no such account)", refused.error(),
                "SASL2 keeps RFC 6120's conditions in their own namespace");
    }

    /**
     * With TLS passed through, the negotiation goes on out of sight: the connection reads
     * "encrypted" while it lasts (it read "negotiating", amber in every view, for its whole life:
     * in the default mode, nearly every connection), and its end is no stall.
     */
    @Test
    void aPassedThroughTlsConnectionEndsWithoutAnError() {
        c(CLIENT_HEADER).s(SERVER_HEADER + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>")
                .c("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").s("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        assertEquals("negotiating", n.state());
        steps.addAll(n.encrypted(Direction.TO_SERVER, 5_000_000));
        assertEquals("encrypted", n.state());
        steps.addAll(n.connectionClosed(new ConnectionClosed(1, 2_000_000_000L, CloseReason.SERVER_CLOSED, "", 900, 4000), 0, 0));
        assertNull(n.error());
        assertEquals("closed", n.state());
        NegotiationStep close = steps.get(steps.size() - 1);
        assertEquals("Connection ended after 2.0 s: the streams' end is inside TLS, not visible; Server closed TCP", close.title());
        assertEquals("ok", close.status());
    }

    /**
     * In-band registration (XEP-0077) before authenticating, then the client closes: steps for
     * the form and the account, and a clean end, not a stall; a refused one says why.
     */
    @Test
    void anAccountRegisteredInBandIsNamedAndItsCleanEndIsNoStall() {
        String register = "urn:ietf:params:xml:ns:xmpp-stanzas";
        c(CLIENT_HEADER).s(SERVER_HEADER + "<stream:features><register xmlns='http://jabber.org/features/iq-register'/></stream:features>")
                .c("<iq type='get' id='r1'><query xmlns='jabber:iq:register'/></iq>")
                .s("<iq type='result' id='r1'><query xmlns='jabber:iq:register'><username/><password/></query></iq>")
                .c("<iq type='set' id='r2'><query xmlns='jabber:iq:register'><username>carol</username><password>*****</password></query></iq>")
                .s("<iq type='result' id='r2'/>")
                .c("</stream:stream>").s("</stream:stream>");
        steps.addAll(n.connectionClosed(new ConnectionClosed(1, 2_000_000_000L, CloseReason.CLIENT_CLOSED, "", 900, 900), 0, 0));
        assertEquals(List.of(
                "register: Client asks for the registration form (in-band registration, XEP-0077)",
                "register: Server sends the registration form",
                "register: Client registers an account 'carol' (in-band registration, XEP-0077)",
                "register: Server accepts the registration request"),
                titles().stream().filter(t -> t.startsWith("register")).toList());
        assertNull(n.error());
        assertEquals("closed", n.state());
        assertTrue(steps.get(steps.size() - 1).title().endsWith("; the client ended it before authenticating"),
                steps.get(steps.size() - 1).title());

        Negotiation taken = new Negotiation(2);
        List<NegotiationStep> refused = talk(taken, "c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                "c<iq type='set' id='r2'><query xmlns='jabber:iq:register'><username>carol</username><password>*</password></query></iq>",
                "s<iq type='error' id='r2'><error type='cancel'><conflict xmlns='" + register + "'/></error></iq>");
        assertEquals("Server refuses the registration request: conflict (that username is taken)",
                refused.get(refused.size() - 1).title());
    }

    /**
     * A server stopped on purpose (SIGTERM: Prosody says "Received SIGTERM") ends its streams with
     * system-shutdown and closes them: the stream ends cleanly, it did not fail, even before it
     * was authenticated.
     */
    @Test
    void aServerShuttingDownEndsTheStreamItDoesNotFailIt() {
        String s2s = "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns:db='jabber:server:dialback' version='1.0'";
        String shutdown = "<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text"
                + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Received SIGTERM</text></stream:error></stream:stream>";
        c(s2s + " from='a.example' to='b.example'>").s(s2s + " from='b.example' to='a.example' id='s9'>" + shutdown)
                .c("</stream:stream>");
        steps.addAll(n.connectionClosed(new ConnectionClosed(1, now + 1_000_000, CloseReason.SERVER_CLOSED, "", 200, 400), 0, now));
        NegotiationStep said = steps.stream().filter(s -> s.step().equals("stream-error")).findFirst().orElseThrow();
        assertEquals("b.example is shutting down and ends the stream (system-shutdown): \"Received SIGTERM\"", said.title());
        assertEquals("info", said.status());
        assertNull(n.error(), titles().toString());
        assertNull(n.warning());
        assertEquals("closed", n.state());
        assertEquals("ok", steps.get(steps.size() - 1).status(), titles().toString());
    }

    /**
     * A client that presents a TLS certificate through an intercepting proxy (to log in with it,
     * SASL EXTERNAL): the proxy cannot pass it on, and the negotiation says so as what may go wrong.
     */
    @Test
    void aClientsCertificateTheProxyCannotPassOnIsAWarning() {
        c(CLIENT_HEADER).s(SERVER_HEADER + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>")
                .c("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").s("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        steps.addAll(n.event(new ConnectionEvent(1, 9, now + 1, Direction.TO_CLIENT, EventKind.TLS_ESTABLISHED, "with client")));
        String detail = "the client presented its certificate CN=alice (issued by CN=Lab CA); an intercepting proxy cannot pass"
                + " it on, not holding its key: the server was shown no client certificate";
        steps.addAll(n.event(new ConnectionEvent(1, 10, now + 2, Direction.TO_SERVER, EventKind.CLIENT_CERTIFICATE_WITHHELD, detail)));
        NegotiationStep said = steps.get(steps.size() - 1);
        assertEquals("Client presented a certificate, which xmppscope cannot pass on: the server was shown none, so a login with"
                + " it (SASL EXTERNAL) cannot succeed through an intercepting proxy", said.title());
        assertEquals(detail, said.detail());
        assertEquals("warning", said.status());
        assertEquals(said.title(), n.warning());
    }

    @Test
    void aRedirectSaysWhereToReconnect() {
        c(CLIENT_HEADER).s(SERVER_HEADER + "<stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>"
                + " [2001:db8::1]:5222 </see-other-host></stream:error>");
        assertEquals("Server ends the stream with error see-other-host (the client should reconnect to another host): [2001:db8::1]:5222",
                n.error());
    }

    /** A password (or token) sent without TLS is flagged; one sent inside TLS, or a challenge-response mechanism, is not. */
    @Test
    void credentialsSentWithoutTlsAreAWarning() {
        String plain = "c<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlACoqKioqKg==</auth>";
        Negotiation clear = new Negotiation(1);
        NegotiationStep auth = talk(clear, "c" + CLIENT_HEADER, "s" + SERVER_HEADER, plain).get(2);
        assertEquals("warning", auth.status());
        assertEquals("Client authenticates with PLAIN as alice", auth.title());
        assertEquals("sent without TLS: PLAIN carries the password (or token) itself, readable by anyone on the path"
                + " (base64 is no encryption); the password is masked in this capture", auth.detail());
        assertEquals("SASL PLAIN without TLS: the credentials crossed the network readable", clear.warning());

        Negotiation insideTls = new Negotiation(2);
        insideTls.event(new ConnectionEvent(2, 1, 1, Direction.TO_SERVER, EventKind.TLS_ESTABLISHED, "TLSv1.3"));
        assertEquals("info", talk(insideTls, "c" + CLIENT_HEADER, "s" + SERVER_HEADER, plain).get(2).status());
        Negotiation scram = new Negotiation(3);
        assertEquals("info", talk(scram, "c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                "c<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>biwsbj1hbGljZSxyPTEyMw==</auth>").get(2).status());
        assertNull(insideTls.warning());
        assertNull(scram.warning());
    }

    @Test
    void requestsNeverAnsweredAreAWarningLinkedToTheFirst() {
        Negotiation n2 = new Negotiation(2);
        assertEquals(List.of(), n2.unansweredIqs(List.of(), 5));
        NegotiationStep step = n2.unansweredIqs(List.of("2-c-7", "2-s-9"), 5).get(0);
        assertEquals("warning 2 IQ requests on this stream were never answered | the first is 2-c-7 | 2-c-7",
                step.status() + " " + step.title() + " | " + step.detail() + " | " + step.stanzaRef());
        assertEquals("2 IQ requests on this stream were never answered", n2.warning());
    }

    @Test
    void aRefusedStreamManagementSaysWhyInPlainWords() {
        List<NegotiationStep> out = talk(new Negotiation(1), "c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                "c<enable xmlns='urn:xmpp:sm:3'/>",
                "s<failed xmlns='urn:xmpp:sm:3'><unexpected-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>");
        NegotiationStep failed = out.get(out.size() - 1);
        assertEquals("Server refuses stream management: unexpected-request", failed.title());
        assertEquals("unexpected-request (the request came at the wrong time or out of order)", failed.detail());
    }

    /** A clean close ends the session: what the client never acknowledged is the server's to settle, and said so. */
    @Test
    void stanzasNeverAcknowledgedBeforeACleanCloseAreTheServersToSettle() {
        Negotiation clean = new Negotiation(1);
        List<NegotiationStep> out = new ArrayList<>(talk(clean, "c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                "c<enable xmlns='urn:xmpp:sm:3'/>", "s<enabled xmlns='urn:xmpp:sm:3'/><message><body>hi</body></message>",
                "c</stream:stream>", "s</stream:stream>"));
        out.addAll(clean.connectionClosed(new ConnectionClosed(1, 2_000_000L, CloseReason.CLIENT_CLOSED, "", 10, 10), 0, 0));
        NegotiationStep unacked = out.stream().filter(s -> s.step().equals("sm-unacked")).findFirst().orElseThrow();
        assertEquals("The client never acknowledged the server's last 1 stanza (h=0 of 1)", unacked.title());
        assertEquals("the stream closed cleanly, which ends the session: the server treats them as undelivered (a message goes to"
                + " offline storage, or back to its sender as an error); the first is line-3", unacked.detail());
    }

    /**
     * The lines of a stream that binds alice@a.example/x1 and enables resumable stream management
     * (id sm-1), then {@code then}: for {@link #talk}.
     */
    private static String[] resumableSession(String... then) {
        List<String> lines = new ArrayList<>(List.of("c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                "c<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>",
                "s<iq type='result' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@a.example/x1</jid></bind></iq>",
                "c<enable xmlns='urn:xmpp:sm:3' resume='true'/>", "s<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='true'/>"));
        lines.addAll(List.of(then));
        return lines.toArray(String[]::new);
    }

    /** Feeds {@code lines} to {@code target}, each "c" (from the client) or "s" (from the server) and the XML, ref "line-N". */
    private static List<NegotiationStep> talk(Negotiation target, String... lines) {
        StreamParser fromClient = new StreamParser();
        StreamParser fromServer = new StreamParser();
        List<NegotiationStep> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            boolean client = lines[i].charAt(0) == 'c';
            out.addAll(stepsOf(target, client ? Direction.TO_SERVER : Direction.TO_CLIENT, client ? fromClient : fromServer,
                    lines[i].substring(1), i, "line-" + i));
        }
        return out;
    }

    @Test
    void aResourceTheServerReplacedIsSaid() {
        c(CLIENT_HEADER).s(SERVER_HEADER)
                .c("<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>&lt;img&gt;</resource></bind></iq>")
                .s("<iq type='result' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@a.example/nxDebT0NJ_55</jid></bind></iq>");
        NegotiationStep bound = steps.get(steps.size() - 1);
        assertEquals("Bound to alice@a.example/nxDebT0NJ_55", bound.title());
        assertEquals("the server chose another resource than the '<img>' asked for", bound.detail());
    }

    @Test
    void aBindConflictFailsTheStream() {
        c(CLIENT_HEADER).s(SERVER_HEADER)
                .c("<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>x</resource></bind></iq>")
                .s("<iq type='error' id='b'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        assertEquals("Resource binding failed: conflict", n.error());
    }

    @Test
    void aStalledNegotiationSaysWhereItStopped() {
        c(CLIENT_HEADER).s(SERVER_HEADER + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>")
                .c("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        steps.addAll(n.connectionClosed(new ConnectionClosed(1, now + 5_000_000_000L, CloseReason.SERVER_RESET, "reset", 10, 10), 0, now));
        assertEquals("negotiation never completed: it stalled after \"Client asks to start TLS\" (no <proceed/> came back)",
                n.error());
        assertEquals("Connection ended after 5.0 s: nobody closed the stream; TCP cut by Server (reset or I/O error)",
                steps.get(steps.size() - 1).title());
        assertEquals("error", n.state());
    }

    @Test
    void aClientTheProxyCouldNotConnectOnlyReportsTheUnreachableUpstreamNotAMissingHeader() {
        // the proxy reads from a client only once its upstream answered, so nothing of the client was recorded
        steps.addAll(n.connectionClosed(new ConnectionClosed(1, 12_000_000L, CloseReason.UPSTREAM_UNREACHABLE,
                "upstream 127.0.0.2:5222 refused the connection", 0, 0), 0, Long.MIN_VALUE));
        assertEquals("upstream 127.0.0.2:5222 refused the connection", n.error());
        assertEquals("error", n.state());
        assertEquals("close: Connection ended after 12.0 ms: nothing was relayed; the upstream could not be reached",
                titles().get(titles().size() - 1));
    }

    /** A connection closed long after its last bytes looks like an idle timeout (a NAT, a server's idle s2s close): said so. */
    @Test
    void aConnectionClosedAfterALongSilenceSaysHowLong() {
        c(CLIENT_HEADER).s(SERVER_HEADER);
        long lastBytes = now;
        steps.addAll(n.connectionClosed(new ConnectionClosed(1, lastBytes + 300_000_000_000L, CloseReason.SERVER_CLOSED, "", 10, 10),
                0, lastBytes));
        assertEquals("close: Connection ended after 5 min 0 s: Server closed TCP without closing the stream; nothing crossed it"
                + " in its last 5 min 0 s (an idle timeout?)", titles().get(titles().size() - 1));

        Negotiation busy = new Negotiation(2);
        List<NegotiationStep> end = busy.connectionClosed(new ConnectionClosed(2, 9_000_000_000L, CloseReason.SERVER_CLOSED, "",
                10, 10), 0, 1_000_000_000L);
        assertEquals("Connection ended after 9.0 s: Server closed TCP without closing the stream", end.get(0).title(),
                "8 s of silence is no timeout");
    }

    @Test
    void aRetriedAuthenticationThatSucceedsClearsTheEarlierFailure() {
        c(CLIENT_HEADER).s(SERVER_HEADER)
                .c("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>x</auth>")
                .s("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><temporary-auth-failure/></failure>")
                .c("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>x</auth>")
                .s("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
        assertNull(n.error());
        assertEquals("sasl-failure: Authentication failed: temporary-auth-failure (a temporary problem on the server; try again)",
                titles().get(3));
    }

    @Test
    void aPlainAuthenticationNamesItsUserButNeverItsPassword() {
        // as the recorder stores them: "\0alice\0******", then "admin\0alice\0******", then masked whole
        c(CLIENT_HEADER).s(SERVER_HEADER)
                .c("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlACoqKioqKg==</auth>")
                .s("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>")
                .c("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>YWRtaW4AYWxpY2UAKioqKioq</auth>")
                .s("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>")
                .c("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>********************</auth>");
        List<String> auths = titles().stream().filter(t -> t.startsWith("sasl-auth")).toList();
        assertEquals(List.of("sasl-auth: Client authenticates with PLAIN as alice",
                "sasl-auth: Client authenticates with PLAIN as alice for admin",
                "sasl-auth: Client authenticates with PLAIN"), auths);
    }

    /** Its base64 hides whether the password is there: the step says what the capture holds, masked or as sent. */
    @Test
    void aPlainAuthenticationSaysWhetherTheCaptureHoldsItsPassword() {
        Negotiation tls = new Negotiation(2);
        tls.event(new ConnectionEvent(2, 1, 1, Direction.TO_SERVER, EventKind.TLS_ESTABLISHED, "TLSv1.3"));
        List<String> details = talk(tls, "c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                // "\0alice\0******" as the recorder stores it, then masked whole, then kept: "\0alice\0secret"
                "c<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlACoqKioqKg==</auth>",
                "s<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>",
                "c<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>********************</auth>",
                "s<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>",
                "c<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>")
                .stream().filter(step -> step.step().equals("sasl-auth")).map(NegotiationStep::detail).toList();
        assertEquals(List.of("initial response sent; the password is masked in this capture",
                "initial response sent; the password is masked in this capture",
                "initial response sent; the password is readable in this capture (kept with --keep-secrets)"), details);
        assertEquals("initial response sent", talk(new Negotiation(3), "c" + CLIENT_HEADER, "s" + SERVER_HEADER,
                "c<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>biwsbj1hbGljZSxyPTEyMw==</auth>")
                .get(2).detail(), "SCRAM sends no password");
    }
}
