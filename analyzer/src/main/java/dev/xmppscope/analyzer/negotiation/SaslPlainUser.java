package dev.xmppscope.analyzer.negotiation;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who a SASL PLAIN message (RFC 4616, base64 of {@code [authzid] NUL authcid NUL passwd})
 * authenticates as. The recorder masks only the password, so the username survives redaction;
 * a message masked whole (an older capture, a payload split across reads) names nobody.
 */
final class SaslPlainUser {
    private SaslPlainUser() {
    }

    /** "alice", or "alice for admin@a.example" with an authorization identity; null if unreadable. */
    static String of(String base64) {
        byte[] m;
        try {
            m = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
        int first = nul(m, 0);
        int second = first < 0 ? -1 : nul(m, first + 1);
        if (second <= first + 1) {
            return null;
        }
        String authcid = new String(m, first + 1, second - first - 1, StandardCharsets.UTF_8);
        return first == 0 ? authcid : authcid + " for " + new String(m, 0, first, StandardCharsets.UTF_8);
    }

    private static int nul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
