package dev.xmppscope.proxy;

import dev.xmppscope.capture.CaptureSink;
import io.netty.channel.WriteBufferWaterMark;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;

/** What every connection of one {@link ProxyServer} shares. */
final class ProxyContext {
    /** Per side: stop reading the other side above 512 KiB queued, resume below 128 KiB. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 512 * 1024);
    static final int CONNECT_TIMEOUT_MS = 10_000;

    final CaptureSink sink;
    final RecordingBackpressure backpressure;
    final TlsContexts tls;
    final LongSupplier connectionIds;
    final Set<ProxiedConnection> open = ConcurrentHashMap.newKeySet();
    /** Reads relayed (and handed to the sink), all connections: how much the relay's code has run. */
    final LongAdder reads = new LongAdder();
    final RouteWarnings warnings = new RouteWarnings(System::nanoTime, LoggerFactory.getLogger(ProxyServer.class)::warn);

    ProxyContext(CaptureSink sink, TlsContexts tls, LongSupplier connectionIds) {
        this.sink = sink;
        this.backpressure = sink instanceof RecordingBackpressure b ? b : null;
        this.tls = tls;
        this.connectionIds = connectionIds;
    }
}
