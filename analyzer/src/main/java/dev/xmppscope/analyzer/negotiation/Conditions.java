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
            Map.entry("not-authorized", "the peer is not authorized: it sent something before authenticating,"
                    + " or its authentication, a certificate or a dialback key, was refused"),
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

    /** RFC 6120 §8.3.3, as a developer reading a bounce needs it. */
    private static final Map<String, String> STANZA = Map.ofEntries(
            Map.entry("bad-request", "the request was malformed or not understood"),
            Map.entry("conflict", "a conflict: the resource, nickname or item is already in use"),
            Map.entry("feature-not-implemented", "the recipient does not implement what was asked"),
            Map.entry("forbidden", "the sender lacks the permission for this"),
            Map.entry("gone", "the recipient is no longer at this address"),
            Map.entry("internal-server-error", "the server hit an internal error"),
            Map.entry("item-not-found", "the addressed item (node, room, account) does not exist"),
            Map.entry("jid-malformed", "an address in it is not a valid JID"),
            Map.entry("not-acceptable", "the recipient does not accept it as it is (an empty body, a nickname not allowed, ...)"),
            Map.entry("not-allowed", "the recipient does not allow this action"),
            Map.entry("not-authorized", "the sender must authenticate, or is not authorized for this"),
            Map.entry("policy-violation", "a server policy was violated (size, rate or content)"),
            Map.entry("recipient-unavailable", "the recipient is temporarily unavailable"),
            Map.entry("redirect", "the recipient moved: send again to the address given"),
            Map.entry("registration-required", "the sender must register first (with the room or service)"),
            Map.entry("remote-server-not-found", "the recipient's server could not be found or reached (DNS, or the"
                    + " server-to-server connection failed)"),
            Map.entry("remote-server-timeout", "the recipient's server did not answer in time"),
            Map.entry("resource-constraint", "the server or recipient lacks the resources to handle it"),
            Map.entry("service-unavailable", "the recipient does not offer this service, or no resource of it could take"
                    + " the stanza (an IQ to a full JID that is offline)"),
            Map.entry("subscription-required", "the sender needs a presence subscription first"),
            Map.entry("undefined-condition", "no defined condition: its text or application-specific child says more"),
            Map.entry("unexpected-request", "the request came at the wrong time or out of order"));

    private Conditions() {
    }

    /**
     * What the error condition of an element of {@code kind} ({@code ElementKind}) means in plain
     * words, or null when it is not a defined one: a stream error's, a SASL failure's (whose
     * conditions share names with stanza errors but not their meaning), or a stanza's (stream
     * management's refusals carry stanza errors).
     */
    public static String meaning(String kind, String condition) {
        Map<String, String> table = kind == null ? null : switch (kind) {
            case "stream-error" -> STREAM;
            case "sasl" -> SASL;
            case "message", "presence", "iq", "sm" -> STANZA;
            default -> null;
        };
        return condition == null || table == null ? null : table.get(condition);
    }

    /** "not-authorized (wrong username or password ...)". */
    public static String sasl(String condition) {
        return said(SASL, condition);
    }

    public static String stream(String condition) {
        return said(STREAM, condition);
    }

    /** "item-not-found (the addressed item ... does not exist)". */
    public static String stanza(String condition) {
        return said(STANZA, condition);
    }

    private static String said(Map<String, String> table, String condition) {
        String words = table.get(condition);
        return words == null ? condition : condition + " (" + words + ")";
    }
}
