package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.model.StanzaSummary;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pairs IQ requests (get/set) with their answer (result/error) and measures the round trip.
 * On a c2s stream the answer comes back on the same connection in the other direction; between
 * servers it may come back on the reverse s2s stream, so there the pair is found by id and the
 * two domains swapped. Sans-io.
 */
public final class IqPairing {

    /** What is known about one IQ. */
    public record IqInfo(String partner, Long rttNanos, boolean request, long at, long connection) {
    }

    /** Requests awaiting an answer; beyond this many the oldest count as unanswered (memory stays bounded). */
    static final int MAX_PENDING = 100_000;

    private final Map<String, Pending> pending = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pending> eldest) {
            if (size() <= MAX_PENDING) {
                return false;
            }
            forgetOn(eldest.getValue().connection, eldest.getKey());
            return true;
        }
    };
    /** The requests in {@link #pending} by the connection they were sent on, oldest first: key → ref. */
    private final Map<Long, LinkedHashMap<String, String>> pendingOn = new HashMap<>();
    private final IqLedger info;

    public IqPairing() {
        this(IqLedger.inMemory());
    }

    public IqPairing(IqLedger ledger) {
        this.info = ledger;
    }

    private record Pending(String ref, long at, long connection, boolean toServer) {
    }

    /**
     * @param scope   "c2s:CONN" for a c2s stream, or "s2s" between servers
     * @param fromKey the sender side (c2s: unused; s2s: sending domain)
     * @param toKey   the receiving side (s2s: receiving domain)
     * @return the request's ref when this answer completed a pair
     */
    public Optional<String> observe(String ref, long connection, boolean toServer, long at, String type, String id,
                                    String scope, String fromKey, String toKey) {
        if (id == null || type == null) {
            return Optional.empty();
        }
        boolean c2s = scope.startsWith("c2s");
        if (type.equals("get") || type.equals("set")) {
            String key = c2s ? scope + "|" + toServer + "|" + id : scope + "|" + fromKey + "|" + toKey + "|" + id;
            Pending replaced = pending.put(key, new Pending(ref, at, connection, toServer));
            if (replaced != null) {
                forgetOn(replaced.connection, key);
            }
            pendingOn.computeIfAbsent(connection, c -> new LinkedHashMap<>()).put(key, ref);
        } else if (type.equals("result") || type.equals("error")) {
            String key = c2s ? scope + "|" + !toServer + "|" + id : scope + "|" + toKey + "|" + fromKey + "|" + id;
            Pending p = pending.remove(key);
            if (p != null) {
                forgetOn(p.connection, key);
                long rtt = at - p.at;
                info.put(p.ref, new IqInfo(ref, rtt, true, p.at, p.connection));
                info.put(ref, new IqInfo(p.ref, null, false, at, connection));
                return Optional.of(p.ref);
            }
        }
        return Optional.empty();
    }

    /**
     * The connection ended: the refs of the requests sent on it that were never answered, oldest
     * first. (Between servers an answer may still come back on the reverse stream, and pairs then.)
     */
    public List<String> unansweredOn(long connection) {
        Map<String, String> open = pendingOn.remove(connection);
        return open == null ? List.of() : List.copyOf(open.values());
    }

    private void forgetOn(long connection, String key) {
        Map<String, String> open = pendingOn.get(connection);
        if (open != null) {
            open.remove(key);
            if (open.isEmpty()) {
                pendingOn.remove(connection);
            }
        }
    }

    /** What the ledger holds about the IQ {@code ref}: requests that were answered, and their answers. */
    Optional<IqInfo> info(String ref) {
        return info.get(ref);
    }

    /**
     * What is known about the IQ {@code s} (any element): the ledger's pair, else, for a request
     * this pairing took up (an IQ get or set with an id), that it is one without an answer. A
     * request goes to the ledger only once answered: one write per request instead of two, and
     * most of what a ledger write costs is the index file's copy-on-write B-tree.
     */
    public Optional<IqInfo> info(StanzaSummary s) {
        Optional<IqInfo> paired = info(s.ref());
        if (paired.isPresent() || !"iq".equals(s.kind()) || s.id() == null
                || !("get".equals(s.type()) || "set".equals(s.type()))) {
            return paired;
        }
        return Optional.of(new IqInfo(null, null, true, s.at(), s.connection()));
    }
}
