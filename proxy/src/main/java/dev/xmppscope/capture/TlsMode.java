package dev.xmppscope.capture;

import java.util.Locale;

/** What the proxy does when a connection turns to TLS (STARTTLS or Direct TLS). */
public enum TlsMode {
    /** Relay the encrypted bytes untouched; record the negotiation before TLS and byte counts after. */
    PASSTHROUGH,
    /** Terminate TLS on both sides with xmppscope's CA and record the plaintext inside. */
    INTERCEPT;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TlsMode ofCliName(String name) {
        for (TlsMode m : values()) {
            if (m.cliName().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown TLS mode '" + name + "' (expected passthrough or intercept)");
    }
}
