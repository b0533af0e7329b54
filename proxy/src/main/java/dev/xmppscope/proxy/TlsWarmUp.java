package dev.xmppscope.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Does once, on a thread of its own as the proxy starts, what the first intercepted connection of
 * a fresh proxy otherwise waited for on its event loop: signing a certificate with BouncyCastle,
 * initialising Netty's JDK TLS server context (which sets up JSSE) and running JSSE's handshake
 * code, here in one TLS handshake in memory with a throwaway certificate from xmppscope's CA.
 * Profiled with JFR: most of the wait was {@code JdkSslServerContext}'s class initialisation, then
 * certificate signing. Measured on 2 busy cores (slixmpp through an intercepting route to Prosody,
 * the first client 3 s after the start): its client-facing handshake ended 0.8–1.5 s after
 * {@code <proceed/>} before (1.9–2.5 s when it came at once), 0.26–0.5 s with this; later ones 60–150 ms.
 */
final class TlsWarmUp {
    /** Named nowhere: the certificate is made for this handshake only, and not cached. */
    private static final String DOMAIN = "warm-up.xmppscope.invalid";
    private static final int MAX_STEPS = 200;

    private TlsWarmUp() {
    }

    /** Starts the warm-up; a failure only costs the first connection its time, so it is logged, never thrown. */
    static void start(CertificateAuthority ca) {
        Thread t = new Thread(() -> {
            try {
                handshake(ca);
            } catch (RuntimeException | SSLException e) {
                System.getLogger(TlsWarmUp.class.getName()).log(System.Logger.Level.WARNING,
                        "preparing TLS interception failed (the first intercepted connection will take longer): " + e);
            }
        }, "xmppscope-tls-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** One handshake in memory between a server presenting {@code ca}'s certificate and a client trusting it; its protocol. */
    static String handshake(CertificateAuthority ca) throws SSLException {
        SSLEngine server = TlsContexts.serverContext(ca.issue(DOMAIN), DOMAIN).newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine client = SslContextBuilder.forClient().trustManager(ca.certificate()).build()
                .newEngine(ByteBufAllocator.DEFAULT, DOMAIN, 5222);
        int size = Math.max(server.getSession().getPacketBufferSize(), client.getSession().getApplicationBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(size);
        ByteBuffer toClient = ByteBuffer.allocate(size);
        ByteBuffer app = ByteBuffer.allocate(size);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < MAX_STEPS; i++) {
            if (done(client) && done(server)) {
                return client.getSession().getProtocol();
            }
            step(client, toClient, toServer, app);
            step(server, toServer, toClient, app);
        }
        throw new SSLException("the warm-up handshake did not finish in " + MAX_STEPS + " steps");
    }

    private static boolean done(SSLEngine e) {
        HandshakeStatus s = e.getHandshakeStatus();
        return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
    }

    /** What {@code e} asks for next: runs its tasks, writes to {@code out}, or reads what {@code in} holds. */
    private static void step(SSLEngine e, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
        switch (e.getHandshakeStatus()) {
            case NEED_TASK -> {
                for (Runnable task = e.getDelegatedTask(); task != null; task = e.getDelegatedTask()) {
                    task.run();
                }
            }
            case NEED_WRAP -> e.wrap(ByteBuffer.allocate(0), out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                e.unwrap(in, app);
                in.compact();
                app.clear();
            }
            default -> {
                // done: the other side may still have a step to take
            }
        }
    }
}
