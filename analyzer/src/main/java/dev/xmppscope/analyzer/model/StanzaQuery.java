package dev.xmppscope.analyzer.model;

/**
 * A timeline filter; null fields do not filter.
 *
 * @param text       free text, matched against the element's XML
 * @param jid        bare or full JID matched against from/to (bare matches every resource)
 * @param kind       {@link StanzaSummary#kind()}, one of {@link StanzaSummary#KINDS}
 * @param type       the type attribute
 * @param namespace  a namespace URI, or a XEP label/number ("XEP-0198", "0198")
 * @param id         the XMPP id attribute
 * @param connection only this connection
 * @param fromNanos  at or after (epoch nanoseconds)
 * @param untilNanos before (epoch nanoseconds)
 * @param cursor     null for the first page, a page's {@code next} or {@code previous} for the
 *                   page after or before it, or {@code latest} for the newest page
 * @param limit      page size, at most {@link #MAX_LIMIT}
 */
public record StanzaQuery(String text, String jid, String kind, String type, String namespace, String id,
                          Long connection, Long fromNanos, Long untilNanos, String cursor, int limit) {

    /** The largest page a query may ask for. */
    public static final int MAX_LIMIT = 2000;

    public StanzaQuery {
        // a misspelt kind ("msg") would otherwise match nothing and look like an empty capture
        if (kind != null && !StanzaSummary.KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown kind '" + kind + "': one of " + String.join(", ", StanzaSummary.KINDS));
        }
    }

    /** Whether it looks for something (any term), beyond a stream, a time range and a page. */
    public boolean searches() {
        return text != null || jid != null || kind != null || type != null || namespace != null || id != null;
    }

    public static StanzaQuery all(int limit) {
        return new StanzaQuery(null, null, null, null, null, null, null, null, null, null, limit);
    }
}
