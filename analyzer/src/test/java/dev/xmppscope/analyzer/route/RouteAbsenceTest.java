package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RouteAbsenceTest {
    @Test
    void whatCannotBeFollowedSoundlyIsSaidSo() {
        String probe = RouteAbsence.reason("presence", "probe", null, "<presence from='bob@b.example' type='probe' to='alice@a.example'/>");
        assertTrue(probe.startsWith("It carries neither an id nor a payload (a probe is answered by the server it is sent to"), probe);
        assertTrue(probe.contains("within 5.0 s"), probe);
        String message = RouteAbsence.reason("message", "normal", null, "<message to='bob@b.example'></message>");
        assertTrue(message.contains("a message is not followed by its addresses alone"), message);
        String other = RouteAbsence.reason("message", "chat", "m1", "<message id='m1'><body>hi</body></message>");
        assertTrue(other.startsWith("No other recorded link carried the same stanza"), other);
        assertNull(RouteAbsence.reason("stream-header", null, null, "<stream:stream>"), "not a stanza");
    }

    @Test
    void aPayloadIsWhatTheCorrelatorMatchesOn() {
        assertEquals(false, RouteAbsence.hasPayload("<presence type='unavailable'/>"));
        assertEquals(false, RouteAbsence.hasPayload("<presence type='unavailable'></presence>"));
        assertEquals(false, RouteAbsence.hasPayload("<presence status='a/>b'></presence>"), "a '>' in an attribute value");
        assertEquals(false, RouteAbsence.hasPayload("<message to='bob@b.example'><!-- <body>x</body> --></message>"),
                "a comment is no child");
        assertEquals(false, RouteAbsence.hasPayload("<presence to='room@muc.a.example/al'><x xmlns='http://jabber.org/protocol/muc'/>"
                + "<delay xmlns='urn:xmpp:delay' stamp='2026-12-07T10:00:00Z'/></presence>"), "a room swaps its <x/>, servers add a delay");
        assertEquals(true, RouteAbsence.hasPayload("<presence><status>away</status></presence>"));
        assertNull(RouteAbsence.hasPayload("<presence><status>away</presence>"), "not well-formed: not known");
    }

    @Test
    void aRoomJoinWithoutIdIsSaidToBeUnmarked() {
        String join = RouteAbsence.reason("presence", null, null,
                "<presence to='room@muc.a.example/al'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
        assertTrue(join.startsWith("It carries neither an id nor a payload:"), join);
        String broken = RouteAbsence.reason("presence", null, null, "<presence><x></presence>");
        assertTrue(broken.startsWith("No other recorded link carried the same stanza"), broken);
    }
}
