package dev.xmppscope.proxy;

import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.HostPort;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.proxy.xmpp.PlusMechanismStripper;
import dev.xmppscope.proxy.xmpp.StartTlsDetector;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection and its upstream: the state the frontend and backend handlers share.
 * Everything here runs on the connection's single event loop (the backend is opened on the
 * frontend's loop), so no field needs locking.
 *
 * <p>It records what crosses the proxy (chunks on a per-connection sequence, events, the close
 * and its reason), relays bytes unchanged, propagates half-close and resets, and hands the
 * moments TLS starts to {@link TlsInterceptor}.
 */
final class ProxiedConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ProxiedConnection.class);

    /** One end of the relay. */
    enum Side {
        CLIENT, SERVER;

        /** The direction of the bytes read on this side. */
        Direction readDirection() {
            return this == CLIENT ? Direction.TO_SERVER : Direction.TO_CLIENT;
        }

        String label() {
            return this == CLIENT ? "client" : "upstream";
        }
    }

    /** What the TCP connection of one side carries. */
    enum Wire { PLAIN, ENCRYPTED, INTERCEPTED }

    final long id;
    final Route route;
    final ProxyContext proxy;
    final Channel client;
    Channel server;
    final ReadGate clientGate;
    ReadGate serverGate;
    final StartTlsDetector detector = new StartTlsDetector();
    final PlusMechanismStripper stripper = new PlusMechanismStripper();
    final TlsInterceptor tls;
    Wire clientWire = Wire.PLAIN;
    Wire serverWire = Wire.PLAIN;
    ChannelHandlerContext clientTap;
    ChannelHandlerContext serverTap;
    private final ConnectionTape tape;
    private boolean clientInputDone;
    private boolean serverInputDone;
    private CloseReason firstClose;
    private String firstCloseDetail;
    private boolean closed;
    private boolean waitingForRecorder;

    ProxiedConnection(Route route, ProxyContext proxy, Channel client) {
        this.id = proxy.connectionIds.getAsLong();
        this.route = route;
        this.proxy = proxy;
        this.client = client;
        this.clientGate = new ReadGate(client);
        this.tls = new TlsInterceptor(this);
        this.tape = new ConnectionTape(id, proxy.sink);
    }

    boolean isClosed() {
        return closed;
    }

    Channel channel(Side side) {
        return side == Side.CLIENT ? client : server;
    }

    Channel peer(Side side) {
        return side == Side.CLIENT ? server : client;
    }

    ReadGate gate(Side side) {
        return side == Side.CLIENT ? clientGate : serverGate;
    }

    Wire wire(Side side) {
        return side == Side.CLIENT ? clientWire : serverWire;
    }

    /** The client connected: record it and open the upstream on the same event loop. */
    void start() {
        recordOpened();
        Bootstrap b = new Bootstrap()
                .group(client.eventLoop())
                .channel(client.getClass())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, ProxyContext.WATER_MARK)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, ProxyContext.CONNECT_TIMEOUT_MS)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(WireTap.NAME, new WireTap(ProxiedConnection.this, Side.SERVER));
                        ch.pipeline().addLast(new BackendHandler(ProxiedConnection.this));
                    }
                });
        ChannelFuture f = b.connect(route.upstream());
        server = f.channel();
        f.addListener((ChannelFutureListener) done -> {
            if (!done.isSuccess()) {
                upstreamUnreachable(done.cause());
                return;
            }
            upstreamConnected(done.channel());
        });
    }

    /** Records the connection and holds the client's reads until the upstream is connected. */
    void recordOpened() {
        proxy.open.add(this);
        clientGate.hold(ReadGate.Hold.UPSTREAM_CONNECTING);
        tape.opened(route, HostPort.of(client.localAddress()), HostPort.of(client.remoteAddress()), HostPort.of(route.upstream()));
    }

    /** The upstream is connected (its pipeline holds a {@link WireTap} and a {@link BackendHandler}): start relaying. */
    void upstreamConnected(Channel upstream) {
        server = upstream;
        if (closed) {
            upstream.close();
            return;
        }
        serverGate = new ReadGate(server);
        serverGate.apply();
        clientGate.release(ReadGate.Hold.UPSTREAM_CONNECTING);
    }

    // ---- reads -------------------------------------------------------------------------------

    /** Raw bytes from a socket, before any TLS handler (called by {@link WireTap}). */
    void onWireRead(Side side, ChannelHandlerContext tap, ByteBuf buf) {
        if (closed) {
            buf.release();
            return;
        }
        Direction dir = side.readDirection();
        int n = buf.readableBytes();
        tape.wireBytes(dir, n);
        switch (wire(side)) {
            case INTERCEPTED -> tap.fireChannelRead(buf);
            case ENCRYPTED -> {
                if (side == Side.CLIENT) {
                    tls.clientTls(buf);
                }
                recordEncrypted(dir, n);
                tap.fireChannelRead(buf);
            }
            case PLAIN -> onCleartext(side, tap, buf);
            default -> throw new IllegalStateException();
        }
    }

    private void onCleartext(Side side, ChannelHandlerContext tap, ByteBuf buf) {
        byte[] bytes = ByteBufUtil.getBytes(buf);
        if (side == Side.CLIENT) {
            if (detector.clientBytes(bytes, 0, bytes.length) == StartTlsDetector.ClientVerdict.DIRECT_TLS) {
                tls.directTls(tap, buf);
                return;
            }
            recordChunk(Direction.TO_SERVER, TlsLayer.PLAIN, bytes);
            tap.fireChannelRead(buf);
            return;
        }
        int tlsStart = detector.serverBytes(bytes, 0, bytes.length);
        if (tlsStart < 0) {
            recordChunk(Direction.TO_CLIENT, TlsLayer.PLAIN, bytes);
            tap.fireChannelRead(buf);
            return;
        }
        byte[] before = java.util.Arrays.copyOf(bytes, tlsStart);
        recordChunk(Direction.TO_CLIENT, TlsLayer.PLAIN, before);
        recordEvent(Direction.TO_CLIENT, EventKind.STARTTLS_PROCEED, "server answered <proceed/>: TLS starts on the next byte ("
                + (route.tlsMode() == TlsMode.INTERCEPT ? "intercepting" : "passing it through") + ")");
        ByteBuf proceed = buf.readRetainedSlice(tlsStart);
        ByteBuf rest = buf; // whatever followed <proceed/> in the same read already belongs to TLS
        tls.startTlsProceed(tap, proceed, rest);
    }

    /** Bytes after any TLS handler, ready to relay (called by the frontend and backend handlers). */
    void onRelayRead(Side side, ByteBuf buf) {
        if (closed) {
            buf.release();
            return;
        }
        Channel peer = peer(side);
        if (wire(side) == Wire.INTERCEPTED) {
            byte[] plain = ByteBufUtil.getBytes(buf);
            recordChunk(side.readDirection(), TlsLayer.DECRYPTED, plain);
            if (side == Side.SERVER && stripper.watching()) {
                PlusMechanismStripper.Result r = stripper.feed(plain);
                if (r.forward() == plain) {
                    peer.write(buf, peer.voidPromise()); // unchanged: relay Netty's buffer itself
                    return;
                }
                buf.release();
                if (!r.stripped().isEmpty()) {
                    recordEvent(Direction.TO_CLIENT, EventKind.PLUS_MECHANISMS_STRIPPED, "removed " + String.join(", ",
                            r.stripped()) + " from the server's stream features before relaying them: channel binding"
                            + " cannot survive TLS interception (the recorded bytes are what the server sent)");
                }
                if (r.forward().length > 0) {
                    peer.write(Unpooled.wrappedBuffer(r.forward()), peer.voidPromise());
                }
                return;
            }
        }
        peer.write(buf, peer.voidPromise());
    }

    void onRelayReadComplete(Side side) {
        Channel peer = peer(side);
        if (peer != null && !closed) {
            peer.flush();
        }
    }

    /** One side's outbound buffer crossed a water mark: hold or release reads on the other side. */
    void onWritabilityChanged(Side side) {
        Channel ch = channel(side);
        ReadGate other = gate(side == Side.CLIENT ? Side.SERVER : Side.CLIENT);
        if (ch == null || other == null) {
            return;
        }
        if (ch.isWritable()) {
            other.release(ReadGate.Hold.PEER_BUSY);
        } else {
            other.hold(ReadGate.Hold.PEER_BUSY);
        }
    }

    // ---- recording ---------------------------------------------------------------------------

    void recordChunk(Direction dir, TlsLayer layer, byte[] bytes) {
        proxy.reads.increment();
        if (tape.chunk(dir, layer, bytes)) {
            afterRecording();
        }
    }

    void recordEncrypted(Direction dir, int length) {
        proxy.reads.increment();
        if (tape.encrypted(dir, length)) {
            afterRecording();
        }
    }

    void recordEvent(Direction dir, EventKind kind, String detail) {
        tape.event(dir, kind, detail);
    }

    /** Pauses both sides while the recorder is behind; resumes them when it catches up. */
    private void afterRecording() {
        RecordingBackpressure bp = proxy.backpressure;
        if (bp == null || waitingForRecorder || !bp.isBehind()) {
            return;
        }
        waitingForRecorder = true;
        clientGate.hold(ReadGate.Hold.RECORDER_BEHIND);
        if (serverGate != null) {
            serverGate.hold(ReadGate.Hold.RECORDER_BEHIND);
        }
        bp.whenCaughtUp(() -> client.eventLoop().execute(() -> {
            waitingForRecorder = false;
            clientGate.release(ReadGate.Hold.RECORDER_BEHIND);
            if (serverGate != null) {
                serverGate.release(ReadGate.Hold.RECORDER_BEHIND);
            }
        }));
    }

    // ---- endings -----------------------------------------------------------------------------

    /** A side sent FIN: pass it on as a half-close; when both have, the connection is done. */
    void onInputShutdown(Side side) {
        if (closed) {
            channel(side).close();
            return;
        }
        if (side == Side.CLIENT) {
            clientInputDone = true;
        } else {
            serverInputDone = true;
        }
        if (firstClose == null) {
            firstClose = side == Side.CLIENT ? CloseReason.CLIENT_CLOSED : CloseReason.SERVER_CLOSED;
            firstCloseDetail = side.label() + " " + HostPort.of(channel(side).remoteAddress()) + " closed the connection first";
        }
        recordEvent(side.readDirection(), EventKind.HALF_CLOSED, side.label() + " sent FIN; passed on to the "
                + (side == Side.CLIENT ? "upstream" : "client"));
        relayHeldFeatures(side);
        Channel peer = peer(side);
        if (peer == null || !peer.isActive() || (clientInputDone && serverInputDone)) {
            close(firstClose, firstCloseDetail);
            return;
        }
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            SslHandler ssl = peer.pipeline().get(SslHandler.class);
            if (ssl != null && peer.isActive()) {
                ssl.closeOutbound().addListener(x -> Channels.shutdownOutput(peer));
            } else {
                Channels.shutdownOutput(peer);
            }
        });
    }

    /** A side's channel closed (FIN without half-closure, or after an error). */
    void onInactive(Side side) {
        if (closed) {
            return;
        }
        CloseReason reason = firstClose != null ? firstClose
                : side == Side.CLIENT ? CloseReason.CLIENT_CLOSED : CloseReason.SERVER_CLOSED;
        String detail = firstClose != null ? firstCloseDetail
                : side.label() + " " + HostPort.of(channel(side).remoteAddress()) + " closed the connection";
        relayHeldFeatures(side);
        close(reason, detail);
    }

    /**
     * The server's side ended while the -PLUS stripper held part of a features element: relay
     * those bytes as they came (they are already recorded), so the client gets all the server sent.
     */
    private void relayHeldFeatures(Side side) {
        Channel peer = peer(side);
        if (side != Side.SERVER || stripper.heldBytes() == 0 || peer == null || !peer.isActive()) {
            return;
        }
        byte[] held = stripper.releaseHeld();
        recordEvent(Direction.TO_CLIENT, EventKind.HELD_FEATURES_RELAYED, "the server's side ended inside <stream:features>: the "
                + held.length + " bytes held back to strip -PLUS mechanisms were relayed unchanged");
        peer.writeAndFlush(Unpooled.wrappedBuffer(held), peer.voidPromise());
    }

    /** An I/O error on a side: a reset is passed on as a reset, anything else ends the connection with a reason. */
    void onException(Side side, Throwable cause) {
        if (closed) {
            LOG.debug("connection {}: {} error after close: {}", id, side.label(), cause.toString());
            return;
        }
        if (TlsInterceptor.isTlsFailure(cause)) {
            tls.failed(side, cause);
            return;
        }
        if (cause instanceof IOException) {
            CloseReason reason = side == Side.CLIENT ? CloseReason.CLIENT_RESET : CloseReason.SERVER_RESET;
            String detail = side.label() + " " + HostPort.of(channel(side).remoteAddress()) + " reset the connection"
                    + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
            // recorded first: closing the peer fails the writes it still holds, and that failure is ours, not the peer's
            finish(reason, detail);
            Channel peer = peer(side);
            if (peer != null && peer.isActive()) {
                peer.config().setOption(ChannelOption.SO_LINGER, 0); // close with RST: pass the reset on
                peer.close();
            }
            channel(side).close();
            return;
        }
        LOG.error("connection {} ({}): internal error on the {} side", id, route.spec(), side.label(), cause);
        close(CloseReason.PROXY_ERROR, "internal error on the " + side.label() + " side: " + cause);
    }

    private void upstreamUnreachable(Throwable cause) {
        String upstream = HostPort.of(route.upstream());
        String detail;
        if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")) {
            detail = "upstream " + upstream + " refused the connection";
        } else if (OpenFiles.exhausted(cause)) {
            detail = "cannot connect to upstream " + upstream + ": " + OpenFiles.explained();
        } else if (cause instanceof ConnectTimeoutException) {
            detail = "upstream " + upstream + " did not answer within " + ProxyContext.CONNECT_TIMEOUT_MS / 1000 + " s";
        } else {
            detail = "upstream " + upstream + " could not be reached: " + cause.getMessage();
        }
        finish(CloseReason.UPSTREAM_UNREACHABLE, detail);
        closeClientCleanly();
    }

    /**
     * Ends the client with a FIN rather than a reset: closing a socket with unread data makes
     * the kernel send RST, so read (and discard) what the client already sent until it closes.
     */
    private void closeClientCleanly() {
        if (!client.isActive()) {
            return;
        }
        Channels.shutdownOutput(client);
        client.config().setAutoRead(true);
        client.eventLoop().schedule(() -> client.close(), 2, TimeUnit.SECONDS);
    }

    /** Whether xmppscope began TLS with the client (intercepting) and the handshake has not succeeded. */
    private boolean clientLeftTlsHandshake() {
        SslHandler ssl = client.pipeline().get(SslHandler.class);
        return ssl != null && !ssl.handshakeFuture().isSuccess();
    }

    /** Ends the connection for {@code reason}: recorded once, pending bytes flushed, both sides closed. */
    void close(CloseReason reason, String detail) {
        if (closed) {
            return;
        }
        finish(reason, detail);
        Channels.closeOnFlush(client);
        Channels.closeOnFlush(server);
    }

    private void finish(CloseReason reason, String detail) {
        if (closed) {
            return;
        }
        if ((reason == CloseReason.CLIENT_CLOSED || reason == CloseReason.CLIENT_RESET) && clientLeftTlsHandshake()) {
            // a client that distrusts the certificate it was shown often just closes, with no alert to report
            String why = "the client ended the connection during its TLS handshake with xmppscope, before trusting it: most"
                    + " likely it does not trust xmppscope's CA (a client must trust it to talk through an intercepting"
                    + " route: xmppscope ca --export)";
            recordEvent(Direction.TO_CLIENT, EventKind.TLS_FAILED, "TLS with client " + HostPort.of(client.remoteAddress())
                    + " failed: " + why);
            detail = detail + "; " + why;
        }
        closed = true;
        proxy.open.remove(this);
        tls.release();
        tape.closed(reason, detail);
        proxy.warnings.connectionEnded(route, reason, detail);
    }
}
