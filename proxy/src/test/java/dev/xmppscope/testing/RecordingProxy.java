package dev.xmppscope.testing;

import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.ConnectionRecord;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.proxy.CertificateAuthority;
import dev.xmppscope.proxy.ProxyOptions;
import dev.xmppscope.proxy.ProxyServer;
import dev.xmppscope.proxy.Recorder;
import dev.xmppscope.proxy.Route;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The xmppscope proxy under test, recording into a real H2 file in the test's directory, with
 * its own CA there. {@link #capture()} reads back what the store holds.
 */
public final class RecordingProxy implements AutoCloseable {
    private final CaptureStore store;
    private final Recorder recorder;
    private final ProxyServer proxy;
    private final CertificateAuthority ca;

    private RecordingProxy(CaptureStore store, Recorder recorder, ProxyServer proxy, CertificateAuthority ca) {
        this.store = store;
        this.recorder = recorder;
        this.proxy = proxy;
        this.ca = ca;
    }

    /** Starts a proxy on {@code routes} ({@code LISTEN=UPSTREAM[,tls=...]}) recording into {@code dir/capture}. */
    public static RecordingProxy start(Path dir, List<String> routes, TlsMode mode, boolean insecureUpstream,
                                       boolean keepSecrets) {
        return start(dir, routes, mode, insecureUpstream, List.of(), keepSecrets);
    }

    /** Like {@link #start(Path, List, TlsMode, boolean, boolean)}, checking upstream certificates against {@code upstreamCa}. */
    public static RecordingProxy trusting(Path dir, List<String> routes, TlsMode mode, List<X509Certificate> upstreamCa) {
        return start(dir, routes, mode, false, upstreamCa, false);
    }

    private static RecordingProxy start(Path dir, List<String> routes, TlsMode mode, boolean insecureUpstream,
                                        List<X509Certificate> upstreamCa, boolean keepSecrets) {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("ca"));
        CaptureStore store = CaptureStore.open(dir.resolve("capture"));
        Recorder recorder = Recorder.start(store, keepSecrets);
        try {
            List<Route> parsed = routes.stream().map(r -> Route.parse(r, mode)).toList();
            ProxyServer proxy = ProxyServer.start(new ProxyOptions(parsed, insecureUpstream, ca, upstreamCa), recorder);
            return new RecordingProxy(store, recorder, proxy, ca);
        } catch (RuntimeException e) {
            recorder.close();
            store.close();
            throw e;
        }
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public Recorder recorder() {
        return recorder;
    }

    public ProxyServer server() {
        return proxy;
    }

    public CaptureStore store() {
        return store;
    }

    public List<InetSocketAddress> boundAddresses() {
        return proxy.boundAddresses();
    }

    /**
     * What the store holds once {@code condition} is true of it (polled for up to 10 s, since
     * recording is asynchronous); fails with the last capture seen.
     */
    public Capture awaitCapture(Predicate<Capture> condition, String description) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Capture c = capture();
        while (!condition.test(c)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the capture never showed " + description + "; it holds:\n" + c);
            }
            ManagedProcess.sleep(50);
            c = capture();
        }
        return c;
    }

    /** What the store holds right now. */
    public Capture capture() {
        return read(store);
    }

    /** What {@code store} holds right now. */
    public static Capture read(CaptureStore store) {
        Capture c = new Capture();
        try (CaptureReader r = store.newReader()) {
            c.connections.addAll(r.connections());
            r.replay(new CaptureSink() {
                @Override
                public void opened(ConnectionOpened connection) {
                }

                @Override
                public void chunk(Chunk chunk) {
                    c.chunks.add(chunk);
                }

                @Override
                public void event(ConnectionEvent event) {
                    c.events.add(event);
                }

                @Override
                public void closed(ConnectionClosed connection) {
                }
            });
        }
        return c;
    }

    @Override
    public void close() {
        try {
            proxy.close();
        } finally {
            try {
                recorder.close();
                recorder.stopped().ifPresent(stopped -> {
                    throw new IllegalStateException("recording stopped during the test: " + stopped.reason());
                });
            } finally {
                store.close();
            }
        }
    }

    /** A stored capture, read back. */
    public static final class Capture {
        public final List<ConnectionRecord> connections = new ArrayList<>();
        public final List<Chunk> chunks = new ArrayList<>();
        public final List<ConnectionEvent> events = new ArrayList<>();

        /** The bytes of one (connection, direction, layer) stream, concatenated in order. */
        public byte[] bytes(long connection, Direction direction, TlsLayer layer) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            chunks.stream().filter(ch -> ch.connectionId() == connection && ch.direction() == direction && ch.layer() == layer)
                    .sorted(java.util.Comparator.comparingLong(Chunk::seq))
                    .forEach(ch -> out.write(ch.bytes(), 0, ch.bytes().length));
            return out.toByteArray();
        }

        public String text(long connection, Direction direction, TlsLayer layer) {
            return new String(bytes(connection, direction, layer), StandardCharsets.UTF_8);
        }

        /** Every XML byte (plain and decrypted) of a direction, as text. */
        public String xml(long connection, Direction direction) {
            return text(connection, direction, TlsLayer.PLAIN) + text(connection, direction, TlsLayer.DECRYPTED);
        }

        public long encryptedLength(long connection, Direction direction) {
            return chunks.stream().filter(ch -> ch.connectionId() == connection && ch.direction() == direction
                    && ch.layer() == TlsLayer.ENCRYPTED).mapToLong(Chunk::length).sum();
        }

        public List<ConnectionEvent> events(long connection, EventKind kind) {
            return events.stream().filter(e -> e.connectionId() == connection && e.kind() == kind).toList();
        }

        public ConnectionRecord connection(long id) {
            return connections.stream().filter(c -> c.id() == id).findFirst()
                    .orElseThrow(() -> new AssertionError("no connection " + id + " in " + this));
        }

        /** The first connection whose client→server XML contains {@code text}. */
        public ConnectionRecord connectionSending(String text) {
            return connections.stream().filter(c -> xml(c.id(), Direction.TO_SERVER).contains(text)).findFirst()
                    .orElseThrow(() -> new AssertionError("no connection sent '" + text + "' in\n" + this));
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (ConnectionRecord c : connections) {
                b.append("connection ").append(c.id()).append(' ').append(c.opened().route()).append(" closed=")
                        .append(c.closed()).append('\n');
                for (Direction d : Direction.values()) {
                    String x = xml(c.id(), d);
                    b.append("  ").append(d).append(" xml: ").append(x.length() > 3000 ? x.substring(0, 3000) + "..." : x)
                            .append('\n').append("  ").append(d).append(" encrypted bytes: ").append(encryptedLength(c.id(), d))
                            .append('\n');
                }
                events.stream().filter(e -> e.connectionId() == c.id())
                        .forEach(e -> b.append("  event ").append(e.kind()).append(": ").append(e.detail()).append('\n'));
            }
            return b.toString();
        }
    }
}
