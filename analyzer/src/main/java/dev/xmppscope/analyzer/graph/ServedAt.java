package dev.xmppscope.analyzer.graph;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The domains streams authenticated at each host address (a client bound there, a server accepted
 * a stream there), and so which server is at an address: what names the ends of a stream whose
 * own words do not (inside TLS not decrypted, a component's).
 */
public final class ServedAt {
    private final Map<String, Set<String>> domainsAt = new HashMap<>();

    /** {@code domain} is served at {@code host} (an address without its port); true if that is news. */
    public boolean add(String host, String domain) {
        return host != null && domain != null && domainsAt.computeIfAbsent(host, k -> new TreeSet<>()).add(domain);
    }

    /**
     * The one server served at {@code host}: its only domain, or the one all the others are services
     * of (conference.a.example beside a.example); else null (none seen, or several servers share it).
     */
    public String serverAt(String host) {
        Set<String> domains = host == null ? null : domainsAt.get(host);
        if (domains == null) {
            return null;
        }
        String shortest = domains.stream().min((a, b) -> Integer.compare(a.length(), b.length())).orElseThrow();
        return domains.stream().allMatch(d -> d.equals(shortest) || d.endsWith("." + shortest)) ? shortest : null;
    }
}
