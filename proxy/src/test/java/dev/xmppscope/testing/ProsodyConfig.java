package dev.xmppscope.testing;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one test Prosody looks like: its domain, loopback address and ports, how it
 * authenticates, what it requires of TLS, extra modules. Defaults follow REAL-SERVERS.md: a
 * permissive server (plaintext c2s allowed, PLAIN auth allowed, s2s STARTTLS offered but not
 * required, dialback authenticates). Fluent setters; {@link ProsodyServer#start} turns it into a
 * prosody.cfg.lua.
 */
public final class ProsodyConfig {

    /** Prosody's {@code authentication} provider. */
    public enum Auth {
        /** Passwords stored in clear: PLAIN and SCRAM offered. */
        INTERNAL_PLAIN("internal_plain"),
        /** Salted hashes: SCRAM only (and PLAIN, checked against the hash). */
        INTERNAL_HASHED("internal_hashed");

        final String luaName;

        Auth(String luaName) {
            this.luaName = luaName;
        }
    }

    /** Modules a test may add to the base set ({@code roster saslauth tls dialback disco ping presence posix}). */
    public static final Set<String> KNOWN_EXTRA_MODULES = Set.of("smacks", "carbons", "mam", "csi_simple", "s2s_bidi",
            "ping", "vcard", "private", "blocklist", "register", "offline", "version", "uptime", "time", "pep", "bookmarks",
            "net_multiplex");

    final String domain;
    final InetAddress address;
    InetAddress dns;
    int c2sPort = 5222;
    int s2sPort = 5269;
    int directTlsPort = 5223;
    Auth auth = Auth.INTERNAL_PLAIN;
    boolean c2sOfferTls = true;
    boolean c2sRequireEncryption;
    boolean s2sAllowEncryption = true;
    boolean s2sRequireEncryption;
    boolean s2sSecureAuth;
    boolean allowRegistration;
    final Set<String> extraModules = new LinkedHashSet<>();
    String mucComponent;
    /** An external component's domain (XEP-0114), connecting on {@link Federation#COMPONENT} with {@link #componentSecret}. */
    String externalComponent;
    String componentSecret;
    TestCertificates.Issued certificate;
    final List<X509Certificate> trusted = new ArrayList<>();
    final List<String> extraLua = new ArrayList<>();
    String logLevel = "debug";

    /** A server for {@code domain} listening on {@code address} (a loopback address of the test's block). */
    public ProsodyConfig(String domain, InetAddress address) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.address = Objects.requireNonNull(address, "address");
    }

    /** The DNS Prosody asks (libunbound forward); default: {@code .53} of the address's /24. */
    public ProsodyConfig dns(InetAddress dnsAddress) {
        this.dns = dnsAddress;
        return this;
    }

    public ProsodyConfig ports(int c2s, int s2s, int directTls) {
        this.c2sPort = c2s;
        this.s2sPort = s2s;
        this.directTlsPort = directTls;
        return this;
    }

    public ProsodyConfig auth(Auth auth) {
        this.auth = auth;
        return this;
    }

    /** {@code c2s_require_encryption}: refuse to authenticate c2s streams without TLS. */
    public ProsodyConfig c2sRequireEncryption(boolean require) {
        this.c2sRequireEncryption = require;
        return this;
    }

    /** Whether c2s streams are offered STARTTLS at all ({@code c2s_allow_encryption}). */
    public ProsodyConfig c2sOfferTls(boolean offer) {
        this.c2sOfferTls = offer;
        return this;
    }

    /** Whether s2s streams negotiate STARTTLS ({@code s2s_allow_encryption}); off keeps s2s plaintext. */
    public ProsodyConfig s2sEncryption(boolean allow) {
        this.s2sAllowEncryption = allow;
        return this;
    }

    public ProsodyConfig s2sRequireEncryption(boolean require) {
        this.s2sRequireEncryption = require;
        return this;
    }

    /** {@code s2s_secure_auth}: peers must present a certificate this server trusts (see {@link #trust}). */
    public ProsodyConfig s2sSecureAuth(boolean secure) {
        this.s2sSecureAuth = secure;
        return this;
    }

    /** Adds modules to {@code modules_enabled}, e.g. smacks, carbons, mam, csi_simple, s2s_bidi. */
    public ProsodyConfig modules(String... modules) {
        for (String m : modules) {
            if (!KNOWN_EXTRA_MODULES.contains(m)) {
                throw new IllegalArgumentException("module '" + m + "' is not one the harness knows works: "
                        + KNOWN_EXTRA_MODULES);
            }
            extraModules.add(m);
        }
        return this;
    }

    /** A MUC component, e.g. {@code conference.a.example}. */
    public ProsodyConfig muc(String componentDomain) {
        this.mucComponent = componentDomain;
        return this;
    }

    /**
     * An external component (XEP-0114) the server accepts on port {@link Federation#COMPONENT} of its
     * address: {@code domain}, authenticating with {@code secret}.
     */
    public ProsodyConfig externalComponent(String domain, String secret) {
        this.externalComponent = domain;
        this.componentSecret = secret;
        return this;
    }

    /** In-band registration (XEP-0077) open to anyone. */
    public ProsodyConfig allowRegistration(boolean allow) {
        this.allowRegistration = allow;
        if (allow) {
            extraModules.add("register");
        }
        return this;
    }

    /** The certificate this server presents; default: a fresh self-signed one for the domain (and MUC). */
    public ProsodyConfig certificate(TestCertificates.Issued issued) {
        this.certificate = issued;
        return this;
    }

    /** CA certificates this server trusts for s2s (its {@code ssl.cafile}). */
    public ProsodyConfig trust(X509Certificate... anchors) {
        trusted.addAll(List.of(anchors));
        return this;
    }

    /**
     * The lowest level Prosody writes to its log file; default {@code debug}, which tests read when
     * they fail. A benchmark sets {@code info}: a server in service does not log every stanza, and
     * at debug level the log is Prosody's biggest cost (about 140 MB per 100,000 messages).
     */
    public ProsodyConfig logLevel(String level) {
        if (!Set.of("debug", "info", "warn", "error").contains(level)) {
            throw new IllegalArgumentException("Prosody log level must be debug, info, warn or error, not '" + level + "'");
        }
        this.logLevel = level;
        return this;
    }

    /** Raw Lua appended to the global section, for settings the harness has no method for. */
    public ProsodyConfig lua(String line) {
        extraLua.add(line);
        return this;
    }

    public String domain() {
        return domain;
    }

    public InetAddress address() {
        return address;
    }
}
