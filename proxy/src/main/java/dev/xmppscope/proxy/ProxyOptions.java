package dev.xmppscope.proxy;

import dev.xmppscope.capture.TlsMode;
import io.netty.util.NettyRuntime;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link ProxyServer} runs.
 *
 * @param routes           the links to sit on (at least one)
 * @param insecureUpstream accept any upstream certificate when intercepting (test servers with
 *                         self-signed certificates); by default an untrusted one ends the
 *                         connection with a TLS_FAILED reason saying so
 * @param ca               the CA that signs the certificates presented to clients when
 *                         intercepting; may be null only if no TLS is ever intercepted (then a
 *                         Direct TLS or STARTTLS connection on an intercept route fails)
 * @param upstreamCa       when not empty, the certificates an upstream's certificate must chain
 *                         to (a lab's own CA, a test server's self-signed certificate) instead of
 *                         the JDK's trust store; the domain is still checked
 * @param ioThreads        event loop threads relaying the connections (each connection stays on one);
 *                         0 means one per available core
 */
public record ProxyOptions(List<Route> routes, boolean insecureUpstream, CertificateAuthority ca,
                           List<X509Certificate> upstreamCa, int ioThreads) {
    public ProxyOptions {
        routes = List.copyOf(Objects.requireNonNull(routes, "routes"));
        upstreamCa = List.copyOf(Objects.requireNonNull(upstreamCa, "upstreamCa"));
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("the proxy needs at least one route (--route LISTEN=UPSTREAM)");
        }
        if (insecureUpstream && !upstreamCa.isEmpty()) {
            throw new IllegalArgumentException("--insecure-upstream accepts any certificate and --upstream-ca names the"
                    + " ones to trust: give one of them");
        }
        requireValidIoThreads(ioThreads);
        if (ca == null && routes.stream().anyMatch(r -> r.tlsMode() == TlsMode.INTERCEPT)) {
            throw new IllegalArgumentException("intercepting TLS needs a certificate authority"
                    + " (CertificateAuthority.loadOrCreate(CertificateAuthority.defaultDir()))");
        }
    }

    /** Options with one event loop per core. */
    public ProxyOptions(List<Route> routes, boolean insecureUpstream, CertificateAuthority ca,
                        List<X509Certificate> upstreamCa) {
        this(routes, insecureUpstream, ca, upstreamCa, 0);
    }

    /** Options that trust the JDK's trust store upstream (or nothing, if {@code insecureUpstream}). */
    public ProxyOptions(List<Route> routes, boolean insecureUpstream, CertificateAuthority ca) {
        this(routes, insecureUpstream, ca, List.of());
    }

    /** Rejects a thread count the proxy cannot start with; callers check it before creating anything. */
    public static void requireValidIoThreads(int ioThreads) {
        if (ioThreads < 0) {
            throw new IllegalArgumentException("--io-threads must be 1 or more (or 0: one per core), not " + ioThreads);
        }
    }

    /** The number of event loop threads to start. */
    public int eventLoops() {
        return ioThreads > 0 ? ioThreads : NettyRuntime.availableProcessors();
    }
}
