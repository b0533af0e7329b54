package dev.xmppscope.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a route's listening channel: a connection that cannot be accepted (the process is out of
 * file descriptors, say) is logged in words, at most every {@value #SAY_EVERY_SECONDS} s, and
 * accepting pauses for a second, as Netty's own acceptor would pause: the pending connections
 * wait in the kernel's queue. Netty's default was a stack trace per failure under "an
 * exceptionCaught() event ... reached the tail of the pipeline".
 */
final class AcceptFailures extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptFailures.class);
    private static final long SAY_EVERY_SECONDS = 10;

    private final Route route;
    private long lastSaid = Long.MIN_VALUE;
    private int unsaid;

    AcceptFailures(Route route) {
        this.route = route;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        long now = System.nanoTime();
        if (lastSaid == Long.MIN_VALUE || now - lastSaid >= TimeUnit.SECONDS.toNanos(SAY_EVERY_SECONDS)) {
            LOG.warn("route {}: new connections cannot be accepted and wait in the kernel's queue: {}{}", route.spec(),
                    OpenFiles.exhausted(cause) ? OpenFiles.explained() : cause.getMessage(),
                    unsaid == 0 ? "" : " (" + unsaid + " more failures since this was last said)");
            lastSaid = now;
            unsaid = 0;
        } else {
            unsaid++;
        }
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> ctx.channel().config().setAutoRead(true), 1, TimeUnit.SECONDS);
        }
    }
}
