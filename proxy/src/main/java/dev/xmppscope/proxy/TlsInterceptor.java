package dev.xmppscope.proxy;

import dev.xmppscope.capture.ClientHello;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.HostPort;
import dev.xmppscope.capture.TlsMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Promise;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What happens to one connection when it turns to TLS. Passthrough: both sides become
 * {@code ENCRYPTED} and only record lengths. Intercept: TLS is completed with the upstream first
 * (as a client, verifying its certificate), then with the client (as a server, presenting a
 * certificate for the stream's domain from xmppscope's CA); the client is held back meanwhile.
 * For STARTTLS the server's {@code <proceed/>} is relayed only once the upstream TLS is up; for
 * Direct TLS the client's SNI (or, without SNI, the upstream certificate's name) picks the domain,
 * and ALPN passes through: the upstream is offered the client's protocols and the client gets the
 * upstream's choice (with STARTTLS the upstream TLS is up before the client's ClientHello, so
 * neither side is offered any).
 */
final class TlsInterceptor {
    static final String TLS_HANDLER = "tls";

    private final ProxiedConnection c;
    private ByteBuf heldProceed;
    private String domain;
    /** ALPN (Direct TLS only): what the client offered, passed on upstream, and what the upstream chose. */
    private List<String> alpnOffered = List.of();
    private String alpnChosen;
    /** Passed through: the client's first bytes while they hold part of a ClientHello split across reads; else null. */
    private byte[] partialHello;

    TlsInterceptor(ProxiedConnection connection) {
        this.c = connection;
    }

    private boolean intercepting() {
        return c.route.tlsMode() == TlsMode.INTERCEPT;
    }

    /** The client's first byte starts a TLS handshake. */
    void directTls(ChannelHandlerContext clientTap, ByteBuf first) {
        c.recordEvent(Direction.TO_SERVER, EventKind.DIRECT_TLS_DETECTED, "the client's first byte is a TLS handshake"
                + " record (XEP-0368 Direct TLS); " + (intercepting() ? "intercepting" : "passing it through"));
        if (!intercepting()) {
            // all that will be known of this stream; one longer than a read (a post-quantum key share) comes in pieces
            byte[] bytes = ByteBufUtil.getBytes(first);
            ClientHello.ofRecord(bytes).ifPresentOrElse(this::recordClientHello,
                    () -> partialHello = ClientHello.recordLength(bytes) > bytes.length ? bytes : null);
            c.clientWire = ProxiedConnection.Wire.ENCRYPTED;
            c.serverWire = ProxiedConnection.Wire.ENCRYPTED;
            c.recordEncrypted(Direction.TO_SERVER, first.readableBytes());
            clientTap.fireChannelRead(first);
            return;
        }
        c.clientWire = ProxiedConnection.Wire.INTERCEPTED;
        c.serverWire = ProxiedConnection.Wire.INTERCEPTED;
        // the SNI handler reads the ClientHello, asks us for a context (after the upstream TLS is up),
        // then replaces itself with the SslHandler for that context.
        clientTap.pipeline().addAfter(WireTap.NAME, TLS_HANDLER, new AlpnSniHandler((String sni, Promise<SslContext> promise) -> {
            upstream(sni, chosen -> promise.trySuccess(c.proxy.tls.clientFacingContext(chosen)), promise);
            return promise;
        }, hello -> {
            alpnOffered = hello.protocols();
            recordClientHello(hello);
        }, () -> alpnChosen));
        clientTap.fireChannelRead(first);
    }

    /** The client's next TLS bytes, passed through: the rest of a ClientHello split across reads, if one is. */
    void clientTls(ByteBuf buf) {
        if (partialHello == null) {
            return;
        }
        byte[] gathered = java.util.Arrays.copyOf(partialHello, partialHello.length + buf.readableBytes());
        buf.getBytes(buf.readerIndex(), gathered, partialHello.length, buf.readableBytes());
        if (gathered.length < ClientHello.recordLength(gathered)) {
            partialHello = gathered;
            return;
        }
        partialHello = null;
        ClientHello.ofRecord(gathered).ifPresent(this::recordClientHello);
    }

    private void recordClientHello(ClientHello hello) {
        c.recordEvent(Direction.TO_SERVER, EventKind.TLS_CLIENT_HELLO, hello.detail());
    }

    /** The server sent {@code <proceed/>} (the bytes in {@code proceed}); {@code rest} already belongs to TLS. */
    void startTlsProceed(ChannelHandlerContext serverTap, ByteBuf proceed, ByteBuf rest) {
        if (!intercepting()) {
            c.clientWire = ProxiedConnection.Wire.ENCRYPTED;
            c.serverWire = ProxiedConnection.Wire.ENCRYPTED;
            serverTap.fireChannelRead(proceed);
            if (rest.isReadable()) {
                c.recordEncrypted(Direction.TO_CLIENT, rest.readableBytes());
                serverTap.fireChannelRead(rest);
            } else {
                rest.release();
            }
            return;
        }
        heldProceed = proceed;
        c.clientGate.hold(ReadGate.Hold.TLS_SETUP);
        c.serverWire = ProxiedConnection.Wire.INTERCEPTED;
        upstream(c.detector.streamTo(), chosen -> {
            SslHandler toClient = c.proxy.tls.clientFacingContext(chosen).newHandler(c.client.alloc());
            c.client.pipeline().addAfter(WireTap.NAME, TLS_HANDLER, toClient);
            c.clientWire = ProxiedConnection.Wire.INTERCEPTED;
            ByteBuf p = heldProceed;
            heldProceed = null;
            c.clientTap.writeAndFlush(p); // from the tap: below the new SslHandler, so it leaves in clear
            c.clientGate.release(ReadGate.Hold.TLS_SETUP);
        }, null);
        if (rest.isReadable()) {
            serverTap.fireChannelRead(rest);
        } else {
            rest.release();
        }
    }

    /** Starts TLS toward the upstream; {@code then} gets the domain to impersonate once it is up. */
    private void upstream(String requested, Consumer<String> then, Promise<SslContext> failTo) {
        domain = requested;
        // on s2s, present the initiating server's name: the receiving server may authenticate it by certificate
        String presentAs = c.detector.serverToServer() ? domainOf(c.detector.streamFrom()) : null;
        SslHandler h = c.proxy.tls.upstreamHandler(c.server.alloc(), requested, c.route.upstream(), presentAs, alpnOffered);
        c.server.pipeline().addAfter(WireTap.NAME, TLS_HANDLER, h);
        h.handshakeFuture().addListener(f -> {
            if (c.isClosed()) {
                return;
            }
            if (!f.isSuccess()) {
                // said first: failing the client's handshake below would otherwise end the connection
                // as the client's failure, telling the user to make the client trust xmppscope's CA
                failed(ProxiedConnection.Side.SERVER, f.cause());
                if (failTo != null) {
                    failTo.tryFailure(f.cause());
                }
                return;
            }
            SSLSession s = h.engine().getSession();
            String chosen = requested != null && !requested.isBlank() ? requested : nameFromCertificate(s);
            domain = chosen;
            alpnChosen = h.engine().getApplicationProtocol();
            c.recordEvent(Direction.TO_SERVER, EventKind.TLS_ESTABLISHED, "with upstream "
                    + HostPort.of(c.route.upstream()) + ": " + s.getProtocol() + " " + s.getCipherSuite()
                    + alpn() + ", certificate " + peerSubject(s)
                    + (c.proxy.tls.insecureUpstream() ? " (not verified: --insecure-upstream)" : "")
                    + (presentAs == null ? "" : ", presenting xmppscope's certificate for " + presentAs + " if asked for one"));
            then.accept(chosen);
        });
    }

    /** The client side finished (or failed) its handshake. */
    void clientHandshake(SslHandshakeCompletionEvent evt) {
        if (c.isClosed()) {
            return;
        }
        if (!evt.isSuccess()) {
            failed(ProxiedConnection.Side.CLIENT, evt.cause());
            return;
        }
        SslHandler h = c.client.pipeline().get(SslHandler.class);
        SSLSession s = h.engine().getSession();
        c.recordEvent(Direction.TO_CLIENT, EventKind.TLS_ESTABLISHED, "with client "
                + HostPort.of(c.client.remoteAddress()) + ": " + s.getProtocol() + " " + s.getCipherSuite()
                + alpn() + ", presenting xmppscope's certificate for " + domain);
        X509Certificate own = clientCertificate(s);
        if (own != null) {
            String presentedAs = c.detector.serverToServer() ? domainOf(c.detector.streamFrom()) : null;
            c.recordEvent(Direction.TO_SERVER, EventKind.CLIENT_CERTIFICATE_WITHHELD, "the client presented its certificate "
                    + own.getSubjectX500Principal().getName() + " (issued by " + own.getIssuerX500Principal().getName()
                    + "); an intercepting proxy cannot pass it on, not holding its key: "
                    + (presentedAs == null ? "the server was shown no client certificate"
                            : "the server was shown xmppscope's certificate for " + presentedAs + " instead"));
        }
    }

    /** The certificate the client presented when the proxy asked for one, or null. */
    private static X509Certificate clientCertificate(SSLSession s) {
        try {
            Certificate[] chain = s.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null; // the client has none, as most do
        }
    }

    /** The ALPN outcome for the TLS_ESTABLISHED events, empty when the client offered none. */
    private String alpn() {
        if (alpnOffered.isEmpty()) {
            return "";
        }
        String offer = String.join(", ", alpnOffered);
        return alpnChosen == null || alpnChosen.isEmpty()
                ? ", ALPN: none chosen by the upstream (the client offered " + offer + ")"
                : ", ALPN " + alpnChosen + " (chosen by the upstream from the client's " + offer + ")";
    }

    /** TLS failed on one side: record why, in words a user can act on, and end the connection. */
    void failed(ProxiedConnection.Side side, Throwable cause) {
        String why = rootMessage(cause);
        String detail;
        if (side == ProxiedConnection.Side.SERVER) {
            String upstream = HostPort.of(c.route.upstream());
            detail = isCertificateProblem(cause)
                    ? "upstream " + upstream + " presented a certificate that is not trusted"
                            + (domain != null ? " for " + domain : "") + " (" + why + ")" + (c.proxy.tls.ownUpstreamCa()
                                    ? ": it does not chain to a certificate given with --upstream-ca"
                                    : "; trust its CA with --upstream-ca FILE, or accept any with --insecure-upstream")
                    : "TLS with upstream " + upstream + " failed: " + why;
        } else {
            detail = "TLS with client " + HostPort.of(c.client.remoteAddress()) + " failed: " + why
                    + " (a client must trust xmppscope's CA to talk through an intercepting route: xmppscope ca --export)";
        }
        c.recordEvent(side == ProxiedConnection.Side.CLIENT ? Direction.TO_CLIENT : Direction.TO_SERVER, EventKind.TLS_FAILED,
                detail);
        c.close(dev.xmppscope.capture.CloseReason.TLS_FAILED, detail);
    }

    void closeNotify(ProxiedConnection.Side side) {
        if (!c.isClosed()) {
            c.recordEvent(side.readDirection(), EventKind.TLS_CLOSE_NOTIFY, side.label() + " sent a TLS close_notify");
        }
    }

    void release() {
        if (heldProceed != null) {
            heldProceed.release();
            heldProceed = null;
        }
    }

    private static String domainOf(String jid) {
        if (jid == null || jid.isBlank()) {
            return null;
        }
        String d = jid.contains("@") ? jid.substring(jid.indexOf('@') + 1) : jid;
        return d.contains("/") ? d.substring(0, d.indexOf('/')) : d;
    }

    static boolean isTlsFailure(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCertificateProblem(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof java.security.cert.CertificateException || x instanceof SSLPeerUnverifiedException
                    || String.valueOf(x.getMessage()).contains("PKIX")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable x = t;
        while (x.getCause() != null && x.getCause() != x) {
            x = x.getCause();
        }
        return x.getMessage() != null ? x.getMessage() : x.toString();
    }

    private String nameFromCertificate(SSLSession s) {
        try {
            Certificate[] chain = s.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x && x.getSubjectAlternativeNames() != null) {
                for (List<?> san : x.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        return (String) san.get(1);
                    }
                }
            }
        } catch (SSLPeerUnverifiedException | CertificateParsingException e) {
            // fall back to the address below: still a certificate, just not naming a domain
        }
        return c.route.upstream().getAddress().getHostAddress();
    }

    private static String peerSubject(SSLSession s) {
        try {
            Certificate[] chain = s.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x.getSubjectX500Principal().getName() : "(none)";
        } catch (SSLPeerUnverifiedException e) {
            return "(none)";
        }
    }
}
