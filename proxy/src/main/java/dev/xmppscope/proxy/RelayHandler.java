package dev.xmppscope.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Last in each pipeline: passes what one side sent (decrypted, if intercepted) to the
 * connection for relaying, and reports the side's writability, half-close, TLS and errors.
 * {@link FrontendHandler} (client side) and {@link BackendHandler} (upstream side) are its two forms.
 */
abstract class RelayHandler extends ChannelInboundHandlerAdapter {
    protected final ProxiedConnection connection;
    private final ProxiedConnection.Side side;

    RelayHandler(ProxiedConnection connection, ProxiedConnection.Side side) {
        this.connection = connection;
        this.side = side;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        connection.onRelayRead(side, (ByteBuf) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        connection.onRelayReadComplete(side);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.onWritabilityChanged(side);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            connection.onInputShutdown(side);
        } else if (evt instanceof SslHandshakeCompletionEvent e) {
            if (side == ProxiedConnection.Side.CLIENT) {
                connection.tls.clientHandshake(e);
            }
        } else if (evt instanceof SslCloseCompletionEvent) {
            connection.tls.closeNotify(side);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.onInactive(side);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.onException(side, cause);
    }
}
