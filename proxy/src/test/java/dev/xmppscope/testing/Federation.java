package dev.xmppscope.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * N real Prosody servers on one random loopback block, with a loopback DNS that resolves each
 * domain to the address where its relay listens (the xmppscope proxy under test, or nothing yet:
 * the test starts it on {@link #relayRoutes()}).
 *
 * <p>Layout for domains d0, d1, ...: server i on {@code .(2+i)}, relay i on {@code .(12+i)},
 * DNS on {@code .53}; ports 5222 (c2s), 5269 (s2s), 5223 (Direct TLS) everywhere. With
 * {@code relayed(false)} the DNS points straight at the servers (a baseline without proxy).
 */
public final class Federation implements AutoCloseable {
    public static final int C2S = 5222;
    public static final int S2S = 5269;
    public static final int DIRECT_TLS = 5223;
    /** Direct TLS between servers (XEP-0368's {@code _xmpps-server}), with {@link Builder#s2sDirectTls}. */
    public static final int S2S_DIRECT_TLS = 5270;
    /** External components (XEP-0114), on a server configured with {@link ProsodyConfig#externalComponent}. */
    public static final int COMPONENT = 5347;

    private final LoopbackBlock block;
    private final LoopbackDns dns;
    private final Map<String, ProsodyServer> servers;
    private final Map<String, InetAddress> relays;
    private final TestCertificates.TestCa ca;
    private final boolean s2sDirectTls;

    private Federation(LoopbackBlock block, LoopbackDns dns, Map<String, ProsodyServer> servers,
                       Map<String, InetAddress> relays, TestCertificates.TestCa ca, boolean s2sDirectTls) {
        this.block = block;
        this.dns = dns;
        this.servers = servers;
        this.relays = relays;
        this.ca = ca;
        this.s2sDirectTls = s2sDirectTls;
    }

    public static Builder builder(String... domains) {
        return new Builder(List.of(domains));
    }

    /** a.example with alice (password alice-pw) and b.example with bob (bob-pw), federating. */
    public static Builder aliceAndBob() {
        return builder("a.example", "b.example").user("a.example", "alice", "alice-pw").user("b.example", "bob", "bob-pw");
    }

    /**
     * a.example alone, with alice and bob (passwords alice-secret and bob-secret), its clients
     * connecting straight to it: the session a capture on the server's host (dumpcap) holds.
     */
    public static Builder aliceAndBobUnrelayed() {
        return builder("a.example").relayed(false).user("a.example", "alice", "alice-secret").user("a.example", "bob", "bob-secret");
    }

    /** How to build a federation; {@link #start} brings it up. */
    public static final class Builder {
        private final List<String> domains;
        private boolean relayed = true;
        private boolean sharedCa;
        private boolean s2sDirectTls;
        private BiConsumer<String, ProsodyConfig> configure = (domain, config) -> { };
        private final Map<String, List<String>> users = new LinkedHashMap<>();
        /** Host domain → its external component's domain and secret. */
        private final Map<String, String[]> components = new LinkedHashMap<>();

        private Builder(List<String> domains) {
            if (domains.isEmpty()) {
                throw new IllegalArgumentException("a federation needs at least one domain");
            }
            this.domains = domains;
        }

        /** Whether DNS resolves domains to relay addresses (default) or straight to the servers. */
        public Builder relayed(boolean relayed) {
            this.relayed = relayed;
            return this;
        }

        /**
         * Issue every server's certificate from one test CA that every server trusts (needed for
         * {@code s2s_secure_auth = true}); {@link Federation#ca()} exposes it.
         */
        public Builder sharedCa(boolean shared) {
            this.sharedCa = shared;
            return this;
        }

        /**
         * Servers also listen for Direct TLS s2s on {@link #S2S_DIRECT_TLS}, and DNS advertises it
         * ({@code _xmpps-server._tcp} SRV), so Prosody connects to its peers that way.
         */
        public Builder s2sDirectTls(boolean on) {
            this.s2sDirectTls = on;
            return this;
        }

        /** Adjusts each server's config (called with its domain). */
        /**
         * {@code domain}'s server accepts an external component (XEP-0114) {@code component} with
         * {@code secret} on {@link #COMPONENT}, and DNS sends the other servers to it for that name.
         */
        public Builder externalComponent(String domain, String component, String secret) {
            components.put(domain, new String[] {component, secret});
            return this;
        }

        public Builder configure(BiConsumer<String, ProsodyConfig> configure) {
            this.configure = configure;
            return this;
        }

        /** Registers {@code user} with {@code password} on {@code domain} before it starts. */
        public Builder user(String domain, String user, String password) {
            users.computeIfAbsent(domain, d -> new ArrayList<>()).add(user + "\u0000" + password);
            return this;
        }

        public Federation start(Path dir) {
            Requirements.require("prosody", "prosodyctl", "dnsmasq");
            LoopbackBlock block = LoopbackBlock.random();
            TestCertificates.TestCa ca = sharedCa ? TestCertificates.newCa("xmppscope test federation CA") : null;
            Map<String, String> hosts = new LinkedHashMap<>();
            Map<String, InetAddress> relays = new LinkedHashMap<>();
            for (int i = 0; i < domains.size(); i++) {
                InetAddress relay = block.address(LoopbackBlock.FIRST_RELAY_HOST + i);
                InetAddress server = block.address(LoopbackBlock.FIRST_SERVER_HOST + i);
                relays.put(domains.get(i), relay);
                hosts.put(domains.get(i), (relayed ? relay : server).getHostAddress());
                // a MUC component the domain may host (see ProsodyConfig.muc): other servers find it there
                hosts.put("conference." + domains.get(i), (relayed ? relay : server).getHostAddress());
                if (components.containsKey(domains.get(i))) {
                    hosts.put(components.get(domains.get(i))[0], (relayed ? relay : server).getHostAddress());
                }
            }
            List<LoopbackDns.SrvRecord> srv = new ArrayList<>();
            if (s2sDirectTls) {
                domains.forEach(d -> srv.add(new LoopbackDns.SrvRecord("_xmpps-server._tcp." + d, d, S2S_DIRECT_TLS)));
            }
            LoopbackDns dns = LoopbackDns.start(dir.resolve("dns"), block, hosts, srv);
            Map<String, ProsodyServer> servers = new LinkedHashMap<>();
            try {
                for (int i = 0; i < domains.size(); i++) {
                    String domain = domains.get(i);
                    ProsodyConfig config = new ProsodyConfig(domain, block.address(LoopbackBlock.FIRST_SERVER_HOST + i))
                            .dns(dns.address());
                    if (ca != null) {
                        config.certificate(ca.issue(domain, "conference." + domain)).trust(ca.certificate());
                    }
                    if (s2sDirectTls) {
                        config.lua("s2s_direct_tls_ports = { " + S2S_DIRECT_TLS + " }");
                    }
                    if (components.containsKey(domain)) {
                        config.externalComponent(components.get(domain)[0], components.get(domain)[1]);
                    }
                    configure.accept(domain, config);
                    ProsodyServer server = ProsodyServer.prepare(dir.resolve(domain), config);
                    servers.put(domain, server);
                    for (String entry : users.getOrDefault(domain, List.of())) {
                        String[] parts = entry.split("\u0000", 2);
                        server.register(parts[0], parts[1]);
                    }
                    server.start();
                }
            } catch (RuntimeException | Error e) {
                servers.values().forEach(ProsodyServer::close);
                dns.close();
                throw e;
            }
            return new Federation(block, dns, servers, relays, ca, s2sDirectTls);
        }
    }

    public LoopbackBlock block() {
        return block;
    }

    public LoopbackDns dns() {
        return dns;
    }

    public ProsodyServer server(String domain) {
        ProsodyServer s = servers.get(domain);
        if (s == null) {
            throw new IllegalArgumentException("no server for " + domain + " in this federation " + servers.keySet());
        }
        return s;
    }

    public List<ProsodyServer> servers() {
        return List.copyOf(servers.values());
    }

    /** The address DNS gives for {@code domain} when relayed: where the proxy must listen. */
    public InetAddress relayAddress(String domain) {
        server(domain);
        return relays.get(domain);
    }

    /** Where a client of {@code domain} connects for c2s: through the relay. */
    public InetSocketAddress relayC2s(String domain) {
        return new InetSocketAddress(relayAddress(domain), C2S);
    }

    public InetSocketAddress relayDirectTls(String domain) {
        return new InetSocketAddress(relayAddress(domain), DIRECT_TLS);
    }

    /**
     * The proxy routes that put a relay on every link: for each domain, {@code relay:5222=server:5222},
     * {@code relay:5269=server:5269} and {@code relay:5223=server:5223} (and {@code relay:5270=server:5270}
     * with {@code s2sDirectTls}, {@code relay:5347=server:5347} for a server that accepts a component), in the CLI's
     * {@code LISTEN=UPSTREAM} syntax.
     */
    public List<String> relayRoutes() {
        List<String> routes = new ArrayList<>();
        for (ProsodyServer s : servers.values()) {
            String relay = relays.get(s.domain()).getHostAddress();
            String server = s.address().getHostAddress();
            for (int port : new int[] {C2S, S2S, DIRECT_TLS, S2S_DIRECT_TLS, COMPONENT}) {
                if ((port != S2S_DIRECT_TLS || s2sDirectTls) && (port != COMPONENT || s.acceptsComponents())) {
                    routes.add(relay + ":" + port + "=" + server + ":" + port);
                }
            }
        }
        return routes;
    }

    /** The shared test CA, when built with {@code sharedCa(true)}. */
    public TestCertificates.TestCa ca() {
        if (ca == null) {
            throw new IllegalStateException("this federation was built without sharedCa(true)");
        }
        return ca;
    }

    /** Logs of every server and the DNS, for failure messages. */
    public String diagnostics() {
        StringBuilder b = new StringBuilder();
        for (ProsodyServer s : servers.values()) {
            b.append(s).append('\n').append(s.logTail(40)).append('\n');
        }
        b.append(dns.logTail(20));
        return b.toString();
    }

    @Override
    public void close() {
        servers.values().forEach(ProsodyServer::close);
        dns.close();
    }
}
