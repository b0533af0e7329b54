package dev.xmppscope.analyzer.route;

import java.util.List;

/**
 * Tells a presence that its sender's server sends again out of its cache: a server keeps each
 * resource's latest presence and sends it to whoever asks later (a contact's probe, a subscription
 * just approved, another resource of the same user becoming available), stamped with a delay
 * (XEP-0203) from the server's own domain, as Prosody does. Such a copy is a new delivery, however
 * long after the presence was first broadcast, not a stanza the server held on to.
 */
public final class PresenceCache {
    private PresenceCache() {
    }

    /**
     * Whether a presence from {@code fromBare} (case-folded) whose delays were stamped by
     * {@code serverStamps} ({@link OfflineStorage#serverStamps}) comes out of its sender's server's cache.
     */
    public static boolean replayed(List<String> serverStamps, String fromBare) {
        if (fromBare == null || serverStamps.isEmpty()) {
            return false;
        }
        return serverStamps.contains(fromBare.substring(fromBare.indexOf('@') + 1));
    }
}
