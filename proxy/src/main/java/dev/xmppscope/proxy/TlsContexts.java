package dev.xmppscope.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The TLS settings of an intercepting proxy: toward the upstream it is a TLS client that
 * verifies the server's certificate against the JDK's trust store, or the certificates given with
 * {@code --upstream-ca}, and the XMPP domain (unless {@code --insecure-upstream}); toward the
 * client it is a TLS server presenting a certificate for the stream's domain, issued by
 * xmppscope's CA, and asking for the client's certificate (optional, unchecked) to record that
 * it came and could not be passed on.
 */
final class TlsContexts {
    private final CertificateAuthority ca;
    private final boolean insecureUpstream;
    private final List<X509Certificate> upstreamCa;
    private final SslContext upstreamContext;
    /**
     * Toward an upstream for a client that named no domain (Direct TLS without SNI): the chain is
     * checked, not a name, and the certificate's name becomes the domain. Checking it against the
     * upstream's address, Netty's default, refused every such client's server.
     */
    private final SslContext unnamedUpstreamContext;
    private final Map<String, SslContext> clientFacing = new ConcurrentHashMap<>();
    private final Map<String, SslContext> upstreamAs = new ConcurrentHashMap<>();

    TlsContexts(CertificateAuthority ca, boolean insecureUpstream, List<X509Certificate> upstreamCa) {
        this.ca = ca;
        this.insecureUpstream = insecureUpstream;
        this.upstreamCa = List.copyOf(upstreamCa);
        try {
            upstreamContext = trusting(SslContextBuilder.forClient()).build();
            unnamedUpstreamContext = trusting(SslContextBuilder.forClient()).endpointIdentificationAlgorithm(null).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS toward upstream servers: " + e.getMessage(), e);
        }
    }

    boolean insecureUpstream() {
        return insecureUpstream;
    }

    /** Whether upstream certificates are checked against certificates the user gave, not the JDK's store. */
    boolean ownUpstreamCa() {
        return !upstreamCa.isEmpty();
    }

    /** Which upstream certificates {@code b} accepts: any, the user's CAs, or (by default) the JDK's. */
    private SslContextBuilder trusting(SslContextBuilder b) {
        if (insecureUpstream) {
            return b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        return upstreamCa.isEmpty() ? b : b.trustManager(upstreamCa.toArray(X509Certificate[]::new));
    }

    /**
     * A client-mode handler toward {@code upstream}, with SNI and name verification for
     * {@code domain} when known. {@code presentAs}, when not null, is the domain whose
     * certificate (from xmppscope's CA) the proxy presents as a TLS client: on s2s the receiving
     * server may authenticate the initiating server by certificate (s2s_secure_auth).
     * {@code alpn} are the ALPN protocols to offer: the client's own offer, passed on.
     */
    SslHandler upstreamHandler(ByteBufAllocator alloc, String domain, InetSocketAddress upstream, String presentAs,
            List<String> alpn) {
        boolean named = domain != null && !domain.isBlank();
        SslContext context = !named ? unnamedUpstreamContext
                : presentAs == null || ca == null ? upstreamContext
                : upstreamAs.computeIfAbsent(presentAs.toLowerCase(java.util.Locale.ROOT), this::upstreamContextPresenting);
        SslHandler h = named
                ? context.newHandler(alloc, domain, upstream.getPort())
                : context.newHandler(alloc, upstream.getAddress().getHostAddress(), upstream.getPort());
        SSLEngine engine = h.engine();
        SSLParameters p = engine.getSSLParameters();
        if (named && isHostName(domain)) {
            try {
                p.setServerNames(List.of(new SNIHostName(domain)));
            } catch (IllegalArgumentException e) {
                // not a name SNI can carry (e.g. an underscore): connect without SNI, still verify below
            }
            if (!insecureUpstream) {
                p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the XMPP domain
            }
        }
        if (!alpn.isEmpty()) {
            p.setApplicationProtocols(alpn.toArray(String[]::new));
        }
        engine.setSSLParameters(p);
        return h;
    }

    private SslContext upstreamContextPresenting(String domain) {
        CertificateAuthority.Leaf leaf = ca.leafFor(domain);
        try {
            return trusting(SslContextBuilder.forClient().keyManager(leaf.key(), leaf.chain())).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS toward upstream servers as " + domain + ": " + e.getMessage(), e);
        }
    }

    /** The server-side context presenting a certificate for {@code domain}. */
    SslContext clientFacingContext(String domain) {
        if (ca == null) {
            throw new IllegalStateException("no certificate authority configured: cannot intercept TLS");
        }
        return clientFacing.computeIfAbsent(domain, d -> serverContext(ca.leafFor(d), d));
    }

    /** A server-side context presenting {@code leaf}, a certificate for {@code domain}. */
    static SslContext serverContext(CertificateAuthority.Leaf leaf, String domain) {
        try {
            // asked for, never required nor checked: a client's certificate is only recorded (it cannot
            // be passed on: the proxy does not hold its key), and a client without one goes on as before
            return SslContextBuilder.forServer(leaf.key(), leaf.chain()).clientAuth(ClientAuth.OPTIONAL)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS toward clients for " + domain + ": " + e.getMessage(), e);
        }
    }

    static boolean isHostName(String s) {
        return !s.isEmpty() && !s.matches("[0-9.]+") && !s.contains(":");
    }
}
