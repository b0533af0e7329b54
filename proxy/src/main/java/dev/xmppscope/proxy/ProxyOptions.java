package dev.xmppscope.proxy;

import dev.xmppscope.capture.TlsMode;
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
 */
public record ProxyOptions(List<Route> routes, boolean insecureUpstream, CertificateAuthority ca) {
    public ProxyOptions {
        routes = List.copyOf(Objects.requireNonNull(routes, "routes"));
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("the proxy needs at least one route (--route LISTEN=UPSTREAM)");
        }
        if (ca == null && routes.stream().anyMatch(r -> r.tlsMode() == TlsMode.INTERCEPT)) {
            throw new IllegalArgumentException("intercepting TLS needs a certificate authority"
                    + " (CertificateAuthority.loadOrCreate(CertificateAuthority.defaultDir()))");
        }
    }
}
