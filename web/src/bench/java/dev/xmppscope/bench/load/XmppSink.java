package dev.xmppscope.bench.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server end of every relay benchmark: answers each client's stream header with its own
 * header and features, counts what arrives, and (in {@link Mode#ECHO_PINGS}) answers each ping
 * IQ with its result, as a real server would.
 */
public final class XmppSink implements AutoCloseable {
    /** What the sink does with stanzas. */
    public enum Mode { COUNT, ECHO_PINGS }

    private final EventLoopGroup group;
    private final Channel server;
    private final LongAdder bytes = new LongAdder();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();

    private XmppSink(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /** Listens on {@code address} at a free port. */
    public static XmppSink start(InetAddress address, Mode mode, int threads) {
        EventLoopGroup group = NettyLoops.create(threads);
        XmppSink[] self = new XmppSink[1];
        Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(self[0].new StreamHandler(mode));
                    }
                })
                .bind(new InetSocketAddress(address, 0)).syncUninterruptibly().channel();
        self[0] = new XmppSink(group, ch);
        return self[0];
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    public long bytesReceived() {
        return bytes.sum();
    }

    public int openStreams() {
        return open.get();
    }

    public long acceptedStreams() {
        return accepted.get();
    }

    /** Waits until at most {@code streams} are open (the relay under test has let go of the rest). */
    public boolean awaitOpenAtMost(int streams, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (open.get() > streams) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        NettyLoops.shutdown(group);
    }

    private final class StreamHandler extends ChannelInboundHandlerAdapter {
        private final Mode mode;
        private final IqIdScanner scanner = new IqIdScanner();
        private boolean headerSent;

        StreamHandler(Mode mode) {
            this.mode = mode;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            open.incrementAndGet();
            accepted.incrementAndGet();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                bytes.add(buf.readableBytes());
                if (!headerSent) {
                    headerSent = true;
                    ctx.write(Unpooled.wrappedBuffer(StanzaCorpus.serverHeader("b.example", accepted.get())));
                }
                if (mode == Mode.ECHO_PINGS) {
                    scanner.feed(buf, id -> ctx.write(Unpooled.wrappedBuffer(
                            ("<iq type='result' from='b.example' id='q" + id + "'/>").getBytes(StandardCharsets.US_ASCII))));
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.decrementAndGet();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a relay resetting a stream when the generator stops is expected; the stream just ends
            ctx.close();
        }
    }
}
