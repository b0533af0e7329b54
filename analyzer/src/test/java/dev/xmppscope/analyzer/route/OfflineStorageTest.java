package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.xml.ElementReader;
import dev.xmppscope.analyzer.xml.XmlParseException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OfflineStorageTest {

    /** A stanza's XML declares all but the stream's default namespace. */
    private static final byte[] SCOPE = "<w xmlns='jabber:client'>".getBytes(StandardCharsets.UTF_8);

    private static boolean held(String payload) throws XmlParseException {
        byte[] stanza = ("<message to='bob@b.example' type='chat' id='m1'><body>hi</body>" + payload + "</message>")
                .getBytes(StandardCharsets.UTF_8);
        return OfflineStorage.heldByServer(OfflineStorage.serverStamps(ElementReader.readElement(SCOPE, stanza, 0, stanza.length)),
                "bob@b.example");
    }

    @Test
    void aDelayStampedByTheAddresseesServerIsOfflineStorage() throws XmlParseException {
        // as Prosody's mod_offline stamps it, and as older servers did (XEP-0091)
        assertTrue(held("<delay xmlns='urn:xmpp:delay' from='b.example' stamp='2026-12-06T06:00:00Z'/>"));
        assertTrue(held("<x xmlns='jabber:x:delay' from='B.Example.' stamp='20261206T06:00:00'>Offline Storage</x>"));
    }

    @Test
    void aDelayFromAnyoneElseOrNoneIsNot() throws XmlParseException {
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
