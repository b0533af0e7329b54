package dev.xmppscope.analyzer.graph;

import dev.xmppscope.analyzer.xmpp.Jid;

/**
 * Who is at either end of one stream, as far as the analyzer knows so far.
 *
 * @param connection the capture connection
 * @param kind       {@code c2s}, {@code s2s}, {@code component} or {@code unknown}
 * @param streamFrom the initiator's header {@code from}, or null
 * @param streamTo   the initiator's header {@code to}, or null
 * @param identity   bound full JID (c2s), "a→b" (s2s), component domain, or null
 * @param client     the TCP client's address (labels an unauthenticated client)
 * @param upstream   the server's address the stream went to (where its domain is served)
 * @param domainRefused the server refused the domain asked for ({@code host-unknown}): no server of that name is there
 * @param claimed    a c2s client's JID as its own words give it while {@code identity} is unknown (its login), or null
 * @param insideTls  the stream went on inside TLS xmppscope did not decrypt: who its parties are is out of sight,
 *                   not unknown because they never said it (a client's login happened there)
 */
public record StreamEndpoints(long connection, String kind, String streamFrom, String streamTo, String identity,
                              String client, String upstream, boolean domainRefused, String claimed, boolean insideTls) {

    /** Endpoints of a stream whose client claims no JID of its own. */
    public StreamEndpoints(long connection, String kind, String streamFrom, String streamTo, String identity, String client,
                           String upstream, boolean domainRefused) {
        this(connection, kind, streamFrom, streamTo, identity, client, upstream, domainRefused, null, false);
    }

    /** Endpoints of a stream whose domain was not refused, its upstream unknown (tests, imported captures). */
    public StreamEndpoints(long connection, String kind, String streamFrom, String streamTo, String identity, String client) {
        this(connection, kind, streamFrom, streamTo, identity, client, null, false);
    }

    /** The initiating server's domain of an s2s stream. */
    String s2sSource() {
        if (identity != null && identity.contains("→")) {
            return identity.substring(0, identity.indexOf('→'));
        }
        return streamFrom;
    }

    /** The receiving server's domain of an s2s stream. */
    String s2sTarget() {
        if (identity != null && identity.contains("→")) {
            return identity.substring(identity.indexOf('→') + 1);
        }
        return streamTo;
    }

    /** The domain a c2s client belongs to. */
    String c2sServer() {
        if (identity != null) {
            return Jid.parse(identity).domainKey();
        }
        return streamTo == null ? null : Jid.parse(streamTo).domainKey();
    }
}
