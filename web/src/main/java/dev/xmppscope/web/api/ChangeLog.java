package dev.xmppscope.web.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * When each item of a collection the API serves (streams, graph nodes, graph edges) last changed,
 * found by comparing what it is now with what it was at the last look, so that a page following an
 * analysis can ask for what changed since its last poll instead of everything again: with tens of
 * thousands of streams that was megabytes every two seconds. The model keeps no such record; one
 * look costs a comparison per item, which the API's answer built anyway. Not thread-safe: its
 * owner looks under one lock.
 *
 * @param <K> what identifies an item
 * @param <V> an item: a value, equal to its earlier self when nothing in it changed
 */
final class ChangeLog<K, V> {
    private record Seen<V>(V value, long version) {
    }

    private final Function<V, K> key;
    private final Map<K, Seen<V>> items = new HashMap<>();
    /** The items gone since they were seen, and when they went. */
    private final Map<K, Long> removed = new HashMap<>();

    ChangeLog(Function<V, K> key) {
        this.key = key;
    }

    /**
     * Notes {@code now} as it is at {@code version} (greater than at any look before), and returns
     * those of its items that came or changed after {@code since}, in their order in {@code now}.
     */
    List<V> look(Collection<V> now, long version, long since) {
        Set<K> present = new HashSet<>();
        List<V> changed = new ArrayList<>();
        for (V v : now) {
            K k = key.apply(v);
            present.add(k);
            Seen<V> before = items.get(k);
            if (before == null || !before.value().equals(v)) {
                before = new Seen<>(v, version);
                items.put(k, before);
                removed.remove(k);
            }
            if (before.version() > since) {
                changed.add(v);
            }
        }
        items.keySet().removeIf(k -> {
            boolean gone = !present.contains(k);
            if (gone) {
                removed.put(k, version);
            }
            return gone;
        });
        return changed;
    }

    /** What went after {@code since}, as of the last {@link #look}. */
    List<K> removedSince(long since) {
        return removed.entrySet().stream().filter(e -> e.getValue() > since).map(Map.Entry::getKey).toList();
    }

    /** A look for changes: its version, and the version it answers what changed after. */
    record Look(long since, long version) {
    }

    /** The versions of one API's looks, which its change logs share; its owner's lock guards it too. */
    static final class Versions {
        private long last;

        /**
         * The next look, for a client that asks what changed after {@code asked}: 0 for everything; a
         * version past the last one given (from before a restart) reads as 0 too.
         */
        Look next(long asked) {
            if (asked < 0) {
                throw new IllegalArgumentException("changedSince must be 0 or a version an earlier answer gave, not " + asked);
            }
            return new Look(asked > last ? 0 : asked, ++last);
        }
    }
}
