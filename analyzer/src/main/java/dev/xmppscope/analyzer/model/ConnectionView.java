package dev.xmppscope.analyzer.model;

/**
 * One proxied stream as the analyzer understands it.
 *
 * @param id          the capture connection id
 * @param route       the proxy route ({@code LISTEN=UPSTREAM})
 * @param kind        {@code c2s}, {@code s2s}, {@code component}, or {@code unknown} before the header is seen (or
 *                    inferred: see {@code kindInferred})
 * @param tls         {@code none}, {@code starttls-passthrough}, {@code starttls-intercepted},
 *                    {@code direct-tls-passthrough} or {@code direct-tls-intercepted}
 * @param client      the TCP client's address
 * @param server      the upstream's address
 * @param jid         the bound full JID (c2s), or the authenticated domain pair "a.example→b.example" (s2s)
 * @param streamFrom  {@code from} of the initiator's stream header
 * @param streamTo    {@code to} of the initiator's stream header
 * @param openedAt    epoch nanoseconds
 * @param closedAt    epoch nanoseconds, or null while open
 * @param closeReason the proxy's close reason ({@code CLIENT_CLOSED}, ...), or null while open
 * @param closeDetail the close reason in words
 * @param state       {@code negotiating}, {@code established}, {@code encrypted} (TLS passed through before
 *                    authentication: what follows is out of sight), {@code closed} or {@code error}
 * @param error       what went wrong in plain words (failed SASL, stream error, parse error), or null
 * @param warning     what may have gone wrong (credentials sent without TLS, stanzas stream management never saw
 *                    acknowledged, IQ requests never answered), or null
 * @param stanzaCount top-level elements seen in both directions
 * @param bytesIn     bytes received from the client (toServer), on the wire
 * @param bytesOut    bytes sent to the client (toClient), on the wire
 * @param kindInferred how {@code kind} was inferred where no stream header said it (TLS not decrypted: its
 *                    ClientHello's ALPN, the port; a capture begun mid-stream), a phrase; null when a header said it
 * @param claimedJid  a c2s client's JID as its own words give it (its login, the resource it asked for, the
 *                    {@code from} of what it sent) where the capture shows no bound JID; null when {@code jid} is known
 */
public record ConnectionView(long id, String route, String kind, String tls, String client, String server,
                             String jid, String streamFrom, String streamTo, long openedAt, Long closedAt,
                             String closeReason, String closeDetail, String state, String error, String warning,
                             long stanzaCount, long bytesIn, long bytesOut, String kindInferred, String claimedJid) {

    /** A stream whose client claims no JID of its own (or whose JID is known). */
    public ConnectionView(long id, String route, String kind, String tls, String client, String server,
                          String jid, String streamFrom, String streamTo, long openedAt, Long closedAt,
                          String closeReason, String closeDetail, String state, String error, String warning,
                          long stanzaCount, long bytesIn, long bytesOut, String kindInferred) {
        this(id, route, kind, tls, client, server, jid, streamFrom, streamTo, openedAt, closedAt, closeReason, closeDetail, state,
                error, warning, stanzaCount, bytesIn, bytesOut, kindInferred, null);
    }
}
