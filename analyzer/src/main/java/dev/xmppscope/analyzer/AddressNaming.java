package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.negotiation.Negotiation;
import dev.xmppscope.analyzer.xmpp.Jid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Names the ends of streams whose own words are inside TLS not decrypted (an s2s link a capture
 * joined after STARTTLS, a Direct TLS sender) by where the rest of the capture shows each domain
 * served: the address of a server at which a stream authenticated (a client bound, a server
 * accepted). A server usually sends from the address it listens on, so that names an initiating
 * server too. An address that serves several domains, other than one server and its services,
 * names none: the stream is left to its stand-ins.
 */
final class AddressNaming {
    /** The latest streams waiting for a name ({@value}): a long recording of Direct TLS senders must not pile them up. */
    private static final int MAX_NAMELESS = 1024;

    /** Host address → the domains streams authenticated at there. */
    private final Map<String, Set<String>> domainsAt = new HashMap<>();
    private final Map<Long, ConnectionAnalysis> nameless = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ConnectionAnalysis> eldest) {
            return size() > MAX_NAMELESS;
        }
    };

    /**
     * {@code conn} changed: what it authenticated says where its server is, which may name waiting
     * streams; a stream whose ends are out of sight is named as far as the capture shows yet.
     * {@code renamed} gets each connection named anew with the steps that say so.
     */
    void changed(ConnectionAnalysis conn, BiConsumer<ConnectionAnalysis, List<NegotiationStep>> renamed) {
        Negotiation n = conn.negotiation;
        if (!conn.whereServedLearned && n.identity() != null) {
            conn.whereServedLearned = true;
            nameless.remove(conn.id());
            String domain = servedDomain(n);
            String host = host(conn.opened.server());
            if (domain != null && host != null && domainsAt.computeIfAbsent(host, k -> new TreeSet<>()).add(domain)) {
                for (ConnectionAnalysis waiting : new ArrayList<>(nameless.values())) {
                    name(waiting, renamed);
                }
            }
        } else if (n.endsOutOfSight() && !nameless.containsKey(conn.id())) {
            nameless.put(conn.id(), conn);
            name(conn, renamed);
        }
    }

    private void name(ConnectionAnalysis conn, BiConsumer<ConnectionAnalysis, List<NegotiationStep>> renamed) {
        Negotiation n = conn.negotiation;
        String server = host(conn.opened.server());
        String client = host(conn.opened.client());
        String to = n.streamTo() == null ? domainAt(server) : null;
        String from = n.streamFrom() == null && "s2s".equals(n.kind()) ? domainAt(client) : null;
        if (to == null && from == null) {
            return;
        }
        List<String> said = new ArrayList<>(2);
        if (from != null) {
            said.add(client + ", where it was sent from, serves " + from);
        }
        if (to != null) {
            said.add(server + " serves " + to);
        }
        String how = "its ends named by the addresses they are at: " + String.join(", and ", said) + " (a stream authenticated there)";
        renamed.accept(conn, n.namedByAddress(from, to, how, conn.opened.atNanos()));
        if (!n.endsOutOfSight()) {
            nameless.remove(conn.id());
        }
    }

    /** The domain a stream that authenticated is served for at its server: a client's server, an s2s stream's receiver. */
    private static String servedDomain(Negotiation n) {
        String identity = n.identity();
        return switch (n.kind()) {
            case "c2s" -> Jid.parse(identity).domainKey();
            case "s2s" -> identity.contains("→") ? Jid.parse(identity.substring(identity.indexOf('→') + 1)).domainKey() : null;
            default -> null;
        };
    }

    /** The one server served at {@code host}: its only domain, or the one all the others are services of; else null. */
    private String domainAt(String host) {
        Set<String> domains = host == null ? null : domainsAt.get(host);
        if (domains == null) {
            return null;
        }
        String shortest = domains.stream().min((a, b) -> Integer.compare(a.length(), b.length())).orElseThrow();
        return domains.stream().allMatch(d -> d.equals(shortest) || d.endsWith("." + shortest)) ? shortest : null;
    }

    /** "127.0.0.3" of "127.0.0.3:5269", "::1" of "[::1]:5269"; null for none. */
    static String host(String address) {
        if (address == null) {
            return null;
        }
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            return end < 0 ? address : address.substring(1, end);
        }
        int colon = address.lastIndexOf(':');
        return colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
    }
}
