package dev.xmppscope.analyzer.xmpp;

import java.util.HashMap;
import java.util.Map;

/** Parsed JIDs by their text: a capture repeats the same few addresses millions of times. Not thread-safe. */
public final class JidCache {
    private static final int MAX = 50_000;
    private final Map<String, Jid> cache = new HashMap<>();

    public Jid parse(String text) {
        if (text == null) {
            return null;
        }
        Jid j = cache.get(text);
        if (j == null) {
            if (cache.size() >= MAX) {
                cache.clear();
            }
            j = Jid.parse(text);
            cache.put(text, j);
        }
        return j;
    }
}
