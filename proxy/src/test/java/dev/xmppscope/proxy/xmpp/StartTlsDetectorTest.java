package dev.xmppscope.proxy.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
