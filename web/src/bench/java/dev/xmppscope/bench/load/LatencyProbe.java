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
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures round trips of small request/response stanzas (XEP-0199 pings answered by the
 * sink) at a steady rate spread over a few streams. Each round trip is timed from just before
 * the write to the moment its result is read, so pauses anywhere show up in the tail.
 */
public final class LatencyProbe implements AutoCloseable {
    private final EventLoopGroup group = NettyLoops.create(1);
    private final List<Channel> channels = new ArrayList<>();
    private final AtomicInteger established = new AtomicInteger();
    private volatile long[] sentAt = new long[0];
    private volatile long[] rtt = new long[0];
    private final AtomicInteger answered = new AtomicInteger();

    /** Opens {@code streams} client streams to {@code target} and waits for their headers. */
    public void connect(InetSocketAddress target, int streams) throws InterruptedException {
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ProbeStream());
        for (int i = 0; i < streams; i++) {
            ChannelFuture f = b.connect(target).await();
            if (!f.isSuccess()) {
                throw new IllegalStateException("latency probe cannot connect to " + target + ": " + f.cause().getMessage());
            }
            channels.add(f.channel());
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (established.get() < streams) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("latency probe: no stream header back from " + target);
            }
            Thread.sleep(2);
        }
    }

    /**
     * Sends {@code rate} pings per second for {@code millis}, round-robin over the streams,
     * then waits up to 2 s for stragglers.
     *
     * @return round-trip times in nanoseconds of the answered pings, sorted; unanswered ones are
     *         counted by {@link #lastUnanswered()}
     */
    public long[] run(int rate, long millis) throws InterruptedException {
        int total = (int) (rate * millis / 1000);
        long[] sent = new long[total];
        long[] rtts = new long[total];
        Arrays.fill(rtts, -1);
        answered.set(0);
        this.sentAt = sent;
        this.rtt = rtts;
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            Channel ch = channels.get(i % channels.size());
            ByteBuf ping = Unpooled.wrappedBuffer(("<iq type='get' to='b.example' id='q" + i
                    + "'><ping xmlns='urn:xmpp:ping'/></iq>").getBytes(StandardCharsets.US_ASCII));
            sent[i] = System.nanoTime();
            ch.writeAndFlush(ping, ch.voidPromise());
        }
        long deadline = System.currentTimeMillis() + 2000;
        while (answered.get() < total && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        lastTotal = total;
        return Arrays.stream(rtts).filter(x -> x >= 0).sorted().toArray();
    }

    private int lastTotal;

    public int lastUnanswered() {
        return lastTotal - answered.get();
    }

    /** The {@code q}-quantile (0..1) of sorted samples, nearest rank. */
    public static long quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close();
        }
        for (Channel ch : channels) {
            ch.closeFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        NettyLoops.shutdown(group);
    }

    @io.netty.channel.ChannelHandler.Sharable
    private final class ProbeStream extends ChannelInboundHandlerAdapter {
        private final io.netty.util.AttributeKey<IqIdScanner> scannerKey = io.netty.util.AttributeKey.valueOf("bench.scan");
        private final io.netty.util.AttributeKey<Boolean> upKey = io.netty.util.AttributeKey.valueOf("bench.probe.up");

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.channel().attr(scannerKey).set(new IqIdScanner());
            ctx.writeAndFlush(Unpooled.wrappedBuffer(StanzaCorpus.clientHeader("b.example")));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            long now = System.nanoTime();
            ByteBuf buf = (ByteBuf) msg;
            try {
                IqIdScanner scanner = ctx.channel().attr(scannerKey).get();
                if (ctx.channel().attr(upKey).setIfAbsent(Boolean.TRUE) == null) {
                    established.incrementAndGet(); // the server's stream header arrived
                }
                scanner.feed(buf, id -> {
                    long[] sent = sentAt;
                    if (id < sent.length && rtt[(int) id] < 0) {
                        rtt[(int) id] = now - sent[(int) id];
                        answered.incrementAndGet();
                    }
                });
            } finally {
                buf.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
