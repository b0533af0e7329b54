package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void aPayloadIsAnyChildElement() {
        assertFalse(RouteAbsence.hasPayload("<presence type='unavailable'/>"));
        assertFalse(RouteAbsence.hasPayload("<presence type='unavailable'></presence>"));
        assertFalse(RouteAbsence.hasPayload("<presence status='a/>b'></presence>"), "a '>' in an attribute value");
        assertTrue(RouteAbsence.hasPayload("<presence><status>away</status></presence>"));
    }
}
