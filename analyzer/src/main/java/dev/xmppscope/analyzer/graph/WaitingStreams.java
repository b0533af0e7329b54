package dev.xmppscope.analyzer.graph;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams whose place in the graph waits for the capture to show which server is at an address,
 * the latest {@value #MAX_PER_ADDRESS} per address (a scanner's probes must not pile up for weeks).
 */
final class WaitingStreams {
    private static final int MAX_PER_ADDRESS = 1024;
    private final Map<String, Map<Long, Runnable>> byAddress = new HashMap<>();

    /** Stream {@code connection} is placed again by {@code again} once {@code address} is named; replaces its earlier wait. */
    void add(String address, long connection, Runnable again) {
        byAddress.computeIfAbsent(address, k -> new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Runnable> eldest) {
                return size() > MAX_PER_ADDRESS;
            }
        }).put(connection, again);
    }

    /** The capture showed which server is at {@code address}: every stream waiting for it is placed again. */
    void named(String address) {
        Map<Long, Runnable> waiting = byAddress.remove(address);
        if (waiting != null) {
            waiting.values().forEach(Runnable::run);
        }
    }
}
