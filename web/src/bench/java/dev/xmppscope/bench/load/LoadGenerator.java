package dev.xmppscope.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens N client streams (stream header first) to a target and drives stanzas through them:
 * as fast as the target accepts them (respecting TCP backpressure), or at a fixed total rate of
 * whole stanzas. Durations are the caller's: it starts, waits, stops. Loopback targets only.
 */
public final class LoadGenerator implements AutoCloseable {
    private static final int SLICE = 16 * 1024;

    private final EventLoopGroup group;
    private final StanzaCorpus corpus;
    private final ByteBuf block;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final AtomicInteger established = new AtomicInteger();
    private volatile boolean pumping;
    private Thread pacer;

    public LoadGenerator(int threads, StanzaCorpus corpus) {
        this.group = NettyLoops.create(threads);
        this.corpus = corpus;
        this.block = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(corpus.block()));
    }

    /**
     * Opens {@code connections} streams to {@code target}, at most {@code inFlight} connects at a
     * time, and waits until each got the server's stream header back.
     *
     * @throws IllegalStateException naming how many streams did not come up in time
     */
    public void connect(InetSocketAddress target, int connections, int inFlight, long timeoutMillis)
            throws InterruptedException {
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .handler(new ClientStream());
        long deadline = System.currentTimeMillis() + timeoutMillis;
        int target0 = established.get() + connections;
        for (int done = 0; done < connections; ) {
            int wave = Math.min(inFlight, connections - done);
            List<ChannelFuture> futures = new ArrayList<>(wave);
            for (int i = 0; i < wave; i++) {
                futures.add(b.connect(target));
            }
            for (ChannelFuture f : futures) {
                if (!f.await(Math.max(1, deadline - System.currentTimeMillis())) || !f.isSuccess()) {
                    throw new IllegalStateException("could not open stream " + (done + 1) + " of " + connections
                            + " to " + target + ": " + (f.cause() == null ? "timed out" : f.cause().getMessage()));
                }
                channels.add(f.channel());
                done++;
            }
            while (established.get() < target0 - (connections - done) && System.currentTimeMillis() < deadline) {
                Thread.sleep(2);
            }
        }
        while (established.get() < target0) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException((target0 - established.get()) + " of " + connections
                        + " streams to " + target + " got no stream header back in " + timeoutMillis + " ms");
            }
            Thread.sleep(5);
        }
    }

    /** Streams whose server header has arrived. */
    public int established() {
        return established.get();
    }

    /** Starts sending: {@code stanzasPerSecond <= 0} means as fast as the target takes them. */
    public void start(double stanzasPerSecond) {
        pumping = true;
        if (stanzasPerSecond <= 0) {
            for (Channel ch : channels) {
                ch.eventLoop().execute(() -> pump(ch));
            }
        } else {
            pacer = new Thread(() -> pace(stanzasPerSecond), "load-pacer");
            pacer.setDaemon(true);
            pacer.start();
        }
    }

    public void stop() throws InterruptedException {
        pumping = false;
        if (pacer != null) {
            pacer.join(2000);
            pacer = null;
        }
    }

    /** Closes every stream (after {@code </stream:stream>}) and waits for the closes. */
    public void closeAll() {
        for (Channel ch : channels) {
            if (ch.isActive()) {
                ch.writeAndFlush(Unpooled.wrappedBuffer(StanzaCorpus.streamClose()));
            }
            ch.close();
        }
        for (Channel ch : channels) {
            ch.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        channels.clear();
        established.set(0);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        closeAll();
        NettyLoops.shutdown(group);
    }

    private void pump(Channel ch) {
        PumpState st = ch.attr(PumpState.KEY).get();
        boolean wrote = false;
        while (pumping && ch.isWritable()) {
            int len = Math.min(SLICE, block.capacity() - st.position);
            ch.write(block.slice(st.position, len), ch.voidPromise());
            st.position = (st.position + len) % block.capacity();
            wrote = true;
        }
        if (wrote) {
            ch.flush();
        }
    }

    private void pace(double rate) {
        long start = System.nanoTime();
        long sent = 0;
        int next = 0;
        int stanza = 0;
        while (pumping) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
            for (; sent < due; sent++) {
                Channel ch = channels.get(next++ % channels.size());
                ch.writeAndFlush(block.slice(corpus.stanzaStart(stanza), corpus.stanzaEnd(stanza) - corpus.stanzaStart(stanza)),
                        ch.voidPromise());
                stanza = (stanza + 1) % corpus.stanzaCount();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
    }

    /** Where a stream is in the corpus. */
    private static final class PumpState {
        static final io.netty.util.AttributeKey<PumpState> KEY = io.netty.util.AttributeKey.valueOf("bench.pump");
        int position;
    }

    @io.netty.channel.ChannelHandler.Sharable
    private final class ClientStream extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            PumpState st = new PumpState();
            // streams start at different places so they do not send identical bytes in lockstep
            st.position = corpus.stanzaStart((int) (Math.abs(ctx.channel().hashCode()) % corpus.stanzaCount()));
            ctx.channel().attr(PumpState.KEY).set(st);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(StanzaCorpus.clientHeader("b.example")));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!ctx.channel().hasAttr(ESTABLISHED)) {
                ctx.channel().attr(ESTABLISHED).set(Boolean.TRUE);
                established.incrementAndGet();
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (pumping && ctx.channel().isWritable()) {
                pump(ctx.channel());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static final io.netty.util.AttributeKey<Boolean> ESTABLISHED = io.netty.util.AttributeKey.valueOf("bench.up");
}
