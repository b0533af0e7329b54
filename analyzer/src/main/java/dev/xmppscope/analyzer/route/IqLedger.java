package dev.xmppscope.analyzer.route;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link IqPairing} knows about each IQ, kept outside it: an entry per IQ for the whole
 * capture is too much to hold in memory for a long one.
 */
public interface IqLedger {

    void put(String ref, IqPairing.IqInfo info);

    Optional<IqPairing.IqInfo> get(String ref);

    /** A ledger in a map: for tests and small captures. */
    static IqLedger inMemory() {
        Map<String, IqPairing.IqInfo> infos = new HashMap<>();
        return new IqLedger() {
            @Override
            public void put(String ref, IqPairing.IqInfo info) {
                infos.put(ref, info);
            }

            @Override
            public Optional<IqPairing.IqInfo> get(String ref) {
                return Optional.ofNullable(infos.get(ref));
            }
        };
    }
}
