package dev.xmppscope.replay.live;

import dev.xmppscope.capture.CaptureClock;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.HostPort;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.capture.pcap.TopLevelSplitter;
import dev.xmppscope.proxy.SecretMasking;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A fresh c2s connection to a live server: sends pieces, collects what the server answers (cut
 * into pieces), upgrades to TLS after {@code <proceed/>}, and records both directions into a
 * capture sink as a proxy would, so the replayed session can be opened like any capture.
 */
final class LiveSession implements AutoCloseable {
    private final long id;
    private final InetSocketAddress to;
    private final CaptureSink recording;
    private final boolean insecure;
    private final List<Piece> received = new ArrayList<>();
    private Socket socket;
    private OutputStream out;
    private Thread reader;
    private boolean tls;
    private long seq;
    private final long[] offsets = new long[4];
    private final long[] wireBytes = new long[2];
    private String readError;
    private boolean serverClosed;
    /** Why TLS with the server failed, or null: the connection's end then says so, as a proxy's does. */
    private String tlsFailure;

    /**
     * Starts recording a session on {@code socket}, a TCP connection to {@code to} that nothing has
     * been sent on yet; with {@code directTlsDomain}, TLS for that domain comes first (XEP-0368).
     */
    LiveSession(long id, InetSocketAddress to, Socket socket, CaptureSink recording, boolean insecure, String directTlsDomain) {
        this.id = id;
        this.to = to;
        this.recording = recording;
        this.insecure = insecure;
        this.socket = socket;
        try {
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("the connection to " + server() + " failed: " + e.getMessage(), e);
        }
        synchronized (this) {
            recording.opened(new ConnectionOpened(id, "replay:" + server(), null,
                    HostPort.of(socket.getLocalAddress(), socket.getLocalPort()), server(), TlsMode.INTERCEPT,
                    CaptureClock.nowNanos()));
        }
        if (directTlsDomain != null) {
            synchronized (this) {
                recording.event(new ConnectionEvent(id, ++seq, CaptureClock.nowNanos(), Direction.TO_SERVER,
                        EventKind.DIRECT_TLS_DETECTED, "the replay speaks TLS from its first byte (XEP-0368 Direct TLS), as the"
                                + " recorded client did"));
            }
            try {
                handshake(directTlsDomain, List.of("xmpp-client"), " (the session was recorded over Direct TLS: is " + server()
                        + " the server's Direct TLS port?)");
            } catch (RuntimeException e) {
                close(); // the caller gets no session to close: the recording still ends, saying why
                throw e;
            }
        }
        startReader(socketInput());
    }

    /** A TCP connection to {@code to}; fails with a message naming the server when there is none. */
    static Socket connect(InetSocketAddress to, Duration timeout) {
        Socket socket = new Socket();
        try {
            socket.connect(to, (int) timeout.toMillis());
            return socket;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw new UncheckedIOException("cannot connect to " + HostPort.of(to.getHostString(), to.getPort()) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The server as the user named it (HOST:PORT). */
    private String server() {
        return HostPort.of(to.getHostString(), to.getPort());
    }

    /** Sends one piece, recorded as sent. */
    void send(String xml) {
        send(xml, null, null);
    }

    /**
     * Sends one piece whose recording is {@code stored} instead (its secret masked, as many bytes
     * long), said by a {@code SECRET_REDACTED} event naming {@code secret}, as the proxy's recorder does.
     */
    void sendMasked(String xml, String stored, String secret) {
        send(xml, stored, secret);
    }

    private void send(String xml, String stored, String secret) {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        // recorded before it is written: the reader thread records the answer as soon as it arrives,
        // and an answer must not be stored (nor dated) before what caused it
        if (stored == null) {
            record(Direction.TO_SERVER, bytes, null);
        } else {
            record(Direction.TO_SERVER, stored.getBytes(StandardCharsets.UTF_8), secret);
        }
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the server " + to + " closed the connection while we sent " + abbreviate(xml)
                    + ": " + e.getMessage(), e);
        }
    }

    /** Waits for the first piece from the server at or after index {@code from} that {@code p} accepts. */
    synchronized Piece await(int from, Predicate<Piece> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int i = from;
        while (true) {
            for (; i < received.size(); i++) {
                if (p.test(received.get(i))) {
                    return received.get(i);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || serverClosed) {
                return null;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** Waits until the server has been quiet for {@code quiet} (at most {@code max}). */
    void settle(Duration quiet, Duration max) {
        long end = System.nanoTime() + max.toNanos();
        int seen = size();
        while (System.nanoTime() < end) {
            sleep(quiet.toMillis());
            int now = size();
            if (now == seen) {
                return;
            }
            seen = now;
        }
    }

    synchronized int size() {
        return received.size();
    }

    synchronized List<Piece> received() {
        return List.copyOf(received);
    }

    synchronized boolean serverClosed() {
        return serverClosed;
    }

    /** After the server's {@code <proceed/>}: TLS on the same socket, trusting the server as configured. */
    void startTls(String domain) {
        try {
            reader.join(5_000); // the reader stops by itself after <proceed/>
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting TLS", e);
        }
        handshake(domain, List.of(), "");
        startReader(socketInput());
    }

    /** TLS for {@code domain} on the socket, offering {@code alpn}; {@code hint} ends the message when it fails. */
    private void handshake(String domain, List<String> alpn, String hint) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, insecure ? InsecureTrustManagerFactory.INSTANCE.getTrustManagers() : null, null); // --insecure: a test server's self-signed certificate
            SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket, domain, to.getPort(), true);
            if (!alpn.isEmpty()) {
                SSLParameters p = ssl.getSSLParameters();
                p.setApplicationProtocols(alpn.toArray(String[]::new));
                ssl.setSSLParameters(p);
            }
            ssl.startHandshake();
            socket = ssl;
            out = ssl.getOutputStream();
            synchronized (this) {
                tls = true;
                recording.event(new ConnectionEvent(id, ++seq, CaptureClock.nowNanos(), null, EventKind.TLS_ESTABLISHED,
                        ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite()));
            }
        } catch (IOException | GeneralSecurityException e) {
            String why = "TLS with " + server() + " failed: " + e.getMessage()
                    + (insecure ? "" : " (use --insecure to accept any certificate of a test server)") + hint;
            synchronized (this) {
                tlsFailure = why;
                recording.event(new ConnectionEvent(id, ++seq, CaptureClock.nowNanos(), null, EventKind.TLS_FAILED, why));
            }
            throw new IllegalStateException(why, e);
        }
    }

    private InputStream socketInput() {
        try {
            return socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startReader(InputStream in) {
        reader = new Thread(() -> read(in), "xmppscope-replay-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(InputStream in) {
        TopLevelSplitter splitter = new TopLevelSplitter();
        byte[] buf = new byte[16384];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                byte[] bytes = java.util.Arrays.copyOf(buf, n);
                record(Direction.TO_CLIENT, bytes, null);
                boolean proceed = false;
                synchronized (this) {
                    for (String xml : splitter.feed(bytes, 0, n)) {
                        Piece p = new Piece(Direction.TO_CLIENT, tls, xml, CaptureClock.nowNanos());
                        received.add(p);
                        proceed |= p.name().equals("proceed");
                    }
                    notifyAll();
                }
                if (proceed) {
                    return; // the next bytes are TLS: startTls takes over the socket
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                readError = e.getMessage();
            }
        }
        synchronized (this) {
            serverClosed = true;
            notifyAll();
        }
    }

    /** Records a chunk; {@code secret} names what was masked in it (a SECRET_REDACTED event beside it), or is null. */
    private synchronized void record(Direction d, byte[] bytes, String secret) {
        int slot = d.code() * 2 + (tls ? 1 : 0);
        TlsLayer layer = tls ? TlsLayer.DECRYPTED : TlsLayer.PLAIN;
        Chunk chunk = new Chunk(id, ++seq, d, CaptureClock.nowNanos(), layer, offsets[slot], bytes.length, bytes, secret != null);
        recording.chunk(chunk);
        if (secret != null) { // said as the proxy's recorder says it
            recording.event(SecretMasking.redactedEvent(chunk, Set.of(secret), "in the recording", "the server was sent the real one"));
        }
        offsets[slot] += bytes.length;
        wireBytes[d.code()] += bytes.length;
    }

    static String abbreviate(String xml) {
        return xml.length() <= 80 ? xml : xml.substring(0, 77) + "...";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        boolean byServer;
        synchronized (this) {
            byServer = serverClosed;
        }
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            System.getLogger(LiveSession.class.getName()).log(System.Logger.Level.DEBUG, "close: " + e.getMessage());
        }
        synchronized (this) {
            recording.closed(new ConnectionClosed(id, CaptureClock.nowNanos(),
                    tlsFailure != null ? CloseReason.TLS_FAILED : byServer ? CloseReason.SERVER_CLOSED : CloseReason.CLIENT_CLOSED,
                    tlsFailure != null ? tlsFailure
                            : readError == null ? "replay finished" : "replay finished; last read error: " + readError,
                    wireBytes[0], wireBytes[1]));
            recording.flushed();
        }
    }
}
