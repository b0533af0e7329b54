package dev.xmppscope.analyzer;

import dev.xmppscope.capture.CloseReason;

/**
 * A small federation as Prosody 0.12 and Smack 4.4 speak it (plaintext, so every byte is
 * visible): alice@a.example/phone sends bob@b.example a message and pings bob's laptop; the
 * message and ping cross a.example → b.example (dialback-authenticated, with b's back-connection
 * for db:verify, which b then uses for its own traffic); mallory fails to log in.
 * Connections: 1 alice c2s, 2 s2s a→b, 3 s2s b→a, 4 bob c2s, 5 mallory c2s.
 */
final class FederationFixture {
    static final String STREAM_NS = " xmlns:stream='http://etherx.jabber.org/streams'";

    static String clientHeader(String to, String from) {
        return "<?xml version='1.0' encoding='UTF-8'?><stream:stream xmlns='jabber:client' to='" + to + "'" + STREAM_NS
                + " version='1.0' from='" + from + "' xml:lang='en'>";
    }

    static String serverHeader(String from, String id) {
        return "<?xml version='1.0'?><stream:stream" + STREAM_NS + " xml:lang='en' id='" + id + "' from='" + from
                + "' version='1.0' xmlns='jabber:client'>";
    }

    static final String PRE_AUTH_FEATURES = "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
            + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism>"
            + "<mechanism>PLAIN</mechanism></mechanisms></stream:features>";
    static final String POST_AUTH_FEATURES = "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><required/></bind>"
            + "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session><sm xmlns='urn:xmpp:sm:3'/>"
            + "<csi xmlns='urn:xmpp:csi:0'/></stream:features>";

    static String s2sHeader(String from, String to, String id) {
        return "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:db='jabber:server:dialback'" + STREAM_NS
                + " from='" + from + "' to='" + to + "' version='1.0'" + (id == null ? "" : " id='" + id + "'") + ">";
    }

    static final String MESSAGE_C2S = "<message to='bob@b.example' id='m1' type='chat'><body>hello bob \u00e9\uD83D\uDE00</body>"
            + "<active xmlns='http://jabber.org/protocol/chatstates'/></message>";
    static final String MESSAGE_S2S = "<message from='alice@a.example/phone' to='bob@b.example' xml:lang='en' type='chat' id='m1'>"
            + "<body>hello bob \u00e9\uD83D\uDE00</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>";
    static final String MESSAGE_TO_BOB = "<message from='alice@a.example/phone' to='bob@b.example' xml:lang='en' type='chat' id='m1'>"
            + "<body>hello bob \u00e9\uD83D\uDE00</body><active xmlns='http://jabber.org/protocol/chatstates'/>"
            + "<stanza-id xmlns='urn:xmpp:sid:0' by='bob@b.example' id='Zk9'/></message>";
    static final String PING = "<iq to='bob@b.example/laptop' id='ping1' type='get'><ping xmlns='urn:xmpp:ping'/></iq>";
    static final String PING_FWD = "<iq from='alice@a.example/phone' to='bob@b.example/laptop' id='ping1' type='get'>"
            + "<ping xmlns='urn:xmpp:ping'/></iq>";
    static final String PONG_C2S = "<iq to='alice@a.example/phone' id='ping1' type='result'/>";
    static final String PONG_FWD = "<iq from='bob@b.example/laptop' to='alice@a.example/phone' id='ping1' type='result'/>";

    static CaptureScript script() {
        CaptureScript s = new CaptureScript();
        // alice logs in
        s.open(1, 0, "127.0.0.12:5222=127.0.0.2:5222", "127.0.0.1:40001")
                .toServer(1, 1, clientHeader("a.example", "alice@a.example"))
                .toClient(1, 2, serverHeader("a.example", "c2s-a1") + PRE_AUTH_FEATURES)
                .toServer(1, 3, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>****************</auth>")
                .toClient(1, 4, "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")
                .toServer(1, 5, clientHeader("a.example", "alice@a.example"))
                .toClient(1, 6, serverHeader("a.example", "c2s-a2") + POST_AUTH_FEATURES)
                .toServer(1, 7, "<iq id='b1' type='set'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>phone</resource></bind></iq>")
                .toClient(1, 8, "<iq id='b1' type='result'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@a.example/phone</jid></bind></iq>");
        // bob logs in
        s.open(4, 9, "127.0.0.13:5222=127.0.0.3:5222", "127.0.0.1:40002")
                .toServer(4, 10, clientHeader("b.example", "bob@b.example"))
                .toClient(4, 11, serverHeader("b.example", "c2s-b1") + PRE_AUTH_FEATURES)
                .toServer(4, 12, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>**************</auth>")
                .toClient(4, 13, "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")
                .toServer(4, 14, clientHeader("b.example", "bob@b.example"))
                .toClient(4, 15, serverHeader("b.example", "c2s-b2") + POST_AUTH_FEATURES)
                .toServer(4, 16, "<iq id='b2' type='set'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>laptop</resource></bind></iq>")
                .toClient(4, 17, "<iq id='b2' type='result'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>bob@b.example/laptop</jid></bind></iq>");
        // alice writes; a.example opens s2s to b.example, dialback via b's back-connection
        s.toServer(1, 20, MESSAGE_C2S)
                .open(2, 21, "127.0.0.13:5269=127.0.0.3:5269", "127.0.0.1:40003")
                .toServer(2, 22, s2sHeader("a.example", "b.example", null))
                .toClient(2, 23, s2sHeader("b.example", "a.example", "s2s-b1")
                        + "<stream:features><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>")
                .toServer(2, 24, "<db:result from='a.example' to='b.example'>0e1a5c</db:result>")
                .open(3, 25, "127.0.0.12:5269=127.0.0.2:5269", "127.0.0.1:40004")
                .toServer(3, 26, s2sHeader("b.example", "a.example", null))
                .toClient(3, 27, s2sHeader("a.example", "b.example", "s2s-a1")
                        + "<stream:features><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>")
                .toServer(3, 28, "<db:verify from='b.example' to='a.example' id='s2s-b1'>0e1a5c</db:verify>")
                .toClient(3, 29, "<db:verify from='a.example' to='b.example' id='s2s-b1' type='valid'/>")
                .toClient(2, 30, "<db:result from='b.example' to='a.example' type='valid'/>")
                .toServer(2, 31, MESSAGE_S2S)
                .toClient(4, 33, MESSAGE_TO_BOB)
                // alice pings bob's laptop across the servers; the answer comes back on b's own stream
                .toServer(1, 40, PING)
                .toServer(2, 41, PING_FWD)
                .toClient(4, 42, PING_FWD)
                .toServer(4, 43, PONG_C2S)
                .toServer(3, 44, "<db:result from='b.example' to='a.example'>77aa</db:result>")
                .toClient(3, 45, "<db:result from='a.example' to='b.example' type='valid'/>")
                .toServer(3, 46, PONG_FWD)
                .toClient(1, 47, PONG_FWD)
                // an IQ to the server that never gets an answer
                .toServer(1, 48, "<iq id='lost1' type='get'><query xmlns='jabber:iq:version'/></iq>");
        // mallory types the wrong password
        s.open(5, 50, "127.0.0.12:5222=127.0.0.2:5222", "127.0.0.1:40005")
                .toServer(5, 51, clientHeader("a.example", "mallory@a.example"))
                .toClient(5, 52, serverHeader("a.example", "c2s-m1") + PRE_AUTH_FEATURES)
                .toServer(5, 53, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>********</auth>")
                .toClient(5, 54, "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>")
                .toServer(5, 55, "</stream:stream>")
                .toClient(5, 56, "</stream:stream>")
                .close(5, 57, CloseReason.CLIENT_CLOSED);
        // alice leaves
        s.toServer(1, 60, "</stream:stream>")
                .toClient(1, 61.5, "</stream:stream>")
                .close(1, 62, CloseReason.CLIENT_CLOSED);
        return s;
    }

    private FederationFixture() {
    }
}
