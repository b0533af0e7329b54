package dev.xmppscope.proxy.xmpp;

/**
 * Watches the cleartext start of one connection for the moment it turns to TLS (sans-io):
 * either the client's first byte is a TLS handshake record (Direct TLS, XEP-0368), or the client
 * asked {@code <starttls/>} and the server answered {@code <proceed/>} (RFC 6120 §5.4.2.3), in
 * which case TLS starts on the byte after the proceed element. Also remembers the {@code to} of
 * the client's latest stream header: the domain an intercepting proxy must impersonate.
 *
 * <p>{@code <starttls/>} can only follow the stream features at the start of a stream, so once
 * the negotiation is past that point (SASL succeeded, or a first stanza went either way) the
 * detector stops looking at bytes at all: a relayed stream costs it nothing after its first
 * stanza, and a {@code <starttls/>} appearing later is not acted on.
 */
public final class StartTlsDetector {
    public static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    /** A TLS record of type handshake starts with this byte; no XMPP stream can (it starts with '<' or whitespace). */
    public static final int TLS_HANDSHAKE_RECORD = 0x16;

    private final XmlStreamTracker client = new XmlStreamTracker();
    private final XmlStreamTracker server = new XmlStreamTracker();
    private boolean sawFirstClientByte;
    private boolean starttlsRequested;
    private String streamTo;
    private String streamFrom;
    private boolean serverToServer;
    private long proceedEnd = -1;
    private boolean pendingProceed;
    private boolean negotiationOver;

    /** What the client's bytes mean. */
    public enum ClientVerdict {
        /** Keep relaying cleartext. */
        CLEARTEXT,
        /** The connection is Direct TLS from its first byte. */
        DIRECT_TLS
    }

    /** Feeds client→server cleartext. */
    public ClientVerdict clientBytes(byte[] bytes, int from, int to) {
        if (!sawFirstClientByte && to > from) {
            sawFirstClientByte = true;
            if ((bytes[from] & 0xff) == TLS_HANDSHAKE_RECORD) {
                return ClientVerdict.DIRECT_TLS;
            }
        }
        if (negotiationOver) {
            return ClientVerdict.CLEARTEXT;
        }
        client.feed(bytes, from, to, tag -> {
            if (tag.isStreamHeader()) {
                streamTo = tag.attribute("to");
                streamFrom = tag.attribute("from");
                serverToServer = "jabber:server".equals(tag.attribute("xmlns"));
            } else if (tag.depth() == 1 && tag.kind() != XmlStreamTracker.TagKind.END && tag.is("starttls", TLS_NS)) {
                starttlsRequested = true;
            } else {
                watchForTheEnd(tag);
            }
        });
        return ClientVerdict.CLEARTEXT;
    }

    /**
     * Feeds server→client cleartext. Returns the index in {@code bytes} right after a
     * {@code <proceed/>} answering the client's {@code <starttls/>} (TLS starts there), or -1.
     */
    public int serverBytes(byte[] bytes, int from, int to) {
        if (negotiationOver) {
            return -1;
        }
        long base = server.offset();
        proceedEnd = -1;
        server.feed(bytes, from, to, tag -> {
            if (proceedEnd < 0 && starttlsRequested && tag.depth() == 1 && tag.is("proceed", TLS_NS)
                    && tag.kind() != XmlStreamTracker.TagKind.START) {
                proceedEnd = tag.end();
            } else if (proceedEnd < 0 && starttlsRequested && tag.kind() == XmlStreamTracker.TagKind.START
                    && tag.depth() == 1 && tag.is("proceed", TLS_NS)) {
                // <proceed ...></proceed>: TLS starts after the end tag, reported below
                pendingProceed = true;
            } else if (pendingProceed && tag.kind() == XmlStreamTracker.TagKind.END && tag.depth() == 1) {
                pendingProceed = false;
                proceedEnd = tag.end();
            } else if (proceedEnd < 0) {
                watchForTheEnd(tag);
            }
        });
        return proceedEnd < 0 ? -1 : (int) (from + (proceedEnd - base));
    }

    /**
     * Ends the watch at the first top-level stanza in either direction, or at SASL success
     * (after which the stream restarts without TLS): no {@code <starttls/>} can follow either.
     */
    private void watchForTheEnd(XmlStreamTracker.Tag tag) {
        if (tag.depth() != 1 || tag.kind() == XmlStreamTracker.TagKind.END) {
            return;
        }
        String local = tag.localName();
        boolean stanza = local.equals("message") || local.equals("presence") || local.equals("iq");
        boolean saslSuccess = local.equals("success")
                && (SecretRedactor.SASL_NS.equals(tag.namespace()) || SecretRedactor.SASL2_NS.equals(tag.namespace()));
        if (stanza || saslSuccess) {
            negotiationOver = true;
            client.halt();
            server.halt();
        }
    }

    /** Whether the stream is past the point where {@code <starttls/>} could come, so bytes are no longer examined. */
    public boolean negotiationOver() {
        return negotiationOver;
    }

    /** Whether the client has sent {@code <starttls/>}. */
    public boolean starttlsRequested() {
        return starttlsRequested;
    }

    /** The {@code from} of the client's latest stream header (the initiating server on s2s), or null. */
    public String streamFrom() {
        return streamFrom;
    }

    /** Whether the client's stream is server-to-server ({@code jabber:server}). */
    public boolean serverToServer() {
        return serverToServer;
    }

    /** The {@code to} of the client's latest stream header, or null. */
    public String streamTo() {
        return streamTo;
    }
}
