package dev.xmppscope.analyzer.negotiation;

import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.capture.SaslPlainMessage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who a c2s client says it is before (or without) a bound JID the capture shows: the capture of
 * one direction only, or one that ends before the server's answer, still holds the client's
 * login and bind request, and the {@code from} of what it sends.
 */
final class ClaimedClient {
    /** The full JID a stanza the client sent came from (its server checks it against the bound one), or null. */
    private String sentFrom;
    /** The login's JID: the authorization identity, or the username at the stream's domain; null if unknown. */
    private String authzid;
    private String username;

    /** The {@code from} of a stanza the client sent. */
    void sent(String from) {
        if (sentFrom == null && from != null) {
            Jid jid = Jid.parse(from);
            if (jid.isValid() && jid.hasResource()) {
                sentFrom = from;
            }
        }
    }

    /** A SASL {@code <auth>} the client sent: PLAIN and SCRAM name the user in the clear (a masked password keeps it). */
    void login(String mechanism, String initialResponse) {
        String m = mechanism.toUpperCase(java.util.Locale.ROOT);
        if (m.equals("PLAIN")) {
            SaslPlainMessage plain = SaslPlainMessage.decode(initialResponse.strip().getBytes(StandardCharsets.US_ASCII));
            if (plain != null && !plain.authcid().isEmpty()) {
                username = plain.authcid();
                authzid = plain.authzid().isEmpty() ? null : plain.authzid();
            }
        } else if (m.startsWith("SCRAM-")) {
            scramClientFirst(initialResponse.strip());
        }
    }

    /** "n,a=authzid,n=user,r=nonce" (RFC 5802): the GS2 header's authzid and the username, '=2C' and '=3D' escaped. */
    private void scramClientFirst(String base64) {
        String first;
        try {
            first = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return; // not base64: nothing said
        }
        String[] parts = first.split(",", -1);
        if (parts.length < 4 || !parts[2].startsWith("n=")) {
            return;
        }
        username = unescape(parts[2].substring(2));
        authzid = parts[1].startsWith("a=") ? unescape(parts[1].substring(2)) : null;
    }

    private static String unescape(String saslName) {
        return saslName.replace("=2C", ",").replace("=3D", "=");
    }

    /**
     * "alice@a.example/laptop": the JID the client's own words give it, for naming a client whose
     * bound JID the capture lacks, or null. A stanza's {@code from} is that JID; a login names the
     * account, and the resource the bind request asked for (which the server may not have granted).
     */
    String jid(String streamTo, String requestedResource) {
        if (sentFrom != null) {
            return sentFrom;
        }
        String account = authzid != null ? authzid : username == null || streamTo == null ? null
                : username.contains("@") ? username : username + "@" + streamTo;
        if (account == null || !Jid.parse(account).isValid()) {
            return null;
        }
        return requestedResource == null || Jid.parse(account).hasResource() ? account : account + "/" + requestedResource;
    }
}
