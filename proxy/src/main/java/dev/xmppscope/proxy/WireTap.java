package dev.xmppscope.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * First in each pipeline: sees the bytes exactly as they came off the socket, before any TLS
 * handler, and hands them to the connection (which records cleartext and ciphertext lengths,
 * and notices when TLS starts). Writes made from here skip any TLS handler added after it.
 */
final class WireTap extends ChannelInboundHandlerAdapter {
    static final String NAME = "wire-tap";

    private final ProxiedConnection connection;
    private final ProxiedConnection.Side side;

    WireTap(ProxiedConnection connection, ProxiedConnection.Side side) {
        this.connection = connection;
        this.side = side;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (side == ProxiedConnection.Side.CLIENT) {
            connection.clientTap = ctx;
        } else {
            connection.serverTap = ctx;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        connection.onWireRead(side, ctx, (ByteBuf) msg);
    }
}
