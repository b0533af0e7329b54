package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.xmppscope.analyzer.stream.StreamEvent;
import dev.xmppscope.analyzer.stream.StreamParser;
import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.MucInvite;
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

    /** What Smack sends the room (MultiUserChat.invite): no body. */
    private static final String INVITATION = "<message to='den@conference.b.example' id='inv1'>"
            + "<x xmlns='http://jabber.org/protocol/muc#user'><invite to='Dave@a.example'><reason>come by</reason></invite></x>"
            + "</message>";
    /**
     * What Prosody's room sends the invitee: its own muc#user element naming the inviter by their
     * occupant JID, a jabber:x:conference element and a body.
     */
    private static final String PASSED_ON = "<message from='den@conference.b.example' to='dave@a.example' id='inv1'>"
            + "<x xmlns='http://jabber.org/protocol/muc#user'><invite from='den@conference.b.example/carol'><reason> come by"
            + " </reason></invite></x><x xmlns='jabber:x:conference' jid='den@conference.b.example'>come by</x>"
            + "<body>den@conference.b.example/carol invited you to the room den@conference.b.example (come by)</body></message>";

    @Test
    void anInvitationAndTheRoomsPassingItOnHaveOneDigestThoughTheirPayloadsDiffer() {
        XmlElement sent = parse("jabber:client", INVITATION);
        XmlElement passedOn = parse("jabber:server", PASSED_ON);
        assertEquals(new MucInvite(false, "Dave@a.example", null, "come by"), MucInvite.in(sent));
        assertEquals(new MucInvite(false, null, "den@conference.b.example/carol", " come by "), MucInvite.in(passedOn));
        assertNull(MucInvite.in(parse("jabber:client", "<message to='dave@a.example'><body>hi</body></message>")));
        assertNotEquals(PayloadDigest.of(sent), PayloadDigest.of(passedOn), "the room adds a body");

        long digest = invitation(INVITATION, "dave@a.example");
        assertEquals(digest, invitation(PASSED_ON, "dave@a.example"));
        assertNotEquals(PayloadDigest.EMPTY, digest);
        assertNotEquals(digest, invitation(INVITATION, "erin@a.example"), "another invitee");
        assertNotEquals(digest, invitation(INVITATION.replace("come by", "come later"), "dave@a.example"), "another reason");
    }

    /** What Smack sends the room (MultiUserChatManager.decline): to the inviter, as the invitee names them. */
    private static final String DECLINE = "<message to='den@conference.b.example' id='dec1'>"
            + "<x xmlns='http://jabber.org/protocol/muc#user'><decline to='carol@c.example'><reason>busy</reason></decline></x>"
            + "</message>";
    /** What Prosody's room sends the inviter: who declined, by their full JID, and a body. */
    private static final String DECLINE_PASSED_ON = "<message from='den@conference.b.example' to='carol@c.example'"
            + " id='dec1'><x xmlns='http://jabber.org/protocol/muc#user'><decline from='dave@a.example/tablet'><reason>busy"
            + "</reason></decline></x><body>dave@a.example/tablet declined your invite to the room den@conference.b.example"
            + " (busy)</body></message>";

    @Test
    void aDeclineAndTheRoomsPassingItOnHaveOneDigestApartFromAnyInvitation() {
        assertEquals(new MucInvite(true, "carol@c.example", null, "busy"), MucInvite.in(parse("jabber:client", DECLINE)));
        assertEquals(new MucInvite(true, null, "dave@a.example/tablet", "busy"),
                MucInvite.in(parse("jabber:server", DECLINE_PASSED_ON)));
        long digest = invitation(DECLINE, "dave@a.example");
        assertEquals(digest, invitation(DECLINE_PASSED_ON, "dave@a.example"));
        assertNotEquals(digest, invitation(DECLINE.replace("busy", "later"), "dave@a.example"), "another reason");
        assertNotEquals(digest, invitation(DECLINE, "erin@a.example"), "declined by another");
        assertNotEquals(digest, invitation(INVITATION.replace("come by", "busy"), "dave@a.example"),
                "an invitation with the same party and reason");
    }

    private static long invitation(String message, String partyBare) {
        return PayloadDigest.ofInvitation(MucInvite.in(parse("jabber:client", message)), partyBare);
    }
}
