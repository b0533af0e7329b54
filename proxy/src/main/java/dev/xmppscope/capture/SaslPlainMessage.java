package dev.xmppscope.capture;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A SASL PLAIN message (RFC 4616): base64 of {@code [authzid] NUL authcid NUL passwd}. The
 * recorder stores it with only the password masked, which keeps who tried to log in; the
 * analyzer reads the username back from what was stored.
 */
public final class SaslPlainMessage {
    private final byte[] message;
    private final int firstNul;
    private final int secondNul;

    private SaslPlainMessage(byte[] message, int firstNul, int secondNul) {
        this.message = message;
        this.firstNul = firstNul;
        this.secondNul = secondNul;
    }

    /** The message whose canonical base64 is {@code base64}, or null if that is not a PLAIN message. */
    public static SaslPlainMessage decode(byte[] base64) {
        byte[] m;
        try {
            m = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int first = indexOfNul(m, 0);
        int second = first < 0 ? -1 : indexOfNul(m, first + 1);
        return second < 0 ? null : new SaslPlainMessage(m, first, second);
    }

    /** Who authenticates (empty if the message names nobody). */
    public String authcid() {
        return new String(message, firstNul + 1, secondNul - firstNul - 1, StandardCharsets.UTF_8);
    }

    /** On whose behalf (empty for oneself). */
    public String authzid() {
        return new String(message, 0, firstNul, StandardCharsets.UTF_8);
    }

    /** Whether the password is as {@link #withPasswordMasked} leaves it: all {@code '*'}. */
    public boolean passwordMasked() {
        for (int i = secondNul + 1; i < message.length; i++) {
            if (message[i] != '*') {
                return false;
            }
        }
        return message.length > secondNul + 1;
    }

    /** The base64 of this message with every password byte replaced by {@code '*'}. */
    public byte[] withPasswordMasked() {
        byte[] masked = message.clone();
        Arrays.fill(masked, secondNul + 1, masked.length, (byte) '*');
        return Base64.getEncoder().encode(masked);
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
