package dev.xmppscope.analyzer.negotiation;

import java.util.Map;

/** Error conditions (SASL, stream, stanza) in plain words. */
public final class Conditions {
    private static final Map<String, String> SASL = Map.ofEntries(
            Map.entry("not-authorized", "wrong username or password, or no such account"),
            Map.entry("account-disabled", "the account is disabled"),
            Map.entry("credentials-expired", "the password has expired"),
            Map.entry("encryption-required", "the server requires TLS before this mechanism"),
            Map.entry("invalid-mechanism", "the server does not support the chosen mechanism"),
            Map.entry("mechanism-too-weak", "the server considers the mechanism too weak"),
            Map.entry("temporary-auth-failure", "a temporary problem on the server; try again"),
            Map.entry("malformed-request", "the authentication request was malformed"),
            Map.entry("incorrect-encoding", "the client's base64 was invalid"),
            Map.entry("invalid-authzid", "the requested authorization identity is not allowed"),
            Map.entry("aborted", "the client aborted authentication"));

    private static final Map<String, String> STREAM = Map.ofEntries(
            Map.entry("host-unknown", "the server does not serve the domain in the stream header's 'to'"),
            Map.entry("improper-addressing", "the stream header lacks a 'to' or 'from'"),
            Map.entry("not-authorized", "something was sent before authentication"),
            Map.entry("not-well-formed", "the peer sent XML that is not well-formed"),
            Map.entry("invalid-namespace", "wrong stream namespace"),
            Map.entry("policy-violation", "a server policy was violated (often a stanza size limit or rate limit)"),
            Map.entry("connection-timeout", "the connection was idle too long"),
            Map.entry("conflict", "a new session with the same resource replaced this one"),
            Map.entry("system-shutdown", "the server is shutting down"),
            Map.entry("remote-connection-failed", "the server could not reach the remote domain"),
            Map.entry("restricted-xml", "the peer sent XML that XMPP forbids (comments, DTD, PIs)"),
            Map.entry("see-other-host", "the client should reconnect to another host"),
            Map.entry("unsupported-version", "unsupported stream version"),
            Map.entry("undefined-condition", "an error without a defined condition"),
            Map.entry("internal-server-error", "the server hit an internal error"),
            Map.entry("host-gone", "the domain is no longer served here"),
            Map.entry("bad-format", "the peer sent XML XMPP cannot process"),
            Map.entry("reset", "the server reset the stream (e.g. credentials changed)"),
            Map.entry("resource-constraint", "the server lacks resources for this stream"),
            Map.entry("unsupported-stanza-type", "the peer sent an element the server does not know"));

    private Conditions() {
    }

    /** "not-authorized (wrong username or password ...)". */
    public static String sasl(String condition) {
        String words = SASL.get(condition);
        return words == null ? condition : condition + " (" + words + ")";
    }

    public static String stream(String condition) {
        String words = STREAM.get(condition);
        return words == null ? condition : condition + " (" + words + ")";
    }
}
