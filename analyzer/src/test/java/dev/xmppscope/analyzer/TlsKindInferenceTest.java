package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a Direct TLS connection is, where no stream header says it: from its ClientHello and port, said to be inferred. */
class TlsKindInferenceTest {
    @TempDir
    Path dir;

    /** A capture recorded before ClientHellos were: its port alone says what it is. */
    @Test
    void aCaptureWithoutTheClientHelloIsReadByItsPort() {
        ConnectionView c = analyzed(new CaptureScript().open(1, 0, "127.0.0.12:5270=127.0.0.2:5270", "127.0.0.1:40000")
                .event(1, 1, Direction.TO_SERVER, EventKind.DIRECT_TLS_DETECTED, "the client's first byte is a TLS handshake")
                .sendBytes(1, 1, Direction.TO_SERVER, TlsLayer.ENCRYPTED, new byte[0]));
        assertEquals("s2s", c.kind());
        assertEquals("it went to port 5270, XEP-0368's Direct TLS port for servers", c.kindInferred());
        assertNull(c.streamTo(), "no SNI names the server");
    }

    /** The ClientHello's word replaces the port's, in the same step; and a header, once intercepted TLS shows one, replaces both. */
    @Test
    void theClientHelloRefinesThePortsGuessAndAHeaderEndsTheGuessing() {
        CaptureScript s = new CaptureScript().open(1, 0, "127.0.0.12:443=127.0.0.2:443", "127.0.0.1:40000")
                .event(1, 1, Direction.TO_SERVER, EventKind.DIRECT_TLS_DETECTED, "intercepting")
                .event(1, 1, Direction.TO_SERVER, EventKind.TLS_CLIENT_HELLO, "sni=a.example; alpn=h2,xmpp-client");
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            s.playInto(a);
            ConnectionView c = a.connections().get(0);
            assertEquals("c2s", c.kind());
            assertEquals("a.example", c.streamTo());
            assertEquals("its ClientHello offers xmpp-client (ALPN), and its SNI names a.example", c.kindInferred());
            assertEquals(List.of("Client starts with TLS directly (XEP-0368)",
                    "Read as a c2s stream to a.example: its ClientHello offers xmpp-client (ALPN), and its SNI names a.example"),
                    a.negotiation(1).stream().map(NegotiationStep::title).toList());

            new CaptureScript().open(2, 0, "127.0.0.12:443=127.0.0.2:443", "127.0.0.1:40001")
                    .event(2, 1, Direction.TO_SERVER, EventKind.DIRECT_TLS_DETECTED, "intercepting")
                    .event(2, 1, Direction.TO_SERVER, EventKind.TLS_CLIENT_HELLO, "sni=b.example; alpn=xmpp-server")
                    .send(2, 5, Direction.TO_SERVER, TlsLayer.DECRYPTED, "<stream:stream xmlns='jabber:client' to='a.example'"
                            + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>").playInto(a);
            ConnectionView read = a.connection(2).orElseThrow();
            assertEquals("c2s", read.kind(), "the header's namespace, whatever the ClientHello offered");
            assertNull(read.kindInferred());
        }
    }

    /** TLS that names no XMPP protocol, on a port of no XMPP meaning: what the ClientHello says is said, and nothing guessed. */
    @Test
    void aClientHelloThatSaysNothingOfXmppIsSaidButNotGuessedFrom() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            new CaptureScript().open(1, 0, "127.0.0.12:443=127.0.0.2:443", "127.0.0.1:40000")
                    .event(1, 1, Direction.TO_SERVER, EventKind.DIRECT_TLS_DETECTED, "passing it through")
                    .event(1, 1, Direction.TO_SERVER, EventKind.TLS_CLIENT_HELLO, "sni=; alpn=h2").playInto(a);
            assertEquals("unknown", a.connections().get(0).kind());
            assertNull(a.connections().get(0).kindInferred());
            assertEquals("Client's TLS ClientHello offers h2 (ALPN)", a.negotiation(1).get(1).title());
        }
    }

    private ConnectionView analyzed(CaptureScript s) {
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap")); Analyzer a = Analyzer.open(store)) {
            s.playInto(a);
            return a.connections().get(0);
        }
    }
}
