package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures made at random from well-formed but unlikely conversations: negotiation elements out
 * of order or repeated, stanzas with odd or missing addresses and types, events and TLS layers at
 * any moment, connections closed mid-stream and their ids opened again. Whatever a peer sends (or
 * a source repeats), the analysis goes on, and
 * every stanza it indexed can be shown with its route and its IQ partner.
 */
class AnalyzerRandomCapturesTest {
    private static final String[] JIDS = {null, "", "a.example", "alice@a.example", "alice@a.example/phone", "bob@b.example",
        "bob@b.example/laptop", "room@muc.a.example/nick", "b.example", "@a.example", "alice@", "a@b@c", "x/y/z",
        "caf\u00e9@a.example/\u2615", "alice@a.example/", "[::1]", "127.0.0.1", "a..example", "UPPER@A.EXAMPLE"};
    private static final String[] TYPES = {null, "", "chat", "normal", "groupchat", "headline", "error", "get", "set", "result",
        "available", "unavailable", "subscribe", "probe", "bogus"};
    private static final String[] IDS = {null, "", "1", "a", "m1", "ping1", "same", "\u00e9"};
    private static final String[] PAYLOADS = {"", "<body>hi</body>", "<ping xmlns='urn:xmpp:ping'/>",
        "<query xmlns='jabber:iq:roster'/>", "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r</resource></bind>",
        "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@a.example/r</jid></bind>",
        "<error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>",
        "<error/>", "<x xmlns='http://jabber.org/protocol/muc#user'><item role='moderator'/></x>",
        "<active xmlns='http://jabber.org/protocol/chatstates'/>", "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'/>"};
    private static final String[] NEGOTIATION = {"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
        "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlACoqKio=</auth>",
        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>!!not base64</auth>",
        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>", "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'/>",
        "<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>cj1m</challenge>", "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
        "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>", "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>",
        "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>", "<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
        "<stream:features/>", FederationFixture.PRE_AUTH_FEATURES, FederationFixture.POST_AUTH_FEATURES,
        "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>",
        "<enable xmlns='urn:xmpp:sm:3' resume='true'/>", "<enabled xmlns='urn:xmpp:sm:3' id='s1' resume='1'/>", "<enabled xmlns='urn:xmpp:sm:3'/>",
        "<resume xmlns='urn:xmpp:sm:3' previd='s1' h='x'/>", "<resume xmlns='urn:xmpp:sm:3'/>", "<resumed xmlns='urn:xmpp:sm:3' h='3'/>",
        "<r xmlns='urn:xmpp:sm:3'/>", "<a xmlns='urn:xmpp:sm:3' h='-1'/>", "<a xmlns='urn:xmpp:sm:3'/>",
        "<failed xmlns='urn:xmpp:sm:3'/>", "<active xmlns='urn:xmpp:csi:0'/>",
        "<db:result xmlns:db='jabber:server:dialback' from='a.example' to='b.example'>k3y</db:result>",
        "<db:result xmlns:db='jabber:server:dialback' type='valid'/>", "<db:result xmlns:db='jabber:server:dialback' type='invalid' from='b.example'/>",
        "<db:verify xmlns:db='jabber:server:dialback' id='i' from='b.example' to='a.example'>k</db:verify>",
        "<db:verify xmlns:db='jabber:server:dialback' type='valid'/>", "<handshake>0123</handshake>", "<handshake/>",
        "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>t</text></stream:error>",
        "<stream:error/>", "<thing xmlns='urn:example'/>", "</stream:stream>",
        "<iq type='result' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>@@/</jid></bind></iq>",
        "<iq type='result' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid></jid></bind></iq>",
        "<iq type='result' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>b.example</jid></bind></iq>",
        "<db:result xmlns:db='jabber:server:dialback' from='' to=''>k</db:result>", "<db:result xmlns:db='jabber:server:dialback'/>",
        "<db:result xmlns:db='jabber:server:dialback' from='a.example/x' to='@b.example'>k</db:result>",
        "<enabled xmlns='urn:xmpp:sm:3' id='' resume='true'/>", "<resume xmlns='urn:xmpp:sm:3' previd='' h=''/>",
        "<resumed xmlns='urn:xmpp:sm:3' previd='unknown' h='99999999999999999999'/>", "<a xmlns='urn:xmpp:sm:3' h='99999999999999999999'/>",
        "<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'><initial-response>x</initial-response></authenticate>",
        "<success xmlns='urn:xmpp:sasl:2'><authorization-identifier>a@a.example/r</authorization-identifier></success>",
        "<success xmlns='urn:xmpp:sasl:2'><authorization-identifier></authorization-identifier></success>",
        "<features xmlns='http://etherx.jabber.org/streams'/>", "<stream:features><starttls/></stream:features>"};
    private static final String[] HEADERS = {
        FederationFixture.clientHeader("a.example", "alice@a.example"), FederationFixture.serverHeader("a.example", "id1"),
        FederationFixture.s2sHeader("a.example", "b.example", null), FederationFixture.s2sHeader("b.example", "a.example", "s2"),
        "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='c.a.example'>",
        "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>",
        "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='' from='@@' id=''>",
        "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='alice@a.example/r' from='[::1]'>",
        "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' to='' from=''>",
        "<stream:stream xmlns='jabber:server' xmlns:db='jabber:server:dialback' xmlns:stream='http://etherx.jabber.org/streams'>",
        "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams'>",
        "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='nodot'>",
        "<stream:stream xmlns='urn:example' xmlns:stream='http://etherx.jabber.org/streams' to='a.example'>"};

    @TempDir
    Path dir;

    @Test
    void whateverThePeersSendTheAnalysisGoesOnAndEveryStanzaCanBeShown() throws Exception {
        for (int seed = 0; seed < 120; seed++) {
            Random random = new Random(seed);
            CaptureScript s = script(random);
            try (CaptureStore store = CaptureStore.open(dir.resolve("cap" + seed)); Analyzer a = Analyzer.open(store)) {
                s.playInto(a);
                // the analyzer survives its own bugs stream by stream (Analyzer#failed): here there must be none
                assertEquals(0, a.failures(), "seed " + seed + ": see the log for the trace");
                List<StanzaSummary> all = a.stanzas(StanzaQuery.all(100_000)).items();
                assertFalse(all.isEmpty(), "seed " + seed);
                for (StanzaSummary st : all) {
                    assertTrue(a.stanza(st.ref()).isPresent(), "seed " + seed + ": " + st.ref());
                    a.route(st.ref());
                }
                for (ConnectionView c : a.connections()) {
                    a.negotiation(c.id());
                }
                Path dot = dir.resolve("graph" + seed + ".dot");
                GraphExport.write(a, dot);
                assertTrue(Files.readString(dot).contains("graph"), "seed " + seed);
            }
        }
    }

    /** Up to six connections, each a random walk through headers, negotiation, stanzas, events, closes and reopenings. */
    static CaptureScript script(Random random) {
        CaptureScript s = new CaptureScript();
        double at = 0;
        int connections = 1 + random.nextInt(6);
        for (long conn = 1; conn <= connections; conn++) {
            s.open(conn, at, random.nextBoolean() ? "127.0.0.12:5222=127.0.0.2:5222" : "127.0.0.13:5269=127.0.0.3:5269",
                    "127.0.0.1:" + (41000 + conn));
            s.toServer(conn, at, HEADERS[random.nextInt(HEADERS.length)]);
            s.toClient(conn, at, HEADERS[random.nextInt(HEADERS.length)]);
        }
        boolean[] closed = new boolean[connections + 1];
        for (int step = 0; step < 120; step++) {
            long conn = 1 + random.nextInt(connections);
            if (closed[(int) conn] && random.nextInt(3) == 0) {
                s.open(conn, at, "127.0.0.12:5222=127.0.0.2:5222", "127.0.0.1:50000");
            }
            at += random.nextInt(3) * 0.5;
            Direction d = random.nextBoolean() ? Direction.TO_SERVER : Direction.TO_CLIENT;
            int what = random.nextInt(100);
            if (what < 8) {
                s.send(conn, at, d, TlsLayer.PLAIN, HEADERS[random.nextInt(HEADERS.length)]);
            } else if (what < 30) {
                s.send(conn, at, d, TlsLayer.PLAIN, NEGOTIATION[random.nextInt(NEGOTIATION.length)]);
            } else if (what < 85) {
                s.send(conn, at, d, TlsLayer.PLAIN, stanza(random));
            } else if (what < 93) {
                s.event(conn, at, d, EventKind.values()[random.nextInt(EventKind.values().length)], "detail");
            } else if (what < 96) {
                s.newLayer(conn);
                s.send(conn, at, d, random.nextBoolean() ? TlsLayer.DECRYPTED : TlsLayer.ENCRYPTED,
                        HEADERS[random.nextInt(HEADERS.length)]);
            } else if (what < 98) {
                s.close(conn, at, CloseReason.values()[random.nextInt(CloseReason.values().length)]);
                closed[(int) conn] = true;
            } else {
                s.send(conn, at, d, TlsLayer.PLAIN, "<message><body>cut off in the midd");
            }
        }
        return s;
    }

    private static String stanza(Random random) {
        String name = new String[] {"message", "presence", "iq"}[random.nextInt(3)];
        StringBuilder b = new StringBuilder("<").append(name);
        attribute(b, "from", JIDS, random);
        attribute(b, "to", JIDS, random);
        attribute(b, "type", TYPES, random);
        attribute(b, "id", IDS, random);
        String payload = PAYLOADS[random.nextInt(PAYLOADS.length)] + (random.nextInt(4) == 0 ? PAYLOADS[random.nextInt(PAYLOADS.length)] : "");
        return payload.isEmpty() ? b.append("/>").toString() : b.append('>').append(payload).append("</").append(name).append('>').toString();
    }

    private static void attribute(StringBuilder b, String name, String[] values, Random random) {
        String v = values[random.nextInt(values.length)];
        if (v != null) {
            b.append(' ').append(name).append("='").append(v).append('\'');
        }
    }
}
