package dev.xmppscope.web;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.model.StanzaSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills an {@link InMemoryCaptureModel} with a three-server federation whose names, resources,
 * bodies and attributes carry the XSS probes a real server would refuse to route: a
 * {@code <script>}, an {@code onerror=} attribute and a {@code javascript:} URL in each place.
 */
final class SyntheticFederation {

    static final String EVIL_RESOURCE = "<img src=x onerror=alert('resource')>";
    static final String EVIL_LOCAL = "<script>alert('local')</script>";
    static final String EVIL_JID = "mallory@a.example/" + EVIL_RESOURCE;
    static final String EVIL_BODY = "<script>alert('body')</script> <img src=x onerror=alert('body2')> javascript:alert('body3')";
    static final long T0 = 1_764_000_000_000_000_000L;
    /** The warning of the fifth client's stream, with markup in it as a stream header's domain could carry. */
    static final String UNACKED_WARNING = "The server never acknowledged the client's last 2 stanzas (h=1 of 3) " + EVIL_LOCAL;

    private final InMemoryCaptureModel model;
    private long nextConn = 1;
    private final List<long[]> counters = new ArrayList<>();

    SyntheticFederation(InMemoryCaptureModel model) {
        this.model = model;
    }

    static InMemoryCaptureModel build() {
        InMemoryCaptureModel m = new InMemoryCaptureModel();
        new SyntheticFederation(m).populate();
        return m;
    }

    void populate() {
        server("a.example");
        server("b.example");
        server("c.example");
        long alice = client("alice@a.example/phone", "a.example", 1);
        long bob = client("bob@b.example/desk", "b.example", 2);
        long carol = client("carol@c.example/lab", "c.example", 3);
        long mallory = client(EVIL_JID, "a.example", 4);
        long evilLocal = client(EVIL_LOCAL + "@b.example/javascript:alert('r')", "b.example", 5);
        model.put(new GraphNode("component:conference.a.example", "component", "conference.a.example", "server:a.example", null, ""));
        long ab = s2s("a.example", "b.example", 6);
        s2s("b.example", "a.example", 7);
        long ac = s2s("a.example", "c.example", 8);
        for (int i = 0; i < 6; i++) {
            message(alice, ab, bob, "alice@a.example/phone", "bob@b.example", "m" + i, "hello bob, number " + i, 100 + i * 40);
        }
        message(alice, ac, carol, "alice@a.example/phone", "carol@c.example", "c1", "hi carol", 400);
        message(mallory, ab, bob, EVIL_JID, "bob@b.example", "javascript:alert('id')", EVIL_BODY, 500);
        presence(bob, "bob@b.example/desk", 520);
        presence(evilLocal, EVIL_LOCAL + "@b.example/javascript:alert('r')", 530);
        iq(alice, "alice@a.example/phone", "a.example", "ping1", 600);
    }

    /** Bob's resource, with a right-to-left override in it: drawn as is, it reads "bob@b.example/phone". */
    static final String RTL_BOB = "bob@b.example/\u202Eenohp";
    /** A body whose text reads "exe.png" where the override is obeyed. */
    static final String RTL_BODY = "RTL: \u202Egnp.exe\u202C and \u0007bell \u009b31m";
    /**
     * A body of emoji in one, two and four UTF-16 code units (a flag, a thumb with its skin tone), cut wherever a label ends
     * (the List's summary too: it is longer than the 200 letters that cell holds).
     */
    static final String EMOJI_BODY = "emoji " + "\uD83D\uDE00\uD83C\uDDEB\uD83C\uDDF7\uD83D\uDC4D\uD83C\uDFFD".repeat(70);
    /**
     * A body with characters that take no room: a zero-width space in a name ("al\u200Bice" is not
     * "alice"), a byte order mark, a joiner between two Latin letters, line and paragraph separators, a word
     * joiner and an invisible plus; then joiners that show, and are kept: the one that makes "👩‍💻" one
     * emoji, and the non-joiner of Persian "می‌خواهم".
     */
    static final String ZERO_WIDTH_BODY = "ZW: al\u200Bice\uFEFF a\u200Db l\u2028p\u2029 x\u2060y\u2064"
            + " kept: \uD83D\uDC69\u200D\uD83D\uDCBB \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645";
    /** Why the failed stream failed: longer than a table cell of Connections used to show. */
    static final String LONG_ERROR = "Authentication failed: not-authorized (the server rejected the password or the user name"
            + " for alice@a.example after offering SCRAM-SHA-1 and PLAIN)";

    /**
     * Two servers and the text a hostile or careless client sends: one user on two devices (lanes
     * cut at the end both read "alice@a.example…"), emoji cut by every label, a bidirectional
     * override in a body and a resource, controls, characters that take no room, and a stream that
     * failed with a long error.
     */
    static InMemoryCaptureModel hostileText() {
        InMemoryCaptureModel m = new InMemoryCaptureModel();
        SyntheticFederation f = new SyntheticFederation(m);
        f.server("a.example");
        f.server("b.example");
        long laptop = f.client("alice@a.example/laptop", "a.example", 1);
        long phone = f.client("alice@a.example/nxDebT0NJ_55", "a.example", 2);
        long bob = f.client(RTL_BOB, "b.example", 3);
        long ab = f.s2s("a.example", "b.example", 6);
        f.message(laptop, ab, bob, "alice@a.example/laptop", "bob@b.example", "e1", EMOJI_BODY, 100);
        f.message(phone, ab, bob, "alice@a.example/nxDebT0NJ_55", "bob@b.example", "r1", RTL_BODY, 200);
        f.message(laptop, ab, bob, "alice@a.example/laptop", "bob@b.example", "5f1c0b2e-8f3a-4c1d-9e7a-2b6d4c8e1f00", ZERO_WIDTH_BODY,
                250); // an id as clients make them
        long failed = f.nextConn++;
        m.put(new ConnectionView(failed, "127.130.8.12:5222=127.130.8.2:5222", "c2s", "none", "127.130.8.1:41999",
                "127.130.8.2:5222", null, "alice@a.example", "a.example", T0 + 300_000_000L, T0 + 320_000_000L,
                "server-closed", "the server closed the stream after the failure", "error", LONG_ERROR, null, 7, 271, 647, null));
        return m;
    }

    /** A busier mesh: {@code servers} servers, each with {@code clientsPerServer} clients that chat across. */
    static InMemoryCaptureModel crowd(int servers, int clientsPerServer) {
        InMemoryCaptureModel m = new InMemoryCaptureModel();
        SyntheticFederation f = new SyntheticFederation(m);
        String[] domains = new String[servers];
        for (int i = 0; i < servers; i++) {
            domains[i] = (char) ('a' + i) + ".example";
            f.server(domains[i]);
        }
        long[][] clients = new long[servers][clientsPerServer];
        for (int c = 0; c < clientsPerServer; c++) {
            for (int i = 0; i < servers; i++) {
                clients[i][c] = f.client("user" + c + "@" + domains[i] + "/res" + c, domains[i], c * servers + i);
            }
        }
        for (int i = 0; i + 1 < servers; i++) {
            long s2s = f.s2s(domains[i], domains[i + 1], 1000 + i);
            for (int c = 0; c < Math.min(clientsPerServer, 8); c++) {
                f.message(clients[i][c], s2s, clients[i + 1][c], "user" + c + "@" + domains[i] + "/res" + c,
                        "user" + c + "@" + domains[i + 1], "x" + i + "-" + c, "hi from " + domains[i], 2000 + 60L * (i * 8 + c));
            }
        }
        return m;
    }

    private void server(String domain) {
        model.put(new GraphNode("server:" + domain, "server", domain, null, null, ""));
    }

    private long client(String jid, String domain, int n) {
        long id = nextConn++;
        String nodeId = "client:" + jid;
        model.put(new GraphNode(nodeId, "client", jid, "server:" + domain, jid.split("/")[0], ""));
        long opened = T0 + n * 1_000_000L;
        model.put(new ConnectionView(id, "127.0.0.12:5222=127.0.0.2:5222", "c2s", "starttls-intercepted",
                "127.0.0.1:4" + (1000 + n), "127.0.0.2:5222", jid, null, domain, opened, null, null, null,
                "established", null, n == 5 ? UNACKED_WARNING : null, 12, 2400, 3100, null));
        step(id, 0, opened, "toServer", "header", "Client opens a stream to " + domain, "", "ok");
        step(id, 1, opened + 900_000, "toClient", "features", "Server offers STARTTLS", "", "ok");
        step(id, 2, opened + 1_500_000, "toServer", "starttls", "Client starts TLS", "", "ok");
        step(id, 3, opened + 9_000_000, "toClient", "features", "Server offers SASL (SCRAM-SHA-1, PLAIN)", "", "ok");
        if (n == 4) {
            step(id, 4, opened + 11_000_000, "toClient", "sasl-failure", "Authentication failed: not-authorized",
                    "the server rejected the password for " + jid, "failed");
        } else {
            step(id, 4, opened + 11_000_000, "toClient", "sasl-success", "Authenticated with SCRAM-SHA-1", "", "ok");
            step(id, 5, opened + 14_000_000, "toClient", "bind", "Bound " + jid, jid, "ok");
        }
        model.put(new GraphEdge("c2s:" + id, nodeId, "server:" + domain, "c2s", "established", List.of(id), 6, 4000, null,
                n == 5 ? UNACKED_WARNING : null));
        counters.add(new long[] {id, 0, 0});
        return id;
    }

    private long s2s(String from, String to, int n) {
        long id = nextConn++;
        long opened = T0 + 50_000_000L + n * 1_000_000L;
        model.put(new ConnectionView(id, "127.0.0.13:5269=127.0.0.3:5269", "s2s", "none", "127.0.0.1:5" + (1000 + n),
                "127.0.0.3:5269", from + "→" + to, from, to, opened, null, null, null, "established", null, null, 8, 1900, 800, null));
        step(id, 0, opened, "toServer", "header", "Server " + from + " opens a stream to " + to, "", "ok");
        step(id, 1, opened + 2_000_000, "toServer", "dialback-result", "Dialback key sent", "", "ok");
        step(id, 2, opened + 6_000_000, "toClient", "dialback-result", "Dialback valid: " + from + " may send to " + to, "", "ok");
        model.put(new GraphEdge("s2s:" + id, "server:" + from, "server:" + to, "s2s", "established", List.of(id), 7, 3000, null, null));
        counters.add(new long[] {id, 0, 0});
        return id;
    }

    private void step(long conn, int index, long at, String dir, String step, String title, String detail, String status) {
        model.put(new NegotiationStep(conn, index, at, dir, step, title, detail, status, null));
    }

    private String ref(long conn, String dir) {
        for (long[] c : counters) {
            if (c[0] == conn) {
                int slot = dir.equals("toServer") ? 1 : 2;
                return conn + "-" + (slot == 1 ? "s" : "c") + "-" + (c[slot]++ + 10);
            }
        }
        throw new IllegalArgumentException("unknown connection " + conn);
    }

    private void message(long senderConn, long s2sConn, long receiverConn, String from, String to, String id, String body, long ms) {
        long at = T0 + ms * 1_000_000L;
        String xml = "<message xmlns='jabber:client' type='chat' id='" + escape(id) + "' from='" + escape(from) + "' to='" + escape(to)
                + "'><body>" + escape(body) + "</body><active xmlns='http://jabber.org/protocol/chatstates'/>"
                + "<x xmlns='jabber:x:oob' onerror='alert(\"attr\")'><url>javascript:alert('url')</url></x></message>";
        String r1 = ref(senderConn, "toServer");
        String r2 = ref(s2sConn, "toServer");
        String r3 = ref(receiverConn, "toClient");
        String sender = clientNode(senderConn);
        String receiver = clientNode(receiverConn);
        String[] s2sEnds = serverEnds(s2sConn);
        StanzaRoute route = new StanzaRoute(List.of(
                new StanzaRoute.Hop(r1, senderConn, sender, "server:" + domainOf(from), at, null, null, null),
                new StanzaRoute.Hop(r2, s2sConn, s2sEnds[0], s2sEnds[1], at + 2_300_000, 2_300_000L, 0, null),
                new StanzaRoute.Hop(r3, receiverConn, "server:" + domainOf(to), receiver, at + 4_100_000, 1_800_000L, 1, null)),
                1.0, "same id, type, bare from/to and payload digest");
        long[] times = {at, at + 2_300_000, at + 4_100_000};
        String[] refs = {r1, r2, r3};
        long[] conns = {senderConn, s2sConn, receiverConn};
        String[] dirs = {"toServer", "toServer", "toClient"};
        for (int i = 0; i < 3; i++) {
            StanzaSummary s = new StanzaSummary(refs[i], conns[i], dirs[i], times[i], "message", "chat", from, to, id,
                    List.of("jabber:client", "http://jabber.org/protocol/chatstates", "jabber:x:oob"),
                    List.of("RFC 6120 core", "XEP-0085 Chat State Notifications", "XEP-0066 Out of Band Data"),
                    "chat: " + body, xml.length(), 1000 + i, "ok");
            model.put(new StanzaDetail(s, xml, route, null, null, false, null, null));
        }
    }

    private void presence(long conn, String from, long ms) {
        String xml = "<presence xmlns='jabber:client' from='" + escape(from) + "'><show>chat</show><status>"
                + escape("javascript:alert('status') <b onmouseover=alert(1)>") + "</status></presence>";
        model.put(new StanzaDetail(new StanzaSummary(ref(conn, "toServer"), conn, "toServer", T0 + ms * 1_000_000L, "presence",
                null, from, null, null, List.of("jabber:client"), List.of("RFC 6121 IM"), "available (chat)",
                xml.length(), 40, "ok"), xml, null, null, null, false, null, null));
    }

    private void iq(long conn, String from, String to, String id, long ms) {
        String q = "<iq xmlns='jabber:client' type='get' id='" + id + "' from='" + from + "' to='" + to + "'><ping xmlns='urn:xmpp:ping'/></iq>";
        String a = "<iq xmlns='jabber:client' type='result' id='" + id + "' from='" + to + "' to='" + from + "'/>";
        String rq = ref(conn, "toServer");
        String ra = ref(conn, "toClient");
        long at = T0 + ms * 1_000_000L;
        model.put(new StanzaDetail(new StanzaSummary(rq, conn, "toServer", at, "iq", "get", from, to, id, List.of("urn:xmpp:ping"),
                List.of("XEP-0199 XMPP Ping"), "get ping", q.length(), 77, "ok"), q, null, ra, 1_250_000L, false, null, null));
        model.put(new StanzaDetail(new StanzaSummary(ra, conn, "toClient", at + 1_250_000, "iq", "result", to, from, id, List.of(),
                List.of(), "result", a.length(), 88, "ok"), a, null, rq, null, false, null, null));
    }

    /** The first message of the federation {@link #populate()} built, as the inspector gets it (alice's "hello bob, number 0"). */
    StanzaDetail firstMessage() {
        StanzaSummary first = model.stanzas(new StanzaQuery(null, null, "message", null, null, null, null, null, null, null, 1))
                .items().get(0);
        return model.stanza(first.ref()).orElseThrow();
    }

    /** A roster of {@code items} contacts pushed to a client (megabytes for tens of thousands); returns its ref. */
    String roster(long conn, int items, long ms) {
        StringBuilder xml = new StringBuilder("<iq xmlns='jabber:client' type='result' id='r1'><query xmlns='jabber:iq:roster'>");
        for (int i = 0; i < items; i++) {
            xml.append("<item jid='contact").append(i).append("@b.example' name='Contact ").append(i)
                    .append("' subscription='both'><group>Friends</group></item>");
        }
        String x = xml.append("</query></iq>").toString();
        String r = ref(conn, "toClient");
        model.put(new StanzaDetail(new StanzaSummary(r, conn, "toClient", T0 + ms * 1_000_000L, "iq", "result", null, null, "r1",
                List.of("jabber:iq:roster"), List.of("RFC 6121 roster"), "result roster", x.length(), 99, "ok"), x, null, null,
                null, false, null, null));
        return r;
    }

    private String clientNode(long conn) {
        return "client:" + model.connection(conn).orElseThrow().jid();
    }

    private String[] serverEnds(long conn) {
        ConnectionView c = model.connection(conn).orElseThrow();
        return new String[] {"server:" + c.streamFrom(), "server:" + c.streamTo()};
    }

    private static String domainOf(String jid) {
        String bare = jid.split("/")[0];
        return bare.contains("@") ? bare.substring(bare.indexOf('@') + 1) : bare;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;").replace("\"", "&quot;").replace(">", "&gt;");
    }
}
