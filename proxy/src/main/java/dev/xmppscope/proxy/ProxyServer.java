package dev.xmppscope.proxy;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.StreamSupport;

/**
 * The recording proxy: listens on every route and relays each connection to the route's
 * upstream byte for byte, telling {@code recorder} what it saw. Shaped like Netty's HexDumpProxy:
 * a frontend/backend handler pair per connection on one event loop, reads paused and resumed
 * from {@code channelWritabilityChanged} (water marks 128/512 KiB) for backpressure, each side
 * closing the other after flushing.
 *
 * <pre>
 * try (CaptureStore store = CaptureStore.open(db); Recorder recorder = Recorder.start(store, false);
 *      ProxyServer proxy = ProxyServer.start(new ProxyOptions(routes, false, ca), recorder)) { ... }
 * </pre>
 */
public final class ProxyServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final List<Channel> listeners;
    private final ProxyContext context;

    private ProxyServer(EventLoopGroup group, List<Channel> listeners, ProxyContext context) {
        this.group = group;
        this.listeners = listeners;
        this.context = context;
    }

    /**
     * Binds every route and starts relaying. {@code recorder} is called from the proxy's event
     * loop threads and must be thread-safe and quick (a {@link Recorder} is both, and also
     * supplies connection ids that continue its store's).
     *
     * @throws IllegalStateException if a listen address cannot be bound (nothing is left running)
     */
    public static ProxyServer start(ProxyOptions options, CaptureSink recorder) {
        LongSupplier ids = recorder instanceof Recorder r ? r::nextConnectionId : new AtomicLong(1)::getAndIncrement;
        TlsContexts tls = new TlsContexts(options.ca(), options.insecureUpstream(), options.upstreamCa());
        if (options.ca() != null) {
            TlsWarmUp.start(options.ca()); // an intercepting proxy: its first client should not wait for the JVM's TLS set-up
        }
        ProxyContext context = new ProxyContext(recorder, tls, ids);
        // one loop per core, not Netty's default of two: with more loops than cores they preempt
        // each other (README, "One relay thread per core", has the measurements)
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.eventLoops(), NioIoHandler.newFactory());
        OpenFiles.limit(); // read now: once the files run out, the limit cannot be read to say so
        List<Channel> bound = new ArrayList<>();
        try {
            for (Route route : options.routes()) {
                ServerBootstrap b = new ServerBootstrap()
                        .group(group)
                        .channel(NioServerSocketChannel.class)
                        .handler(new AcceptFailures(route))
                        .childOption(ChannelOption.AUTO_READ, false)
                        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ProxyContext.WATER_MARK)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ProxiedConnection c = new ProxiedConnection(route, context, ch);
                                ch.pipeline().addLast(WireTap.NAME, new WireTap(c, ProxiedConnection.Side.CLIENT));
                                ch.pipeline().addLast(new FrontendHandler(c));
                            }
                        });
                try {
                    bound.add(b.bind(route.listen()).sync().channel());
                } catch (Exception e) {
                    throw new IllegalStateException("cannot listen on " + HostPort.of(route.listen())
                            + " for route " + route.spec() + ": " + e.getMessage(), e);
                }
            }
        } catch (RuntimeException e) {
            bound.forEach(Channel::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
        return new ProxyServer(group, bound, context);
    }

    /** The addresses actually bound, in route order (a route with port 0 gets a free port). */
    public List<InetSocketAddress> boundAddresses() {
        return listeners.stream().map(ch -> (InetSocketAddress) ch.localAddress()).toList();
    }

    /** The event loop threads relaying the connections. */
    public int ioThreads() {
        return (int) StreamSupport.stream(group.spliterator(), false).count();
    }

    /** Connections currently open. */
    public int openConnections() {
        return context.open.size();
    }

    /** Reads relayed so far, both directions of every connection. */
    public long readsRelayed() {
        return context.reads.sum();
    }

    /** Stops listening, ends open connections (recorded as PROXY_SHUTDOWN) and stops the event loops. */
    @Override
    public void close() {
        listeners.forEach(ch -> ch.close().syncUninterruptibly());
        List<ProxiedConnection> open = new ArrayList<>(context.open);
        CountDownLatch done = new CountDownLatch(open.size());
        for (ProxiedConnection c : open) {
            c.client.eventLoop().execute(() -> {
                try {
                    c.close(CloseReason.PROXY_SHUTDOWN, "the proxy shut down while the connection was open");
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            done.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
