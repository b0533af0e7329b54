package dev.xmppscope.analyzer.negotiation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The s2s streams of one capture by the id their receiving server gave them, shared by the
 * capture's negotiations: a dialback check (XEP-0220 {@code db:verify}) names the stream whose key
 * it checks by that id, and usually travels on another connection than that stream (the
 * receiving server asks the sender's domain, over its own stream there). So the check can name
 * the connection it is about, and that connection's outcome the connection the check went over.
 * The latest {@value #MAX} of each are kept.
 */
public final class DialbackStreams {
    private static final int MAX = 10_000;

    private final Map<String, Long> connectionOf = bounded();
    private final Map<String, Long> checkedOn = bounded();

    private static Map<String, Long> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > MAX;
            }
        };
    }

    /** {@code receiver} answered the stream of {@code connection} with stream id {@code id}. */
    void opened(String receiver, String id, long connection) {
        if (receiver != null && id != null) {
            connectionOf.put(key(receiver, id), connection);
        }
    }

    /** The connection whose stream {@code receiver} gave the id {@code id}, or null when it was not seen. */
    Long connectionOf(String receiver, String id) {
        return receiver == null || id == null ? null : connectionOf.get(key(receiver, id));
    }

    /** {@code receiver} asked, on {@code connection}, whether the key sent on its stream {@code id} is genuine. */
    void checking(String receiver, String id, long connection) {
        if (receiver != null && id != null) {
            checkedOn.put(key(receiver, id), connection);
        }
    }

    /** The connection over which {@code receiver} checked the key of its stream {@code id}, or null. */
    Long checkedOn(String receiver, String id) {
        return receiver == null || id == null ? null : checkedOn.get(key(receiver, id));
    }

    private static String key(String receiver, String id) {
        return receiver + " " + id;
    }
}
