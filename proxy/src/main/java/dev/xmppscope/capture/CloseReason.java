package dev.xmppscope.capture;

/** Why a proxied connection ended, as the proxy saw it. */
public enum CloseReason {
    /** The client closed its side (FIN) and the proxy closed the upstream after flushing. */
    CLIENT_CLOSED,
    /** The server closed its side and the proxy closed the client after flushing. */
    SERVER_CLOSED,
    /** The client reset the connection (RST) or it failed with an I/O error. */
    CLIENT_RESET,
    /** The server reset the connection or it failed with an I/O error. */
    SERVER_RESET,
    /** The upstream refused the connection or could not be reached. */
    UPSTREAM_UNREACHABLE,
    /** A TLS handshake with either side failed (e.g. the upstream certificate was not trusted). */
    TLS_FAILED,
    /** The proxy shut down while the connection was open. */
    PROXY_SHUTDOWN,
    /** The proxy hit an internal error on this connection. */
    PROXY_ERROR,
    /** The capture ended (a crash or kill) before the connection was seen to close. */
    UNKNOWN
}
