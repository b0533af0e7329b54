package dev.xmppscope.capture;

/** Things the proxy saw happen on a connection, besides bytes. */
public enum EventKind {
    /** The first bytes of a side were a TLS ClientHello (Direct TLS, XEP-0368). */
    DIRECT_TLS_DETECTED,
    /** The server answered {@code <proceed/>} to {@code <starttls/>}: TLS starts on the next byte. */
    STARTTLS_PROCEED,
    /** A TLS handshake completed on one side; detail names protocol and cipher suite. */
    TLS_ESTABLISHED,
    /** A TLS handshake failed on one side; detail says why. */
    TLS_FAILED,
    /** One side sent a TLS close_notify. */
    TLS_CLOSE_NOTIFY,
    /** One side half-closed its TCP connection (FIN) and the proxy propagated it. */
    HALF_CLOSED,
    /**
     * The proxy removed SASL channel-binding mechanisms ({@code -PLUS}, FAST's {@code HT-*-ENDP}
     * and the like) from the server's features, the one change it makes to a stream; detail lists them.
     */
    PLUS_MECHANISMS_STRIPPED,
    /**
     * The server's side ended while the proxy held back part of a features element (to strip
     * {@code -PLUS} mechanisms once complete); those bytes were relayed unchanged.
     */
    HELD_FEATURES_RELAYED,
    /** A secret was masked in the recorded bytes (the relay is untouched); detail says which kind. */
    SECRET_REDACTED,
    /** The recorder fell behind and dropped data from the store (the relay is untouched). */
    RECORDING_GAP,
    /**
     * When intercepting, the client presented a TLS certificate of its own (an s2s peer's, or a
     * client's for SASL EXTERNAL), which the proxy cannot pass on: it does not hold its key. Detail
     * names the certificate and what the server was shown instead (xmppscope's for the initiating
     * server's domain on s2s, none on c2s).
     */
    CLIENT_CERTIFICATE_WITHHELD,
    /**
     * A side's first TLS handshake record was a ClientHello, which says in the clear which server
     * the client asks for (SNI) and which protocols it offers (ALPN): all that can be known of a
     * stream whose TLS is not decrypted. Detail: {@link ClientHello#detail()}, read back by
     * {@link ClientHello#ofDetail}. (Added after the others: the analysis worker's feed sends kinds
     * by their place in this list.)
     */
    TLS_CLIENT_HELLO
}
