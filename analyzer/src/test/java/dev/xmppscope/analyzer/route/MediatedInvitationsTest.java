package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import static dev.xmppscope.analyzer.route.ChatRoomsTest.parse;

import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.MucInvite;
import org.junit.jupiter.api.Test;

class MediatedInvitationsTest {
    /** What Smack sends the room (MultiUserChat.invite): no body. */
    private static final String SENT = "<message to='den@conference.b.example' id='inv1'>"
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
    void theInvitationAndTheRoomsPassingItOnHaveOneDigestThoughTheirPayloadsDiffer() {
        XmlElement sent = parse(SENT);
        XmlElement passedOn = parse(PASSED_ON);
        assertEquals(new MucInvite("Dave@a.example", null, "come by"), MucInvite.in(sent));
        assertEquals(new MucInvite(null, "den@conference.b.example/carol", " come by "), MucInvite.in(passedOn));
        assertNull(MucInvite.in(parse("<message to='dave@a.example'><body>hi</body></message>")));
        assertNotEquals(PayloadDigest.of(sent), PayloadDigest.of(passedOn), "the room adds a body");

        long digest = digest(SENT, "dave@a.example");
        assertEquals(digest, digest(PASSED_ON, "dave@a.example"));
        assertNotEquals(PayloadDigest.EMPTY, digest);
        assertNotEquals(digest, digest(SENT, "erin@a.example"), "another invitee");
        assertNotEquals(digest, digest(SENT.replace("come by", "come later"), "dave@a.example"), "another reason");
    }

    private static long digest(String message, String inviteeBare) {
        return MediatedInvitations.digest(MucInvite.in(parse(message)), inviteeBare);
    }
}
