package dev.xmppscope.proxy.xmpp;

import java.util.Arrays;
import java.util.Base64;

/**
 * SASL PLAIN's message (RFC 4616): base64 of {@code [authzid] NUL authcid NUL passwd}. Masking
 * only the password keeps who tried to log in, which is what someone debugging a failed
 * authentication looks for first.
 */
final class SaslPlain {
    private static final byte MASK = '*';

    private SaslPlain() {
    }

    /**
     * The base64 text {@code bytes[from, to)} re-encoded with every password byte replaced by
     * {@code '*'}: as long as the original, so stored offsets stay true. Null when the text is
     * not canonical base64 of a PLAIN message; the caller then masks all of it.
     */
    static byte[] maskPassword(byte[] bytes, int from, int to) {
        byte[] text = Arrays.copyOfRange(bytes, from, to);
        byte[] message;
        try {
            message = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int first = indexOfNul(message, 0);
        int second = first < 0 ? -1 : indexOfNul(message, first + 1);
        if (second < 0) {
            return null;
        }
        Arrays.fill(message, second + 1, message.length, MASK);
        byte[] masked = Base64.getEncoder().encode(message);
        return masked.length == text.length ? masked : null;
    }

    private static int indexOfNul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
