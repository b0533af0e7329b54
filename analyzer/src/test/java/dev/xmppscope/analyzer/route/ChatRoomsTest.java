package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.stream.StreamEvent;
import dev.xmppscope.analyzer.stream.StreamParser;
import dev.xmppscope.analyzer.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChatRoomsTest {
    private final ChatRooms rooms = new ChatRooms();

    private static XmlElement parse(String stanza) {
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
        return new StreamParser().feed((header + stanza).getBytes(StandardCharsets.UTF_8), 0).stream()
                .filter(e -> e instanceof StreamEvent.ElementParsed)
                .map(e -> ((StreamEvent.ElementParsed) e).element())
                .findFirst().orElseThrow();
    }

    private boolean presence(String to, String type, String payload) {
        return rooms.sentToRoom("presence", type, to, to.substring(0, to.indexOf('/')),
                parse("<presence to='" + to + "'>" + payload + "</presence>"));
    }

    @Test
    void aGroupchatMessageToABareJidGoesToARoom() {
        XmlElement m = parse("<message type='groupchat'><body>hi</body></message>");
        assertTrue(rooms.sentToRoom("message", "groupchat", "lounge@conference.b.example", "lounge@conference.b.example", m));
        assertFalse(rooms.sentToRoom("message", "groupchat", "bob@b.example/phone", "bob@b.example", m), "a room's copy");
        assertFalse(rooms.sentToRoom("message", "chat", "bob@b.example", "bob@b.example", m));
    }

    @Test
    void aPresenceToAnOccupantJidGoesToARoomOnceTheRoomIsKnown() {
        assertFalse(presence("lounge@conference.b.example/alice", "available", "<show>away</show>"),
                "a directed presence, as far as anyone can tell");
        assertTrue(presence("lounge@conference.b.example/alice", "available", "<x xmlns='http://jabber.org/protocol/muc'/>"),
                "a join");
        assertTrue(presence("lounge@conference.b.example/alice", "unavailable", ""), "leaving a room it joined");
        assertFalse(presence("bob@b.example/phone", "available", ""), "directed to a client");
    }

    @Test
    void aGroupchatMessageMakesTheRoomKnown() {
        rooms.sentToRoom("message", "groupchat", "den@conference.b.example", "den@conference.b.example",
                parse("<message type='groupchat'><body>hi</body></message>"));
        assertTrue(presence("den@conference.b.example/carol", "unavailable", ""));
    }
}
