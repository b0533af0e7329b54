package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.SearchSupersededException;
import dev.xmppscope.analyzer.model.StanzaQuery;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The newest search each client has begun ({@link StanzaQuery.Search}), so that the searches it
 * replaced stop reading. Typing in the timeline's search box asks again at each pause, and on a
 * long capture the first searches each read the timeline for a second or more: they held the
 * threads that answer queries (two, in the analysis worker) while the one the page waited for
 * queued behind them.
 */
final class Searches {
    /** Clients remembered, the least recently searching forgotten first: a forgotten one's searches simply run on. */
    private static final int CLIENTS = 1024;

    /** Asks whether the search it belongs to was replaced; {@link #check} throws if so. */
    interface Checkpoint {
        Checkpoint NONE = () -> { };

        /** Throws {@link SearchSupersededException} once a newer search of the same client has begun. */
        void check();
    }

    private final Map<String, Long> newest = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > CLIENTS;
        }
    };

    /** Begins {@code search} (null: one nothing stops); its checkpoint throws once a newer one of its client begins. */
    Checkpoint begin(StanzaQuery.Search search) {
        if (search == null) {
            return Checkpoint.NONE;
        }
        synchronized (this) {
            newest.merge(search.client(), search.number(), Math::max);
        }
        Checkpoint checkpoint = () -> {
            long n = newestOf(search.client());
            if (n > search.number()) {
                throw new SearchSupersededException("search " + search + " was replaced by search " + search.client() + ":"
                        + n + " before it finished");
            }
        };
        checkpoint.check(); // a newer one may have arrived first
        return checkpoint;
    }

    private synchronized long newestOf(String client) {
        return newest.getOrDefault(client, Long.MIN_VALUE);
    }
}
