package dev.xmppscope.analyzer.model;

import java.util.regex.Pattern;

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
 * @param search     which search of which client this is, so that a newer one stops it ({@link Search}), or null
 */
public record StanzaQuery(String text, String jid, String kind, String type, String namespace, String id,
                          Long connection, Long fromNanos, Long untilNanos, String cursor, int limit, Search search) {

    /** The largest page a query may ask for. */
    public static final int MAX_LIMIT = 2000;

    public StanzaQuery {
        // a misspelt kind ("msg") would otherwise match nothing and look like an empty capture
        if (kind != null && !StanzaSummary.KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown kind '" + kind + "': one of " + String.join(", ", StanzaSummary.KINDS));
        }
    }

    /** A query that no newer one stops. */
    public StanzaQuery(String text, String jid, String kind, String type, String namespace, String id,
                       Long connection, Long fromNanos, Long untilNanos, String cursor, int limit) {
        this(text, jid, kind, type, namespace, id, connection, fromNanos, untilNanos, cursor, limit, null);
    }

    /** Whether it looks for something (any term), beyond a stream, a time range and a page. */
    public boolean searches() {
        return text != null || jid != null || kind != null || type != null || namespace != null || id != null;
    }

    public static StanzaQuery all(int limit) {
        return new StanzaQuery(null, null, null, null, null, null, null, null, null, null, limit);
    }

    /**
     * Search {@code number} of {@code client} (a browser tab, say): once a search of the same
     * client with a higher number has begun, this one is of no use to it, and stops reading
     * ({@link SearchSupersededException}) instead of holding a thread for as long as a scan of the
     * capture takes. Searches with the same number (a page and the next) do not stop each other.
     */
    public record Search(String client, long number) {
        private static final Pattern CLIENT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

        public Search {
            if (client == null || !CLIENT.matcher(client).matches() || number < 0) {
                throw new IllegalArgumentException("a search is CLIENT:N (CLIENT 1-64 letters, digits, '-' or '_';"
                        + " N a whole number, higher for each newer search), not '" + client + ":" + number + "'");
            }
        }

        /** {@code CLIENT:N}, as the web API takes it. */
        public static Search parse(String s) {
            int colon = s.lastIndexOf(':');
            try {
                return new Search(s.substring(0, Math.max(0, colon)), Long.parseLong(s.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a search is CLIENT:N (N a whole number), not '" + s + "'", e);
            }
        }

        @Override
        public String toString() {
            return client + ":" + number;
        }
    }
}
