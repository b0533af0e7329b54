package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.model.GraphNode;
import java.util.HashMap;
import java.util.Map;

/**
 * When each server last sent a stanza, on any link, and its latest silence longer than the route
 * window: a server that sent nothing at all for that long while a stanza waited in it was frozen
 * (SIGSTOP, a debugger, a long pause) or stalled, and what it sends once it resumes may be what it
 * held all along. Clients are not tracked: only servers hold stanzas for others. Sans-io.
 */
final class ServerSilences {
    private final long window;
    /** Per server node: its last sending, and the start and end of its latest silence longer than the window. */
    private final Map<String, long[]> byNode = new HashMap<>();

    ServerSilences(long window) {
        this.window = window;
    }

    /** {@code node} sent a stanza at {@code at}. */
    void sent(String node, long at) {
        if (node.startsWith(GraphNode.CLIENT_ID_PREFIX)) {
            return;
        }
        long[] n = byNode.get(node);
        if (n == null) {
            byNode.put(node, new long[] {at, -1, -1});
            return;
        }
        if (at - n[0] > window) {
            n[1] = n[0];
            n[2] = at;
        }
        n[0] = Math.max(n[0], at);
    }

    /** When {@code node} sent again after its latest long silence, if that was at most a window before {@code at}; else -1. */
    long resumed(String node, long at) {
        long[] n = byNode.get(node);
        return n == null || n[2] < 0 || at - n[2] > window ? -1 : n[2];
    }

    /** When {@code node}'s latest long silence began (its last sending before it), or -1. */
    long silentSince(String node) {
        long[] n = byNode.get(node);
        return n == null ? -1 : n[1];
    }
}
