package dev.xmppscope.proxy;

import dev.xmppscope.capture.ClientHello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Netty's SNI handler for an intercepted Direct TLS connection, which also passes ALPN through:
 * it hands the client's ClientHello (whole, as Netty gathers it; not if unreadable) to {@code offered} before the context
 * lookup (which connects upstream offering the same), and the handler it installs answers the
 * client with the protocol the upstream chose ({@code chosenUpstream}), or with none if the
 * upstream chose none.
 */
final class AlpnSniHandler extends SniHandler {
    private final Consumer<ClientHello> offered;
    private final Supplier<String> chosenUpstream;

    AlpnSniHandler(AsyncMapping<String, SslContext> lookup, Consumer<ClientHello> offered, Supplier<String> chosenUpstream) {
        super(lookup);
        this.offered = offered;
        this.chosenUpstream = chosenUpstream;
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) throws Exception {
        if (clientHello != null) { // null: not a ClientHello, which the handshake then says
            ClientHello.ofBody(ByteBufUtil.getBytes(clientHello), 0, clientHello.readableBytes()).ifPresent(offered);
        }
        return super.lookup(ctx, clientHello);
    }

    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator alloc) {
        SslHandler h = super.newSslHandler(context, alloc);
        String chosen = chosenUpstream.get();
        // "" tells the JDK to send no ALPN answer, as the upstream sent none
        h.engine().setHandshakeApplicationProtocolSelector((engine, clientOffer) ->
                chosen != null && clientOffer.contains(chosen) ? chosen : "");
        return h;
    }
}
