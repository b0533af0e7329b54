package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.xmppscope.analyzer.stream.StreamEvent;
import dev.xmppscope.analyzer.stream.StreamParser;
import dev.xmppscope.analyzer.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadDigestTest {
    private static XmlElement parse(String streamNs, String stanza) {
        String header = "<stream:stream xmlns='" + streamNs + "' xmlns:stream='http://etherx.jabber.org/streams'>";
        StreamParser p = new StreamParser();
        return p.feed((header + stanza).getBytes(StandardCharsets.UTF_8), 0).stream()
                .filter(e -> e instanceof StreamEvent.ElementParsed)
                .map(e -> ((StreamEvent.ElementParsed) e).element())
                .findFirst().orElseThrow();
    }

    private static long digest(String streamNs, String stanza) {
        return PayloadDigest.of(parse(streamNs, stanza));
    }

    @Test
    void whatServersChangeInTransitDoesNotChangeTheDigest() {
        long sent = digest("jabber:client", "<message to='bob@b.example' id='m1'><body>hi there</body>"
                + "<x xmlns='urn:example' a='1' b='2'/></message>");
        long relayed = digest("jabber:server", "<message from='alice@a.example/phone' to='bob@b.example' id='m1' xml:lang='en'>"
                + "\n  <body>  hi there\n</body> <ex:x xmlns:ex='urn:example' b='2' a='1' xml:lang='en'/>"
                + "<delay xmlns='urn:xmpp:delay' stamp='2026-01-01T00:00:00Z'/>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' id='s1' by='b.example'/></message>");
        assertEquals(sent, relayed, "namespace, prefixes, attribute order, whitespace, xml:lang, delay and stanza-id");
    }

    @Test
    void aRoomsCopyOfAJoinHasTheJoinsDigest() {
        long join = digest("jabber:client", "<presence to='lounge@conference.b.example/alice' id='j1'><priority>0</priority>"
                + "<x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>");
        long copy = digest("jabber:server", "<presence from='lounge@conference.b.example/alice' to='bob@b.example/phone' id='j1'>"
                + "<priority>0</priority><occupant-id xmlns='urn:xmpp:occupant-id:0' id='EdbeD+ft'/>"
                + "<x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='owner' role='moderator'/></x></presence>");
        assertEquals(join, copy, "the room swaps the join's <x/> for its own, and adds occupant-id");
        assertNotEquals(join, digest("jabber:client", "<presence id='j1'><priority>1</priority></presence>"));
    }

    @Test
    void aDifferentPayloadIsADifferentDigest() {
        long one = digest("jabber:client", "<message><body>hi</body><x xmlns='urn:example' a='1' b='2'/></message>");
        assertNotEquals(one, digest("jabber:client", "<message><body>hi!</body><x xmlns='urn:example' a='1' b='2'/></message>"));
        assertNotEquals(one, digest("jabber:client", "<message><body>hi</body><x xmlns='urn:example' a='2' b='1'/></message>"));
        assertNotEquals(one, digest("jabber:client", "<message><body>hi</body><x xmlns='urn:other' a='1' b='2'/></message>"));
        assertEquals(PayloadDigest.EMPTY, digest("jabber:client", "<presence id='p1'/>"));
    }
}
