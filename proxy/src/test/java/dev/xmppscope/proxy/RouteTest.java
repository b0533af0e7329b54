package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.TlsMode;
import org.junit.jupiter.api.Test;

class RouteTest {
    @Test
    void listenEqualsUpstreamWithTheDefaultMode() {
        Route r = Route.parse("127.0.0.1:5222=127.0.0.2:5222", TlsMode.PASSTHROUGH);
        assertEquals("127.0.0.1:5222=127.0.0.2:5222", r.spec());
        assertEquals(5222, r.listen().getPort());
        assertEquals("127.0.0.2", r.upstream().getAddress().getHostAddress());
        assertEquals(TlsMode.PASSTHROUGH, r.tlsMode());
    }

    @Test
    void aRouteMayNameItsOwnTlsModeAndIpv6NeedsBrackets() {
        Route r = Route.parse("[::1]:5269=127.0.0.3:5269,tls=intercept", TlsMode.PASSTHROUGH);
        assertEquals(TlsMode.INTERCEPT, r.tlsMode());
        assertEquals(5269, r.listen().getPort());
    }

    @Test
    void mistakesGetMessagesThatSayWhatIsExpected() {
        assertMessage("127.0.0.1:5222", "must look like LISTEN=UPSTREAM");
        assertMessage("127.0.0.1=127.0.0.2:5222", "must be HOST:PORT");
        assertMessage("127.0.0.1:5222=127.0.0.2:x", "is not a number");
        assertMessage("127.0.0.1:5222=127.0.0.2:70000", "outside 0..65535");
        assertMessage("127.0.0.1:5222=127.0.0.2:5222,tls=sometimes", "expected passthrough or intercept");
        assertMessage("127.0.0.1:5222=127.0.0.2:5222,speed=fast", "unknown option");
    }

    @Test
    void aRouteThatRelaysIntoTheProxyItselfIsRefused() {
        for (String[] loop : new String[][] {{"127.0.0.1:5230=127.0.0.1:5230"},
                {"127.0.0.1:5222=127.0.0.2:5222", "127.0.0.2:5269=127.0.0.1:5222"}, {"0.0.0.0:5222=127.0.0.1:5222"}}) {
            var routes = java.util.Arrays.stream(loop).map(r -> Route.parse(r, TlsMode.PASSTHROUGH)).toList();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Route.refuseLoops(routes));
            assertTrue(e.getMessage().contains("relays to where xmppscope itself listens"), e.getMessage());
        }
        Route.refuseLoops(java.util.List.of(Route.parse("127.0.0.1:5222=127.0.0.2:5222", TlsMode.PASSTHROUGH),
                Route.parse("127.0.0.1:5269=127.0.0.3:5269", TlsMode.PASSTHROUGH), Route.parse("127.0.0.4:5222=127.0.0.2:5222",
                        TlsMode.PASSTHROUGH)));
    }

    private static void assertMessage(String spec, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Route.parse(spec, TlsMode.PASSTHROUGH));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(spec.split(",")[0]), e.getMessage());
    }
}
