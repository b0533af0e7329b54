package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.stream.StreamEvent;
import dev.xmppscope.analyzer.stream.StreamParser;
import dev.xmppscope.analyzer.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OfflineStorageTest {

    private static boolean held(String payload) {
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
        String stanza = "<message to='bob@b.example' type='chat' id='m1'><body>hi</body>" + payload + "</message>";
        XmlElement message = new StreamParser().feed((header + stanza).getBytes(StandardCharsets.UTF_8), 0).stream()
                .filter(e -> e instanceof StreamEvent.ElementParsed)
                .map(e -> ((StreamEvent.ElementParsed) e).element())
                .findFirst().orElseThrow();
        return OfflineStorage.heldByServer(message, "bob@b.example");
    }

    @Test
    void aDelayStampedByTheAddresseesServerIsOfflineStorage() {
        // as Prosody's mod_offline stamps it, and as older servers did (XEP-0091)
        assertTrue(held("<delay xmlns='urn:xmpp:delay' from='b.example' stamp='2026-12-06T06:00:00Z'/>"));
        assertTrue(held("<x xmlns='jabber:x:delay' from='B.Example.' stamp='20261206T06:00:00'>Offline Storage</x>"));
    }

    @Test
    void aDelayFromAnyoneElseOrNoneIsNot() {
        assertFalse(held(""));
        assertFalse(held("<delay xmlns='urn:xmpp:delay' from='lounge@conference.b.example' stamp='2026-12-06T06:00:00Z'/>"),
                "a room's history");
        assertFalse(held("<delay xmlns='urn:xmpp:delay' from='alice@a.example/laptop' stamp='2026-12-06T06:00:00Z'/>"),
                "a client's own");
        assertFalse(held("<delay xmlns='urn:xmpp:delay' from='a.example' stamp='2026-12-06T06:00:00Z'/>"),
                "the sender's server, on the way");
        assertFalse(held("<delay xmlns='urn:xmpp:delay' stamp='2026-12-06T06:00:00Z'/>"));
    }
}
