package dev.xmppscope.analyzer.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.analyzer.xml.ElementReader;
import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xml.XmlParseException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The timeline's one-line summaries of stanzas. */
class ElementKindTest {
    private static final byte[] SCOPE = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aMessageIsSummarizedByItsBodyOnOneLineTrimmedAndCutAtEightyCharacters() throws XmlParseException {
        assertEquals("chat: hi there", summary("<message type='chat'><body>\n  hi there \r\n</body></message>"));
        assertEquals("normal: two lines", summary("<message><body>two\nlines</body></message>"));
        String long80 = "a\nb".repeat(30);
        assertEquals("chat: " + long80.replace('\n', ' ').substring(0, 80) + "…",
                summary("<message type='chat'><body>  " + long80 + "</body></message>"));
        assertEquals("chat: " + "x".repeat(80), summary("<message type='chat'><body>" + "x".repeat(80) + "</body></message>"));
        assertEquals("chat: active", summary("<message type='chat'><active xmlns='http://jabber.org/protocol/chatstates'/></message>"));
        assertEquals("chat:", summary("<message type='chat'><body> </body></message>"));
    }

    @Test
    void aMessageThatCarriesAnotherIsSummarizedByTheOneItCarries() throws XmlParseException {
        String inner = "<message xmlns='jabber:client' type='chat' from='alice@a.example/laptop' to='bob@b.example'>"
                + "<body>Hi Bob</body></message>";
        assertEquals("carbon of a received chat from alice@a.example/laptop: Hi Bob", summary(
                "<message><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>" + inner
                        + "</forwarded></received></message>"));
        assertEquals("carbon of a sent chat from alice@a.example/laptop: Hi Bob", summary(
                "<message><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>" + inner
                        + "</forwarded></sent></message>"));
        assertEquals("archived chat from alice@a.example/laptop: Hi Bob", summary(
                "<message><result xmlns='urn:xmpp:mam:2' queryid='q1' id='28482-98726-73623'>"
                        + "<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='2026-12-06T06:00:00Z'/>"
                        + inner + "</forwarded></result></message>"));
        assertEquals("forwarded chat from alice@a.example/laptop: Hi Bob", summary(
                "<message><forwarded xmlns='urn:xmpp:forward:0'>" + inner + "</forwarded></message>"));
        assertEquals("result from the archive", summary("<message><result xmlns='urn:xmpp:mam:2'/></message>"),
                "a result without its message");
        assertEquals("chat: see below", summary("<message type='chat'><body>see below</body>"
                + "<forwarded xmlns='urn:xmpp:forward:0'>" + inner + "</forwarded></message>"), "its own body comes first");
    }

    @Test
    void anInvitationToARoomOrItsDeclineSaysWhoItConcerns() throws XmlParseException {
        String x = "<x xmlns='http://jabber.org/protocol/muc#user'>";
        assertEquals("normal: invites dave@a.example (come by)", summary("<message to='den@conference.b.example'>" + x
                + "<invite to='dave@a.example'><reason>come by</reason></invite></x></message>"));
        assertEquals("normal: invitation from carol@c.example/desk", summary("<message>" + x
                + "<invite from='carol@c.example/desk'/></x></message>"));
        assertEquals("normal: carol invited you", summary("<message><body>carol invited you</body>" + x
                + "<invite from='carol@c.example/desk'/></x></message>"), "a body of its own comes first");
        assertEquals("normal: declines the invitation of carol@c.example (busy)", summary("<message>" + x
                + "<decline to='carol@c.example'><reason>busy</reason></decline></x></message>"));
        assertEquals("normal: decline from dave@a.example/tablet", summary("<message>" + x
                + "<decline from='dave@a.example/tablet'/></x></message>"));
        assertEquals("normal: x", summary("<message>" + x + "<status code='104'/></x></message>"), "no invitation");
        assertEquals("normal: invitation to den@conference.b.example (come by)", summary("<message to='dave@a.example'>"
                + "<x xmlns='jabber:x:conference' jid='den@conference.b.example' reason='come by'/></message>"),
                "a direct invitation (XEP-0249), straight to the invitee");
        assertEquals("normal: x", summary("<message><x xmlns='jabber:x:conference'/></message>"), "no room named");
    }

    @Test
    void aPresenceShowsItsShowAndStatus() throws XmlParseException {
        assertEquals("available (away): out for lunch", summary("<presence><show>away</show><status>\nout for\rlunch\n</status></presence>"));
        assertEquals("unavailable", summary("<presence type='unavailable'/>"));
    }

    /** A bounce says its condition, and the server's own words when it gave some. */
    @Test
    void aStanzaErrorSaysItsConditionAndTheServersText() throws XmlParseException {
        String stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";
        assertEquals("message error remote-server-not-found: Server-to-server connection failed: NXDomain in AAAA lookup",
                summary("<message type='error'><error type='cancel'><remote-server-not-found xmlns='" + stanzas + "'/><text xmlns='"
                        + stanzas + "'>Server-to-server connection failed: NXDomain in AAAA lookup</text></error></message>"));
        assertEquals("iq error service-unavailable", summary("<iq type='error' id='1'><error type='cancel'>"
                + "<service-unavailable xmlns='" + stanzas + "'/></error></iq>"));
    }

    /** SASL2 (XEP-0388) keeps RFC 6120's failure conditions, in their own namespace, beside its own text. */
    @Test
    void aSaslFailureSaysItsConditionInEitherVersion() throws XmlParseException {
        String sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
        assertEquals("SASL failure not-authorized", summary("<failure xmlns='" + sasl + "'><not-authorized/></failure>"));
        assertEquals("SASL failure credentials-expired: Use your new password", summary("<failure xmlns='urn:xmpp:sasl:2'>"
                + "<credentials-expired xmlns='" + sasl + "'/><text>Use your new password</text></failure>"));
    }

    private static String summary(String xml) throws XmlParseException {
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        XmlElement e = ElementReader.readElement(SCOPE, b, 0, b.length);
        return ElementKind.of(e).summary();
    }
}
