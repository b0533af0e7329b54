package dev.xmppscope.proxy.xmpp;

import java.nio.charset.StandardCharsets;

/** What the stream tests here share: a client's stream header, and text as the bytes on the wire. */
final class WireText {
    static final String CLIENT_HEADER = "<stream:stream to='a.example' xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";

    private WireText() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
