package dev.xmppscope.capture;

/** Which layer of a connection a recorded chunk's bytes come from. */
public enum TlsLayer {
    /** Cleartext on the TCP connection itself, before any TLS. */
    PLAIN(0),
    /** Plaintext recovered inside TLS by interception (STARTTLS or Direct TLS). */
    DECRYPTED(1),
    /** TLS records relayed without decryption: only their length is kept, never the bytes. */
    ENCRYPTED(2);

    private final int code;

    TlsLayer(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** True when the chunk's bytes are XMPP as the peers wrote it (plain or decrypted). */
    public boolean isXml() {
        return this != ENCRYPTED;
    }

    public static TlsLayer ofCode(int code) {
        for (TlsLayer l : values()) {
            if (l.code == code) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown TLS layer code " + code);
    }
}
