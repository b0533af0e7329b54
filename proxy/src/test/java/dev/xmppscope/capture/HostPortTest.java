package dev.xmppscope.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HostPortTest {
    @Test
    void ipv6InBracketsAndShortAsUsersTypeIt() throws Exception {
        assertEquals("[::1]:5222", HostPort.of(InetAddress.getByName("::1"), 5222));
        assertEquals("[2001:db8::1:0:0:1]:5269", HostPort.of(new InetSocketAddress("2001:db8:0:0:1:0:0:1", 5269)));
    }

    @Test
    void ipv4AsIs() throws Exception {
        assertEquals("127.0.0.2:5222", HostPort.of(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 5222)));
    }

    @Test
    void anUnresolvedAddressKeepsItsName() {
        assertEquals("xmpp.example:5222", HostPort.of(InetSocketAddress.createUnresolved("xmpp.example", 5222)));
        assertEquals("[fe80::1]:5222", HostPort.of("fe80::1", 5222));
    }

    @Test
    void theHostOfWhatItWroteComesBack() {
        assertEquals("127.0.0.3", HostPort.hostOf("127.0.0.3:5269"));
        assertEquals("::1", HostPort.hostOf("[::1]:5269"));
        assertEquals("xmpp.example", HostPort.hostOf("xmpp.example:5222"));
        assertEquals("fe80::1", HostPort.hostOf("fe80::1"), "an IPv6 address without brackets has no port to take off");
        assertEquals(null, HostPort.hostOf(null));
    }
}
