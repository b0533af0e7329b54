package dev.xmppscope.analyzer.negotiation;

import dev.xmppscope.capture.ClientHello;

/**
 * What a connection whose stream is inside TLS xmppscope did not decrypt is, told from what can
 * be read of it: the protocols its ClientHello offers (XEP-0368's ALPN names, {@code xmpp-client}
 * or {@code xmpp-server}), else the port it went to, and the server it asks for (SNI). A person
 * reading the capture would conclude as much at once; the connection is drawn and listed so, and
 * says it was inferred.
 *
 * @param kind   {@code c2s} or {@code s2s}
 * @param domain the receiving server's domain (SNI), or null when the client named none
 * @param reason how it was inferred, a phrase: "its ClientHello offers xmpp-client (ALPN)"
 */
public record TlsKindInference(String kind, String domain, String reason) {

    /**
     * The inference for a connection to {@code serverPort} whose ClientHello is {@code hello}
     * (null when none could be read); null when neither says anything.
     */
    public static TlsKindInference of(ClientHello hello, int serverPort) {
        String domain = hello == null ? null : hello.serverName();
        String named = domain == null ? "" : ", and its SNI names " + domain;
        boolean client = hello != null && hello.protocols().contains("xmpp-client");
        boolean server = hello != null && hello.protocols().contains("xmpp-server");
        if (client != server) {
            String protocol = client ? "xmpp-client" : "xmpp-server";
            return new TlsKindInference(client ? "c2s" : "s2s", domain, "its ClientHello offers " + protocol + " (ALPN)" + named);
        }
        String kind = switch (serverPort) {
            case 5222, 5223 -> "c2s";
            case 5269, 5270 -> "s2s";
            default -> null;
        };
        if (kind == null) {
            return null;
        }
        String port = switch (serverPort) {
            case 5223 -> "XEP-0368's Direct TLS port for clients";
            case 5270 -> "XEP-0368's Direct TLS port for servers";
            case 5222 -> "the port for clients";
            default -> "the port for servers";
        };
        return new TlsKindInference(kind, domain, "it went to port " + serverPort + ", " + port + named);
    }
}
