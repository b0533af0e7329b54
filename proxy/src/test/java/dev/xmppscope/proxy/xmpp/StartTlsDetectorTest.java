package dev.xmppscope.proxy.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StartTlsDetectorTest {
    private static final String CLIENT = "<?xml version='1.0'?><stream:stream to='a.example' version='1.0'"
            + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    private static final String SERVER = "<?xml version='1.0'?><stream:stream from='a.example' id='x' version='1.0'"
            + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><stream:features>"
            + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>";
    private static final String PROCEED = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";

    @Test
    void tlsStartsRightAfterTheProceedThatAnswersStarttls() {
        StartTlsDetector d = new StartTlsDetector();
        assertEquals(StartTlsDetector.ClientVerdict.CLEARTEXT, client(d, CLIENT));
        assertEquals(-1, server(d, SERVER));
        client(d, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        byte[] answer = bytes(PROCEED + "\u0016\u0003\u0001garbage");
        assertEquals(PROCEED.length(), d.serverBytes(answer, 0, answer.length));
        assertEquals("a.example", d.streamTo());
    }

    @Test
    void aProceedSplitAcrossReadsIsFoundInTheReadThatEndsIt() {
        StartTlsDetector d = new StartTlsDetector();
        client(d, CLIENT + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        server(d, SERVER);
        assertEquals(-1, server(d, "<proce"));
        assertEquals("ed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".length(),
                server(d, "ed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"));
    }

    @Test
    void aProceedNobodyAskedForOrOutsideTheTlsNamespaceIsIgnored() {
        StartTlsDetector d = new StartTlsDetector();
        client(d, CLIENT);
        assertEquals(-1, server(d, SERVER + PROCEED), "no <starttls/> yet");
        client(d, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        assertEquals(-1, server(d, "<proceed xmlns='urn:example:other'/>"));
        assertEquals(-1, server(d, "<message><body><![CDATA[" + PROCEED + "]]></body></message>"), "inside CDATA");
        assertEquals(-1, server(d, "<message a='" + "&gt;" + PROCEED.replace("'", "&apos;") + "'/>"), "inside an attribute");
    }

    @Test
    void aTlsHandshakeAsTheFirstByteIsDirectTls() {
        StartTlsDetector d = new StartTlsDetector();
        byte[] hello = {0x16, 0x03, 0x01, 0x02, 0x00};
        assertEquals(StartTlsDetector.ClientVerdict.DIRECT_TLS, d.clientBytes(hello, 0, hello.length));
        StartTlsDetector later = new StartTlsDetector();
        client(later, CLIENT);
        assertEquals(StartTlsDetector.ClientVerdict.CLEARTEXT, later.clientBytes(hello, 0, hello.length),
                "only the very first byte decides");
    }

    @Test
    void starttlsAndProceedAreFoundWhereverTheReadsAreCut() {
        String clientSide = CLIENT + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
        byte[] c = bytes(clientSide);
        byte[] s = bytes(SERVER + PROCEED + "\u0016\u0003\u0001garbage");
        int proceedEnd = (SERVER + PROCEED).length();
        for (int cut = 0; cut <= c.length; cut++) {
            for (int serverCut = 0; serverCut <= proceedEnd; serverCut += 5) {
                StartTlsDetector d = new StartTlsDetector();
                d.clientBytes(c, 0, cut);
                d.clientBytes(c, cut, c.length);
                assertTrue(d.starttlsRequested(), "client cut at " + cut);
                assertEquals(-1, d.serverBytes(s, 0, serverCut), "server cut at " + serverCut);
                assertEquals(proceedEnd, d.serverBytes(s, serverCut, s.length), "server cut at " + serverCut);
                assertEquals("a.example", d.streamTo());
            }
        }
    }

    @Test
    void afterTheFirstStanzaStarttlsIsNoLongerActedOn() {
        StartTlsDetector d = new StartTlsDetector();
        client(d, CLIENT);
        server(d, SERVER.replace("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>", ""));
        client(d, "<message to='b@a.example'><body>let us talk about <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
                + "</body></message>");
        assertTrue(d.negotiationOver());
        client(d, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        assertFalse(d.starttlsRequested(), "a starttls in or after a stanza is content, not negotiation");
        assertEquals(-1, server(d, PROCEED), "nor is a proceed answering it");
    }

    @Test
    void aStanzaFromTheServerAlsoEndsTheWatchInBothDirections() {
        StartTlsDetector d = new StartTlsDetector();
        client(d, CLIENT);
        server(d, SERVER.replace("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>", "")
                + "<message from='a.example'><body>welcome</body></message>");
        assertTrue(d.negotiationOver());
        client(d, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        assertEquals(-1, server(d, PROCEED));
    }

    @Test
    void afterSaslSuccessTheRestartedStreamIsNotWatched() {
        StartTlsDetector d = new StartTlsDetector();
        client(d, CLIENT + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGEAYg==</auth>");
        assertFalse(d.negotiationOver(), "authentication may still fail");
        server(d, SERVER + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
        assertTrue(d.negotiationOver());
        client(d, CLIENT + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        assertEquals(-1, server(d, SERVER + PROCEED));
        assertFalse(d.starttlsRequested());
    }

    private static StartTlsDetector.ClientVerdict client(StartTlsDetector d, String s) {
        byte[] b = bytes(s);
        return d.clientBytes(b, 0, b.length);
    }

    private static int server(StartTlsDetector d, String s) {
        byte[] b = bytes(s);
        return d.serverBytes(b, 0, b.length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
