package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.capture.ConnectionRecord;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.LoopbackBlock;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whatever the bytes, what one side sends is what the other receives, in every TLS arrangement,
 * and what the store holds is what was sent: both peers send a random stream (arbitrary bytes,
 * invalid UTF-8 and stray '<' included) in random-sized writes, and SHA-256 digests are compared.
 */
class ByteIdentityTest {
    /** How the two raw peers talk. */
    enum Arrangement {
        CLEARTEXT(TlsMode.PASSTHROUGH), STARTTLS_PASSTHROUGH(TlsMode.PASSTHROUGH), STARTTLS_INTERCEPT(TlsMode.INTERCEPT),
        DIRECT_TLS_PASSTHROUGH(TlsMode.PASSTHROUGH), DIRECT_TLS_INTERCEPT(TlsMode.INTERCEPT),
        /** No SNI: the proxy names its certificate after the upstream's. */
        DIRECT_TLS_INTERCEPT_WITHOUT_SNI(TlsMode.INTERCEPT);

        final TlsMode mode;

        Arrangement(TlsMode mode) {
            this.mode = mode;
        }

        boolean startTls() {
            return name().startsWith("STARTTLS");
        }

        boolean directTls() {
            return name().startsWith("DIRECT");
        }
    }

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @ParameterizedTest
    @EnumSource(Arrangement.class)
    void randomStreamsCrossUnchangedAndAreStoredUnchanged(Arrangement how) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        byte[] clientPayload = randomBytes(random, 1_000_000 + random.nextInt(500_000));
        byte[] serverPayload = randomBytes(random, 1_000_000 + random.nextInt(500_000));
        LoopbackBlock block = LoopbackBlock.random();
        TestCertificates.Issued serverCert = TestCertificates.selfSigned(RawXmppPeer.DOMAIN);
        try (ServerSocket upstream = new ServerSocket()) {
            upstream.bind(new InetSocketAddress(block.address(2), 0));
            String route = block.host(12) + ":0=" + block.host(2) + ":" + upstream.getLocalPort();
            try (RecordingProxy proxy = RecordingProxy.start(tmp, List.of(route), how.mode, true, true)) {
                InetSocketAddress listen = proxy.boundAddresses().get(0);
                SSLContext clientCtx = TestCertificates.clientContext(how.mode == TlsMode.INTERCEPT
                        ? TestCertificates.trustManager(proxy.ca().certificate()) : serverCert.trustManager());
                CompletableFuture<byte[]> serverReceived = CompletableFuture.supplyAsync(() -> {
                    try (Socket raw = upstream.accept()) {
                        raw.setSoTimeout(30_000);
                        Socket s = how.startTls() ? RawXmppPeer.serverStartTls(raw, serverCert.serverContext())
                                : how.directTls() ? RawXmppPeer.serverTls(raw, serverCert.serverContext()) : raw;
                        if (s == raw) {
                            RawXmppPeer.readUntil(raw.getInputStream(), RawXmppPeer.CLIENT_HEADER);
                        }
                        return exchange(s, serverPayload, new Random(seed + 1));
                    } catch (IOException e) {
                        throw new IllegalStateException("upstream peer: " + e, e);
                    }
                });
                byte[] clientReceived;
                byte[] clientPreamble = how.startTls() ? (RawXmppPeer.CLIENT_HEADER + RawXmppPeer.STARTTLS)
                        .getBytes(StandardCharsets.UTF_8) : RawXmppPeer.CLIENT_HEADER.getBytes(StandardCharsets.UTF_8);
                try (Socket raw = new Socket()) {
                    raw.connect(listen, 10_000);
                    raw.setSoTimeout(30_000);
                    Socket s;
                    if (how.startTls()) {
                        s = RawXmppPeer.clientStartTls(raw, clientCtx);
                    } else if (how.directTls()) {
                        s = RawXmppPeer.clientTls(raw, clientCtx, how != Arrangement.DIRECT_TLS_INTERCEPT_WITHOUT_SNI);
                    } else {
                        RawXmppPeer.write(raw.getOutputStream(), RawXmppPeer.CLIENT_HEADER); // an XMPP-like start
                        s = raw;
                    }
                    clientReceived = exchange(s, clientPayload, new Random(seed + 2));
                }
                byte[] atServer = serverReceived.get(60, TimeUnit.SECONDS);
                assertArrayEquals(sha256(clientPayload), sha256(atServer), how + " client→server (seed " + seed + ")");
                assertArrayEquals(sha256(serverPayload), sha256(clientReceived), how + " server→client (seed " + seed + ")");

                RecordingProxy.Capture c = proxy.awaitCapture(cap -> cap.connections.size() == 1
                        && cap.connections.get(0).closed() != null, "the closed connection");
                ConnectionRecord r = c.connections.get(0);
                switch (how) {
                    case CLEARTEXT -> {
                        assertArrayEquals(sha256(concat(clientPreamble, framed(clientPayload))),
                                sha256(c.bytes(r.id(), Direction.TO_SERVER, TlsLayer.PLAIN)), "stored client→server");
                        assertArrayEquals(sha256(framed(serverPayload)),
                                sha256(c.bytes(r.id(), Direction.TO_CLIENT, TlsLayer.PLAIN)), "stored server→client");
                    }
                    case STARTTLS_INTERCEPT, DIRECT_TLS_INTERCEPT, DIRECT_TLS_INTERCEPT_WITHOUT_SNI -> {
                        assertArrayEquals(sha256(framed(clientPayload)),
                                sha256(c.bytes(r.id(), Direction.TO_SERVER, TlsLayer.DECRYPTED)), "stored decrypted client→server");
                        assertArrayEquals(sha256(framed(serverPayload)),
                                sha256(c.bytes(r.id(), Direction.TO_CLIENT, TlsLayer.DECRYPTED)), "stored decrypted server→client");
                    }
                    default -> {
                        assertEquals(0, c.bytes(r.id(), Direction.TO_SERVER, TlsLayer.DECRYPTED).length);
                        long plain = c.bytes(r.id(), Direction.TO_SERVER, TlsLayer.PLAIN).length;
                        assertEquals(r.closed().bytesToServer(), plain + c.encryptedLength(r.id(), Direction.TO_SERVER),
                                "every ciphertext byte counted");
                        assertEquals(how.startTls() ? clientPreamble.length : 0, plain);
                    }
                }
            }
        }
    }

    /** Sends an 8-byte length and {@code payload} in random-sized writes while reading the peer's the same way. */
    private static byte[] exchange(Socket s, byte[] payload, Random random) throws IOException {
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeLong(payload.length);
                int i = 0;
                while (i < payload.length) {
                    int n = Math.min(payload.length - i, 1 + random.nextInt(random.nextBoolean() ? 16 : 40_000));
                    out.write(payload, i, n);
                    out.flush();
                    i += n;
                }
            } catch (IOException e) {
                throw new IllegalStateException("sending: " + e, e);
            }
        });
        DataInputStream in = new DataInputStream(s.getInputStream());
        long length = in.readLong();
        byte[] got = new byte[(int) length];
        in.readFully(got);
        sending.join();
        return got;
    }

    private static byte[] framed(byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            new DataOutputStream(b).writeLong(payload.length);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        b.writeBytes(payload);
        return b.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        // sprinkle XML-looking fragments so the stream trackers meet tags, quotes and CDATA in garbage
        byte[][] fragments = {"<stream:features>".getBytes(StandardCharsets.UTF_8), "<proceed/>".getBytes(StandardCharsets.UTF_8),
                "<![CDATA[".getBytes(StandardCharsets.UTF_8), "'\"".getBytes(StandardCharsets.UTF_8),
                "<mechanism>SCRAM-SHA-1-PLUS</mechanism>".getBytes(StandardCharsets.UTF_8)};
        for (int i = 0; i < 200; i++) {
            byte[] f = fragments[random.nextInt(fragments.length)];
            int at = random.nextInt(n - f.length);
            System.arraycopy(f, 0, b, at, f.length);
        }
        return b;
    }

    private static byte[] sha256(byte[] b) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
