package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.graph.ServedAt;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.negotiation.Negotiation;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.capture.HostPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private final ServedAt servedAt = new ServedAt();
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
            String host = HostPort.hostOf(conn.opened.server());
            if (servedAt.add(host, domain)) {
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
        String server = HostPort.hostOf(conn.opened.server());
        String client = HostPort.hostOf(conn.opened.client());
        String to = n.streamTo() == null ? servedAt.serverAt(server) : null;
        String from = n.streamFrom() == null && "s2s".equals(n.kind()) ? servedAt.serverAt(client) : null;
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
}
