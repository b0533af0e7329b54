package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.stream.StreamEvent;
import dev.xmppscope.analyzer.stream.StreamParser;
import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.MucInvite;
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
        return rooms.copying("presence", type, to, to.substring(0, to.indexOf('/')), "alice@a.example",
                parse("<presence to='" + to + "'>" + payload + "</presence>"), null) == Copying.TO_ROOM;
    }

    private Copying message(String type, String to, String fromBare) {
        int slash = to.indexOf('/');
        return rooms.copying("message", type, to, slash < 0 ? to : to.substring(0, slash), fromBare,
                parse("<message><body>hi</body></message>"), null);
    }

    @Test
    void aGroupchatMessageToABareJidGoesToARoomWhoseCopiesComeFromIt() {
        assertEquals(Copying.NONE, message("groupchat", "bob@b.example/phone", "lounge@conference.b.example"),
                "a room not known yet");
        assertEquals(Copying.TO_ROOM, message("groupchat", "lounge@conference.b.example", "alice@a.example"));
        assertEquals(Copying.FROM_ROOM, message("groupchat", "bob@b.example/phone", "lounge@conference.b.example"));
        assertEquals(Copying.NONE, message("chat", "bob@b.example", "alice@a.example"));
        assertEquals(Copying.TO_ROOM, message("chat", "lounge@conference.b.example/bob", "alice@a.example"),
                "a private message through the room");
        assertEquals(Copying.NONE, message("chat", "bob@b.example/phone", "alice@a.example"));
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

    private Copying invitation(String type, String to, String fromBare, String invite) {
        int slash = to.indexOf('/');
        XmlElement message = parse("<message><x xmlns='http://jabber.org/protocol/muc#user'>" + invite + "</x></message>");
        return rooms.copying("message", type, to, slash < 0 ? to : to.substring(0, slash), fromBare, message,
                MucInvite.in(message));
    }

    @Test
    void aMediatedInvitationGoesToTheRoomWhichPassesItOn() {
        String room = "den@conference.b.example";
        assertEquals(Copying.INVITATION, invitation("normal", room, "carol@c.example", "<invite to='dave@a.example'/>"),
                "to a room nobody joined through the proxy yet");
        assertEquals(Copying.ROOM_INVITATION, invitation("normal", "dave@a.example", room,
                "<invite from='carol@c.example/desk'><reason>come</reason></invite>"), "the room, now known, passes it on");
        assertEquals(Copying.FROM_ROOM, message("normal", "dave@a.example/tablet", room), "any other message from the room");
        assertEquals(Copying.NONE, invitation("normal", "dave@a.example/tablet", "carol@c.example",
                "<invite to='erin@a.example'/>"), "to a full JID: a client, not a room");
        assertEquals(Copying.NONE, invitation("error", "carol@c.example/desk", room, "<invite to='dave@a.example'/>"),
                "the room bouncing it: a bounce, not a copy to its occupants");
        assertEquals(Copying.NONE, message("error", "alice@a.example/laptop", room),
                "a groupchat message refused by the room (not joined, or no such room): its bounce");
        assertEquals(Copying.NONE, invitation("normal", "dave@a.example", "lounge@conference.b.example",
                "<invite from='carol@c.example/desk'/>"), "from a room not known");
    }

    @Test
    void aDeclineGoesToTheRoomWhichPassesItOn() {
        String room = "den@conference.b.example";
        assertEquals(Copying.DECLINE, invitation("normal", room, "dave@a.example", "<decline to='carol@c.example'/>"),
                "to a room nobody joined through the proxy yet");
        assertEquals(Copying.ROOM_DECLINE, invitation("normal", "carol@c.example", room,
                "<decline from='dave@a.example/tablet'><reason>busy</reason></decline>"), "the room, now known, passes it on");
        assertEquals(Copying.NONE, invitation("normal", "carol@c.example", "lounge@conference.b.example",
                "<decline from='dave@a.example/tablet'/>"), "from a room not known");
    }

    @Test
    void aGroupchatMessageMakesTheRoomKnown() {
        message("groupchat", "den@conference.b.example", "alice@a.example");
        assertTrue(presence("den@conference.b.example/carol", "unavailable", ""));
        assertEquals(Copying.NONE, rooms.copying("iq", "get", "den@conference.b.example", "den@conference.b.example",
                "alice@a.example", parse("<iq type='get'/>"), null), "an IQ is answered, not copied");
    }
    /**
     * A room sends each newcomer every occupant's current presence, with the id and payload the
     * occupant sent: a copy of a presence that reached the room before its addressee joined is a
     * newcomer's copy, not a copy held since; one the addressee was in the room for is a room copy.
     */
    @Test
    void aRoomsPresenceOfAnOccupantToSomeoneWhoJoinedAfterItIsANewcomersCopy() {
        String room = "lounge@conference.b.example";
        XmlElement join = parse("<presence to='lounge@conference.b.example/bob'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
        XmlElement status = parse("<presence to='lounge@conference.b.example/bob'><show>away</show></presence>");
        XmlElement copy = parse("<presence from='lounge@conference.b.example/bob'/>");
        assertEquals(Copying.TO_ROOM, rooms.presence(Copying.TO_ROOM, room, "bob@b.example/phone", room + "/bob", join));
        assertEquals(Copying.FROM_ROOM, rooms.presence(Copying.FROM_ROOM, room, room + "/bob", "bob@b.example/phone", copy),
                "bob's own join, back to him");
        assertEquals(Copying.TO_ROOM, rooms.presence(Copying.TO_ROOM, room, "alice@a.example/laptop", room + "/alice", join));
        assertEquals(Copying.TO_NEWCOMER, rooms.presence(Copying.FROM_ROOM, room, room + "/bob", "alice@a.example/laptop", copy),
                "bob's presence, which came before alice joined, told to her as she joins");
        assertEquals(Copying.FROM_ROOM, rooms.presence(Copying.FROM_ROOM, room, room + "/alice", "bob@b.example/phone", copy),
                "alice's join, to bob, who was there");
        assertEquals(Copying.TO_ROOM, rooms.presence(Copying.TO_ROOM, room, "bob@b.example/phone", room + "/bob", status));
        assertEquals(Copying.FROM_ROOM, rooms.presence(Copying.FROM_ROOM, room, room + "/bob", "alice@a.example/laptop", copy),
                "bob's later status, to alice, who was there by then");
    }
}
