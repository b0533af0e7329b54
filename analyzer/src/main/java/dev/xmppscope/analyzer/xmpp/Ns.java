package dev.xmppscope.analyzer.xmpp;

/** Namespace URIs the analyzer reasons about. */
public final class Ns {
    public static final String STREAMS = "http://etherx.jabber.org/streams";
    public static final String CLIENT = "jabber:client";
    public static final String SERVER = "jabber:server";
    public static final String COMPONENT = "jabber:component:accept";
    public static final String STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
    public static final String STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
    public static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    public static final String SASL2 = "urn:xmpp:sasl:2";
    public static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";
    public static final String BIND2 = "urn:xmpp:bind:0";
    public static final String SESSION = "urn:ietf:params:xml:ns:xmpp-session";
    public static final String SM3 = "urn:xmpp:sm:3";
    public static final String SM2 = "urn:xmpp:sm:2";
    public static final String CSI = "urn:xmpp:csi:0";
    public static final String DIALBACK = "jabber:server:dialback";
    /** XEP-0288: one s2s stream carries stanzas both ways. */
    public static final String BIDI = "urn:xmpp:bidi";
    public static final String DIALBACK_FEATURE = "urn:xmpp:features:dialback";
    public static final String IQ_AUTH = "jabber:iq:auth";
    public static final String REGISTER = "jabber:iq:register";
    public static final String DELAY = "urn:xmpp:delay";
    public static final String LEGACY_DELAY = "jabber:x:delay";
    public static final String SID = "urn:xmpp:sid:0";
    public static final String OCCUPANT_ID = "urn:xmpp:occupant-id:0";
    public static final String MUC = "http://jabber.org/protocol/muc";
    public static final String MUC_USER = "http://jabber.org/protocol/muc#user";
    public static final String DIRECT_INVITATION = "jabber:x:conference";
    public static final String CHATSTATES = "http://jabber.org/protocol/chatstates";
    public static final String RECEIPTS = "urn:xmpp:receipts";
    public static final String CARBONS = "urn:xmpp:carbons:2";
    public static final String FORWARD = "urn:xmpp:forward:0";
    /** Message Archive Management (XEP-0313), every version: {@code urn:xmpp:mam:0}, {@code :1}, {@code :2}. */
    public static final String MAM_PREFIX = "urn:xmpp:mam:";
    public static final String PING = "urn:xmpp:ping";

    private Ns() {
    }

    public static boolean isStanzaNamespace(String ns) {
        return CLIENT.equals(ns) || SERVER.equals(ns) || COMPONENT.equals(ns);
    }

    public static boolean isSm(String ns) {
        return SM3.equals(ns) || SM2.equals(ns);
    }
}
