package dev.xmppscope.proxy;

import io.netty.channel.ChannelHandlerContext;

/**
 * The client side of a proxied connection: when the client connects it opens the upstream (on
 * the same event loop, as Netty's proxy example does), then relays what the client sends.
 */
final class FrontendHandler extends RelayHandler {
    FrontendHandler(ProxiedConnection connection) {
        super(connection, ProxiedConnection.Side.CLIENT);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection.start();
    }
}
