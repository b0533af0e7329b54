package dev.xmppscope.capture.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.ClientHello;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.file.CaptureFileException;
import dev.xmppscope.capture.file.CaptureFileFormat;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ImportResult;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real session (two Smack clients on a real Prosody, captured by dumpcap), and the shapes
 * users bring it in: compressed as tshark reads it, cut short in transit, saved from Wireshark
 * with a display filter. Each must import as what the capture holds.
 */
class PcapVariantsOfARealSessionTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;

    /** The session as dumpcap wrote it (pcapng), from before the clients connected to after they left. */
    static Path session;
    /** Where an HTTP server beside Prosody, which the capture also holds, listened. */
    static InetSocketAddress http;

    @BeforeAll
    static void captureARealSession() throws Exception {
        session = tmp.resolve("session.pcapng");
        try (Federation fed = Federation.aliceAndBobUnrelayed().start(tmp.resolve("servers"))) {
            InetSocketAddress c2s = fed.server("a.example").c2s();
            // the server's traffic, XMPP and HTTP beside it, as a capture of a host has; not its Direct TLS and s2s
            // ports, which the federation's readiness checks, made before the capture, may still be closing during it
            Tshark.Capture capture = Tshark.capture("tcp and host " + c2s.getAddress().getHostAddress()
                    + " and not port 5223 and not port 5269", session, false);
            HttpBeside web = HttpBeside.start(c2s.getAddress());
            http = web.address();
            try (XmppClient bob = XmppClient.options("a.example", c2s).login("bob", "bob-secret");
                 XmppClient alice = XmppClient.options("a.example", c2s).login("alice", "alice-secret")) {
                alice.send(bob.jid().toString(), "a message in a real capture " + "x".repeat(20_000));
                bob.awaitMessage(m -> m.getBody() != null && m.getBody().startsWith("a message in a real capture"), "the message",
                        Duration.ofSeconds(20));
                assertEquals(200, web.get());
            } finally {
                capture.stop();
                web.close();
            }
        }
    }

    @Test
    void whatIsNotXmppIsLeftOutAndTheImportSaysWhatAndWhy() throws Exception {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("imported"))) {
            ImportResult r = CaptureFiles.importInto(store, session, ProgressBar.NONE, sink -> sink);

            assertEquals(2, r.connections(), "alice's and bob's connections, not the HTTP one");
            assertTrue(r.leftOut() != null && r.leftOut().startsWith("left out 1 TCP connection carrying no XMPP: "
                    + http.getAddress().getHostAddress() + ":" + http.getPort() + " (HTTP)"), r.leftOut());
        }
    }

    @Test
    void aGzipCompressedPcapOrPcapngImportsAsTheCaptureItHolds() throws Exception {
        Path classic = tmp.resolve("session.pcap");
        run("/usr/bin/editcap", "-F", "pcap", session.toString(), classic.toString());
        for (Path original : List.of(session, classic)) {
            PcapImportTest.Streams plain = PcapImportTest.Streams.of(CaptureFiles.open(original));
            assertEquals(2, plain.opened.size(), "alice's and bob's connections");
            Path gz = gzip(original, Files.readAllBytes(original));
            assertEquals(CaptureFileFormat.sniff(original), CaptureFileFormat.sniff(gz), gz.getFileName() + " is recognised as what it holds");
            PcapImportTest.Streams unzipped = PcapImportTest.Streams.of(CaptureFiles.open(gz));
            assertEquals(plain.opened.stream().map(o -> o.client() + " " + o.server() + " " + o.atNanos()).toList(),
                    unzipped.opened.stream().map(o -> o.client() + " " + o.server() + " " + o.atNanos()).toList(),
                    gz.getFileName().toString());
            assertEquals(plain.closed, unzipped.closed, gz.getFileName().toString());
            for (Direction d : Direction.values()) {
                assertArrayEquals(plain.bytes(d), unzipped.bytes(d), gz.getFileName() + " " + d);
            }
        }
    }

    @Test
    void aGzipCompressedPcapCutShortImportsUpToTheCutAndSaysSo() throws Exception {
        byte[] whole = Files.readAllBytes(gzip(session, Files.readAllBytes(session)));
        Path cut = tmp.resolve("cut.pcapng.gz");
        Files.write(cut, Arrays.copyOf(whole, whole.length * 2 / 3));
        PcapImportTest.Streams s = new PcapImportTest.Streams();
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> CaptureFiles.open(cut).replay(s));
        assertTrue(e.getMessage().startsWith(cut + " is truncated"), e.getMessage());
        assertTrue(e.recordsDelivered() > 0, "the frames before the cut were read: " + e.getMessage());
        assertTrue(s.bytes(Direction.TO_SERVER).length > 100, "what came before the cut was imported");
    }

    /**
     * Saved with a filter that keeps only the packets carrying data (Wireshark's "tcp.len > 0" or
     * "xmpp", tcpdump's "tcp[tcpflags] & tcp-push != 0"): no SYN, but every byte from the stream
     * headers on, so nothing is missing and the negotiation is all there.
     */
    @Test
    void aCaptureSavedWithoutItsSynsButWithEveryByteIsNotTakenForOneBegunMidStream() throws Exception {
        Path dataOnly = tmp.resolve("data-only.pcapng");
        run("/usr/bin/tshark", "-r", session.toString(), "-Y", "tcp.len > 0", "-w", dataOnly.toString());
        PcapImportTest.Streams whole = PcapImportTest.Streams.of(CaptureFiles.open(session));
        PcapImportTest.Streams filtered = PcapImportTest.Streams.of(CaptureFiles.open(dataOnly));

        assertEquals(2, filtered.opened.size());
        for (int i = 0; i < 2; i++) {
            for (Direction d : Direction.values()) {
                assertArrayEquals(whole.bytes(whole.opened.get(i).id(), d), filtered.bytes(filtered.opened.get(i).id(), d),
                        "connection " + (i + 1) + " " + d);
            }
            String sent = new String(filtered.bytes(filtered.opened.get(i).id(), Direction.TO_SERVER), StandardCharsets.UTF_8);
            assertTrue(sent.startsWith("<stream:stream") || sent.startsWith("<?xml"), "the client's stream header is there: " + sent);
        }
        assertEquals(List.of(), filtered.events, "nothing is missing: no gap, and no capture begun mid-stream");
    }

    /** Frames of a link type xmppscope does not read (relabelled by editcap, as a capture on such an interface has them): said, not an empty capture. */
    @Test
    void framesOfALinkTypeNotReadAreSaidNotTakenForAnEmptyCapture() throws Exception {
        Path nflog = tmp.resolve("nflog.pcapng");
        run("/usr/bin/editcap", "-T", "nflog", session.toString(), nflog.toString());
        try (CaptureStore store = CaptureStore.open(tmp.resolve("nflog-db"))) {
            ImportResult r = CaptureFiles.importInto(store, nflog, ProgressBar.NONE, sink -> sink);

            assertEquals(0, r.connections());
            assertTrue(r.leftOut() != null && r.leftOut().matches("left out \\d+ frames of link type 239: xmppscope reads Ethernet,.*"),
                    r.leftOut());
        }
    }

    /** A ring buffer's files (dumpcap -b, tcpdump -C), given in any order: one capture, each connection whole. */
    @Test
    void thePartsOfARingBufferImportAsOneCaptureWithEachConnectionWhole() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ring"));
        run("/usr/bin/editcap", "-c", "15", session.toString(), dir.resolve("part.pcapng").toString());
        List<Path> parts;
        try (var listed = Files.list(dir)) {
            parts = listed.sorted(Comparator.reverseOrder()).toList(); // the newest part first
        }
        assertTrue(parts.size() > 3, "the session is cut into several files: " + parts);
        try (CaptureStore whole = CaptureStore.open(tmp.resolve("whole-db")); CaptureStore ring = CaptureStore.open(tmp.resolve("ring-db"))) {
            ImportResult expected = CaptureFiles.importInto(whole, session, ProgressBar.NONE, sink -> sink);
            ImportResult r = CaptureFiles.importPcapParts(ring, parts, ProgressBar.NONE, sink -> sink);

            assertEquals(2, r.connections(), "alice's and bob's connections, each one connection");
            assertEquals(expected.records(), r.records(), "every record of the whole capture");
            PcapImportTest.Streams fromParts = PcapImportTest.Streams.of(new PcapImporter(parts));
            PcapImportTest.Streams fromWhole = PcapImportTest.Streams.of(CaptureFiles.open(session));
            assertEquals(fromWhole.closed, fromParts.closed);
            assertEquals(fromWhole.events, fromParts.events, "no gap, no connection begun mid-stream");
            for (Direction d : Direction.values()) {
                assertArrayEquals(fromWhole.bytes(d), fromParts.bytes(d), d.toString());
            }
        }
    }

    /**
     * A bit flipped in the source port of one of the client's frames, as a damaged file or a
     * faulty disk does it: the frame is still its connection's, no junk connection appears, and
     * every byte the clients sent is read as before.
     */
    @Test
    void aFrameWhosePortWasDamagedStaysInItsConnection() throws Exception {
        Path classic = tmp.resolve("to-damage.pcap");
        run("/usr/bin/editcap", "-F", "pcap", session.toString(), classic.toString());
        Process p = new ProcessBuilder("/usr/bin/tshark", "-r", classic.toString(), "-Y", "tcp.len > 100 && tcp.dstport == 5222",
                "-T", "fields", "-e", "frame.number").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> frames = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && frames.size() > 4, "client frames with data: " + frames);
        byte[] pcap = Files.readAllBytes(classic);
        int at = tcpSourcePortAt(pcap, Integer.parseInt(frames.get(frames.size() / 2).trim()));
        // a flip that made it another connection's port (Linux gives the clients ports a few apart) would be that
        // connection's frame, undamaged as far as anything can tell: flip a bit that names no port of the capture
        List<String> ports = Tshark.read(classic, "-T", "fields", "-e", "tcp.srcport").lines().toList();
        int port = (pcap[at] & 0xff) << 8 | pcap[at + 1] & 0xff;
        int bit = IntStream.of(0x10, 0x20, 0x40, 0x80).filter(b -> !ports.contains(String.valueOf(port ^ b))).findFirst().orElseThrow();
        pcap[at + 1] ^= (byte) bit;
        Path damaged = tmp.resolve("damaged-port.pcap");
        Files.write(damaged, pcap);

        PcapImportTest.Streams whole = PcapImportTest.Streams.of(CaptureFiles.open(classic));
        PcapImporter importer = new PcapImporter(damaged);
        PcapImportTest.Streams read = PcapImportTest.Streams.of(importer);
        assertEquals(whole.opened.stream().map(o -> o.client() + " " + o.server()).toList(),
                read.opened.stream().map(o -> o.client() + " " + o.server()).toList(), "alice's and bob's connections, no other");
        for (Direction d : Direction.values()) {
            assertArrayEquals(whole.bytes(d), read.bytes(d), d.toString());
        }
        assertTrue(importer.leftOut() != null && importer.leftOut().contains("; 1 frame's address or port was damaged"),
                importer.leftOut());
    }

    /** Where the TCP source port of frame {@code number} (from 1) is in a classic little-endian pcap of Ethernet frames. */
    private static int tcpSourcePortAt(byte[] pcap, int number) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(pcap).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt(0), "a little-endian pcap");
        assertEquals(1, b.getInt(20), "of Ethernet frames");
        int record = 24;
        for (int i = 1; i < number; i++) {
            record += 16 + b.getInt(record + 8);
        }
        int ip = record + 16 + 14;
        return ip + (pcap[ip] & 0x0F) * 4;
    }

    /**
     * Direct TLS (XEP-0368) on port 443, where deployments put it beside HTTPS: the ClientHello's
     * ALPN (xmpp-client) says it is XMPP, and its SNI names the domain, as a real JDK client sends them.
     */
    @Test
    void directTlsOnPort443IsReadAsXmppByItsAlpnAndNamedByItsSni() throws Exception {
        Path pcap = tmp.resolve("direct-tls-443.pcapng");
        try (Federation fed = Federation.builder("a.example").relayed(false).configure((domain, config) -> config.ports(5222, 5269, 443))
                .user("a.example", "alice", "alice-secret").start(tmp.resolve("servers-443"))) {
            InetSocketAddress directTls = fed.server("a.example").directTls();
            Tshark.Capture capture = Tshark.capture("tcp and host " + directTls.getAddress().getHostAddress(), pcap, false);
            try {
                openDirectTlsStream(directTls);
            } finally {
                capture.stop();
            }
        }
        try (CaptureStore store = CaptureStore.open(tmp.resolve("direct-tls-db"))) {
            ImportResult r = CaptureFiles.importInto(store, pcap, ProgressBar.NONE, sink -> sink);
            assertEquals(1, r.connections(), "the Direct TLS connection on 443: " + r.leftOut());
        }
        PcapImportTest.Streams s = PcapImportTest.Streams.of(CaptureFiles.open(pcap));
        assertTrue(s.opened.get(0).server().endsWith(":443"), s.opened.get(0).server());
        assertEquals(EventKind.DIRECT_TLS_DETECTED, s.events.get(0).kind());
        assertTrue(s.events.get(0).detail().contains("for a.example (SNI), offering xmpp-client (ALPN)"), s.events.get(0).detail());
    }

    /**
     * A ClientHello bigger than a segment (a post-quantum key share makes one over 1,500 bytes)
     * comes in pieces: here a relay in front of Prosody's Direct TLS port on 443 writes the JDK
     * client's in two. Its ALPN, in its second piece, still says it is XMPP, and its SNI is read.
     */
    @Test
    void aClientHelloSplitAcrossSegmentsIsGatheredBeforeItIsRead() throws Exception {
        Path pcap = tmp.resolve("split-hello.pcapng");
        try (Federation fed = Federation.builder("a.example").relayed(false).configure((domain, config) -> config.ports(5222, 5269, 443))
                .start(tmp.resolve("servers-split"));
             ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress directTls = fed.server("a.example").directTls();
            Tshark.Capture capture = Tshark.capture(Tshark.trafficOf(directTls), pcap, false);
            CompletableFuture<Integer> relayed = CompletableFuture.supplyAsync(() -> relayInTwo(relay, directTls));
            try {
                openDirectTlsStream((InetSocketAddress) relay.getLocalSocketAddress());
                assertTrue(relayed.get(20, TimeUnit.SECONDS) > 100, "the relay wrote the ClientHello in two pieces");
            } finally {
                capture.stop();
            }
        }
        Process frames = new ProcessBuilder("/usr/bin/tshark", "-r", pcap.toString(), "-Y", "tcp.dstport == 443 && tcp.len == 100")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long firstPieces = new String(frames.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().count();
        assertTrue(frames.waitFor(60, TimeUnit.SECONDS) && firstPieces == 1, "the ClientHello's first 100 bytes, a segment alone");
        PcapImportTest.Streams s = PcapImportTest.Streams.of(CaptureFiles.open(pcap));
        assertEquals(1, s.opened.size(), "the Direct TLS connection on 443");
        assertEquals(List.of("sni=a.example; alpn=xmpp-client"), s.events.stream().filter(e -> e.kind() == EventKind.TLS_CLIENT_HELLO)
                .map(ConnectionEvent::detail).toList());
    }

    /** Relays one connection to {@code upstream}, its first read (a whole ClientHello) written in two; returns that read's length. */
    private static int relayInTwo(ServerSocket relay, InetSocketAddress upstream) {
        try (Socket client = relay.accept(); Socket server = new Socket(upstream.getAddress(), upstream.getPort())) {
            server.setTcpNoDelay(true);
            byte[] buf = new byte[65536];
            int n = client.getInputStream().read(buf);
            assertTrue(ClientHello.ofRecord(Arrays.copyOf(buf, n)).isPresent(), "the first read is the whole ClientHello");
            server.getOutputStream().write(buf, 0, 100);
            server.getOutputStream().flush();
            server.getOutputStream().write(buf, 100, n - 100); // no delay: a segment each
            Thread back = new Thread(() -> {
                try {
                    server.getInputStream().transferTo(client.getOutputStream());
                } catch (IOException e) {
                    // the client hung up: the relay ends with it
                }
            });
            back.start();
            client.getInputStream().transferTo(server.getOutputStream());
            server.shutdownOutput();
            back.join(10_000);
            return n;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDK client's Direct TLS stream to {@code to}, asking for a.example (SNI) with xmpp-client (ALPN), until Prosody answers. */
    private static void openDirectTlsStream(InetSocketAddress to) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null); // the capture is under test, not the certificate
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(to.getAddress(), to.getPort())) {
            SSLParameters p = socket.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName("a.example")));
            p.setApplicationProtocols(new String[] {"xmpp-client"});
            socket.setSSLParameters(p);
            socket.getOutputStream().write(("<?xml version='1.0'?><stream:stream to='a.example' xmlns='jabber:client'"
                    + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            assertEquals('<', socket.getInputStream().read(), "Prosody answers inside TLS");
        }
    }

    private static Path gzip(Path file, byte[] content) throws IOException {
        Path gz = tmp.resolve(file.getFileName() + ".gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(content);
        }
        return gz;
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + out);
        }
    }
}
