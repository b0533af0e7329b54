package dev.xmppscope.proxy.xmpp;

/**
 * Watches the cleartext start of one connection for the moment it turns to TLS (sans-io):
 * either the client's first byte is a TLS handshake record (Direct TLS, XEP-0368), or the client
 * asked {@code <starttls/>} and the server answered {@code <proceed/>} (RFC 6120 §5.4.2.3), in
 * which case TLS starts on the byte after the proceed element. Also remembers the {@code to} of
 * the client's latest stream header: the domain an intercepting proxy must impersonate.
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
        client.feed(bytes, from, to, tag -> {
            if (tag.isStreamHeader()) {
                streamTo = tag.attribute("to");
                streamFrom = tag.attribute("from");
                serverToServer = "jabber:server".equals(tag.attribute("xmlns"));
            } else if (tag.depth() == 1 && tag.kind() != XmlStreamTracker.TagKind.END && tag.is("starttls", TLS_NS)) {
                starttlsRequested = true;
            }
        });
        return ClientVerdict.CLEARTEXT;
    }

    /**
     * Feeds server→client cleartext. Returns the index in {@code bytes} right after a
     * {@code <proceed/>} answering the client's {@code <starttls/>} (TLS starts there), or -1.
     */
    public int serverBytes(byte[] bytes, int from, int to) {
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
            }
        });
        return proceedEnd < 0 ? -1 : (int) (from + (proceedEnd - base));
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
