package dev.xmppscope.capture.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.file.CaptureFileException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PcapImportTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "classic pcap: {0}")
    @ValueSource(booleans = {false, true})
    void aRealDumpcapCaptureOfALoopbackConversationIsReassembledInBothDirections(boolean classicPcap) throws Exception {
        String net = "127." + ThreadLocalRandom.current().nextInt(100, 250) + "." + ThreadLocalRandom.current().nextInt(1, 250);
        Path file = tmp.resolve(classicPcap ? "lo.pcap" : "lo.pcapng");
        Tshark.Capture capture = Tshark.capture("tcp and net " + net + ".0/24", file, classicPcap);
        byte[] clientSent;
        byte[] serverSent;
        try {
            byte[][] sent = converse(InetAddress.getByName(net + ".2"), InetAddress.getByName(net + ".3"));
            clientSent = sent[0];
            serverSent = sent[1];
        } finally {
            capture.stop();
        }
        Streams s = Streams.of(new PcapImporter(file));
        assertEquals(1, s.opened.size(), "one TCP connection, one capture connection");
        assertEquals(net + ".3", s.opened.get(0).client().split(":")[0], "the client is whoever sent the SYN");
        assertEquals(net + ".2:5222", s.opened.get(0).server());
        assertEquals(new String(clientSent, StandardCharsets.UTF_8), s.text(Direction.TO_SERVER));
        assertEquals(new String(serverSent, StandardCharsets.UTF_8), s.text(Direction.TO_CLIENT));
        assertEquals(1, s.closed.size());
        assertEquals(CloseReason.CLIENT_CLOSED, s.closed.get(0).reason());
        assertEquals(clientSent.length, s.closed.get(0).bytesToServer());
        assertTrue(s.opened.get(0).atNanos() > 1_700_000_000_000_000_000L, "timestamps come from the capture (epoch nanos)");
    }

    @Test
    void outOfOrderRetransmittedAndOverlappingSegmentsComeOutOnceInOrder() throws Exception {
        byte[] data = ("<message id='x'><body>" + "0123456789".repeat(50) + "</body></message>").getBytes(StandardCharsets.US_ASCII);
        long isn = 0xFFFFFF00L; // sequence numbers wrap around 2^32 inside this stream
        List<byte[]> frames = new ArrayList<>();
        TcpFrameBuilder b = builder();
        frames.add(b.frame(true, isn, 0, TcpSegment.SYN, new byte[0], 0, 0));
        frames.add(b.frame(false, 7000, isn + 1, TcpSegment.SYN | TcpSegment.ACK, new byte[0], 0, 0));
        List<byte[]> segments = new ArrayList<>();
        for (int from = 0; from < data.length; from += 37) {
            segments.add(b.frame(true, (isn + 1 + from) & 0xFFFFFFFFL, 7001, 0x18, data, from, Math.min(37, data.length - from)));
        }
        segments.add(b.frame(true, (isn + 1 + 30) & 0xFFFFFFFFL, 7001, 0x18, data, 30, 100)); // overlaps three segments
        segments.add(segments.get(3)); // retransmissions
        segments.add(segments.get(0));
        Collections.shuffle(segments, new Random(42));
        frames.addAll(segments);
        Path file = write(frames);

        Streams s = Streams.of(new PcapImporter(file));
        assertArrayEquals(data, s.bytes(Direction.TO_SERVER));
        assertTrue(s.events.isEmpty(), "no gap: " + s.events);
    }

    @Test
    void aSegmentTheCaptureMissedBecomesARecordingGapAndTheRestStillArrives() throws Exception {
        byte[] data = "<presence/><presence id='lost'/><presence id='after'/>".getBytes(StandardCharsets.US_ASCII);
        TcpFrameBuilder b = builder();
        List<byte[]> frames = new ArrayList<>(List.of(
                b.frame(true, 100, 0, TcpSegment.SYN, new byte[0], 0, 0),
                b.frame(true, 101, 1, 0x18, data, 0, 11),
                // bytes 11..32 were never captured
                b.frame(true, 101 + 32, 1, 0x18, data, 32, data.length - 32),
                b.frame(true, 101 + data.length, 1, TcpSegment.FIN | TcpSegment.ACK, new byte[0], 0, 0),
                b.frame(false, 500, 101 + data.length + 1, TcpSegment.FIN | TcpSegment.ACK, new byte[0], 0, 0)));
        Streams s = Streams.of(new PcapImporter(write(frames)));
        assertEquals("<presence/><presence id='after'/>", s.text(Direction.TO_SERVER));
        assertEquals(1, s.events.size());
        assertEquals(EventKind.RECORDING_GAP, s.events.get(0).kind());
        assertTrue(s.events.get(0).detail().contains("missing 21 bytes"), s.events.get(0).detail());
        assertEquals(CloseReason.CLIENT_CLOSED, s.closed.get(0).reason());
    }

    /**
     * A segment the capture missed, which the server acknowledged: the data behind the hole comes
     * out when the acknowledgement shows the hole will not be filled, with its own time (held
     * until the FIN, it was all dated at the FIN).
     */
    @Test
    void dataBehindAMissedSegmentTheReceiverAcknowledgedKeepsItsOwnTime() throws Exception {
        byte[] data = "<presence/><presence id='lost'/><presence id='after'/>".getBytes(StandardCharsets.US_ASCII);
        TcpFrameBuilder b = builder();
        byte[] reply = "<message id='r'/>".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> frames = List.of(
                b.frame(true, 100, 0, TcpSegment.SYN, new byte[0], 0, 0),
                b.frame(true, 101, 1, 0x18, data, 0, 11),
                // bytes 11..32 were never captured
                b.frame(true, 101 + 32, 1, 0x18, data, 32, data.length - 32),
                b.frame(false, 1, 101 + data.length, TcpSegment.ACK, new byte[0], 0, 0),
                b.frame(false, 1, 101 + data.length, 0x18, reply, 0, reply.length),
                b.frame(true, 101 + data.length, 1 + reply.length, TcpSegment.FIN | TcpSegment.ACK, new byte[0], 0, 0),
                b.frame(false, 1 + reply.length, 101 + data.length + 1, TcpSegment.FIN | TcpSegment.ACK, new byte[0], 0, 0));
        Streams s = Streams.of(new PcapImporter(write(frames)));
        assertEquals("<presence/><presence id='after'/>", s.text(Direction.TO_SERVER));
        Chunk after = s.chunks.stream().filter(c -> new String(c.bytes(), StandardCharsets.US_ASCII).contains("after")).findFirst()
                .orElseThrow();
        Chunk answer = s.chunks.stream().filter(c -> c.direction() == Direction.TO_CLIENT).findFirst().orElseThrow();
        assertEquals(T0 + 3_000, after.atNanos(), "the third frame's time, not the FIN's");
        assertTrue(s.chunks.indexOf(after) < s.chunks.indexOf(answer), "handed on at the server's acknowledgement, before its answer");
        assertEquals(EventKind.RECORDING_GAP, s.events.get(0).kind());
        assertTrue(s.events.get(0).detail().contains("did not save"), s.events.get(0).detail());
    }

    /** A frame the capture's snap length cut short: the rest of its data is a gap said at once, and named for what it is. */
    @Test
    void dataCutByTheSnapLengthIsAGapSaidAtOnce() throws Exception {
        byte[] data = "<presence id='one'/><presence id='two'/><presence id='three'/>".getBytes(StandardCharsets.US_ASCII);
        TcpFrameBuilder b = builder();
        byte[] whole = b.frame(true, 101, 1, 0x18, data, 0, 40);
        List<byte[]> frames = List.of(
                b.frame(true, 100, 0, TcpSegment.SYN, new byte[0], 0, 0),
                Arrays.copyOf(whole, whole.length - 21), // 19 of its 40 bytes captured: "<presence id='one'/>" less its '>'
                b.frame(true, 141, 1, 0x18, data, 40, data.length - 40));
        Streams s = Streams.of(new PcapImporter(write(frames)));
        assertEquals("<presence id='one'/" + "<presence id='three'/>", s.text(Direction.TO_SERVER));
        assertEquals(1, s.events.size());
        assertTrue(s.events.get(0).detail().contains("missing 21 bytes") && s.events.get(0).detail().contains("snap length"),
                s.events.get(0).detail());
        assertEquals(T0 + 2_000, s.events.get(0).atNanos(), "said with the cut frame, not at the end");
    }

    @Test
    void aCaptureStartedMidConnectionTakesTheSideOnTheXmppPortAsTheServer() throws Exception {
        TcpFrameBuilder b = builder();
        byte[] reply = "<message id='r'/>".getBytes(StandardCharsets.US_ASCII);
        Streams s = Streams.of(new PcapImporter(write(List.of(b.frame(false, 9000, 1, 0x18, reply, 0, reply.length)))));
        assertEquals("127.9.9.1:40123", s.opened.get(0).client());
        assertEquals("<message id='r'/>", s.text(Direction.TO_CLIENT));
        assertTrue(s.closed.isEmpty(), "never seen to close");
    }

    @Test
    void aCaptureStartedMidConnectionOnAnotherPortTakesTheLowerPortAsTheServer() throws Exception {
        TcpFrameBuilder b = new TcpFrameBuilder((Inet4Address) InetAddress.getByName("127.9.9.1"), 40123,
                (Inet4Address) InetAddress.getByName("127.9.9.2"), 15222);
        byte[] reply = "<message id='r'/>".getBytes(StandardCharsets.US_ASCII);
        // the first packet captured is the server's
        Streams s = Streams.of(new PcapImporter(write(List.of(b.frame(false, 9000, 1, 0x18, reply, 0, reply.length)))));
        assertEquals("127.9.9.1:40123", s.opened.get(0).client());
        assertEquals("127.9.9.2:15222", s.opened.get(0).server());
        assertEquals("<message id='r'/>", s.text(Direction.TO_CLIENT));
        assertEquals(EventKind.RECORDING_GAP, s.events.get(0).kind(), "its start is said to be missing");
        assertNull(s.events.get(0).direction(), "in both directions");
    }

    /**
     * dumpcap started while an earlier connection was closing (seen in a real capture: the server's
     * FIN and the client's ACK, nothing else): no data, no name, nothing to show, so no connection;
     * a half-closed one whose other side still sends data is one.
     */
    @Test
    void theCloseOfAConnectionOpenedBeforeTheCaptureIsNoConnectionUnlessDataFollows() throws Exception {
        TcpFrameBuilder b = builder();
        Streams s = Streams.of(new PcapImporter(write(List.of(
                b.frame(false, 9000, 700, TcpSegment.FIN | TcpSegment.ACK, new byte[0], 0, 0),
                b.frame(true, 700, 9001, TcpSegment.ACK, new byte[0], 0, 0)))));
        assertEquals(List.of(), s.opened, "nothing to show");

        byte[] data = "<presence/>".getBytes(StandardCharsets.US_ASCII);
        s = Streams.of(new PcapImporter(write(List.of(
                b.frame(true, 700, 9000, TcpSegment.FIN | TcpSegment.ACK, new byte[0], 0, 0),
                b.frame(false, 9000, 701, 0x18, data, 0, data.length)))));
        assertEquals(1, s.opened.size(), "the server still sends after the client's FIN");
        assertEquals("<presence/>", s.text(Direction.TO_CLIENT));
    }

    /**
     * A capture begun on an idle stream on a port of its own: its first bytes are whitespace
     * keepalives, which say nothing of what the connection carries; the stanza after them does.
     */
    @Test
    void whitespaceKeepalivesBeforeTheFirstStanzaOnAnotherPortDoNotHideTheConnection() throws Exception {
        TcpFrameBuilder b = new TcpFrameBuilder((Inet4Address) InetAddress.getByName("127.9.9.1"), 40123,
                (Inet4Address) InetAddress.getByName("127.9.9.2"), 15222);
        byte[] ping = " ".getBytes(StandardCharsets.US_ASCII);
        byte[] message = "<message id='m'/>".getBytes(StandardCharsets.US_ASCII);
        Streams s = Streams.of(new PcapImporter(write(List.of(
                b.frame(true, 700, 9000, 0x18, ping, 0, 1),
                b.frame(true, 701, 9000, 0x18, ping, 0, 1),
                b.frame(true, 702, 9000, 0x18, message, 0, message.length)))));

        assertEquals(1, s.opened.size(), "an XMPP connection on port 15222");
        assertEquals("127.9.9.2:15222", s.opened.get(0).server());
        assertEquals("  <message id='m'/>", s.text(Direction.TO_SERVER));
    }

    /** A client port used again after a close the capture missed (a lost FIN, or two captures read as one): two connections. */
    @Test
    void aNewSynOnAnOpenConnectionsAddressesStartsANewConnection() throws Exception {
        TcpFrameBuilder b = builder();
        byte[] first = "<presence id='first'/>".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "<presence id='second'/>".getBytes(StandardCharsets.US_ASCII);
        Streams s = Streams.of(new PcapImporter(write(List.of(
                b.frame(true, 100, 0, TcpSegment.SYN, new byte[0], 0, 0),
                b.frame(true, 101, 1, 0x18, first, 0, first.length),
                b.frame(true, 100, 0, TcpSegment.SYN, new byte[0], 0, 0), // a retransmitted SYN: the same connection
                b.frame(true, 50_000, 0, TcpSegment.SYN, new byte[0], 0, 0),
                b.frame(true, 50_001, 1, 0x18, second, 0, second.length)))));

        assertEquals(2, s.opened.size());
        assertEquals("<presence id='first'/>", new String(s.bytes(s.opened.get(0).id(), Direction.TO_SERVER), StandardCharsets.US_ASCII));
        assertEquals("<presence id='second'/>", new String(s.bytes(s.opened.get(1).id(), Direction.TO_SERVER), StandardCharsets.US_ASCII));
    }

    /** A capture begun after STARTTLS holds TLS records: they are ciphertext, not XML that fails to parse. */
    @Test
    void aCaptureStartedInsideTlsIsEncryptedFromItsFirstByte() throws Exception {
        TcpFrameBuilder b = builder();
        byte[] record = {0x17, 0x03, 0x03, 0x00, 0x05, 0x3c, 0x6d, 0x65, 0x73, 0x73}; // application data, 5 bytes
        byte[] later = "<message id='x'/>".getBytes(StandardCharsets.US_ASCII); // text by chance: still TLS
        Streams s = Streams.of(new PcapImporter(write(List.of(b.frame(true, 9000, 1, 0x18, record, 0, record.length),
                b.frame(true, 9000 + record.length, 1, 0x18, later, 0, later.length)))));
        assertEquals(List.of(TlsLayer.ENCRYPTED, TlsLayer.ENCRYPTED), s.chunks.stream().map(Chunk::layer).toList());
        assertEquals(List.of(EventKind.RECORDING_GAP, EventKind.STARTTLS_PROCEED), s.events.stream().map(ConnectionEvent::kind).toList());
        assertTrue(s.events.get(1).detail().contains("after TLS had started"), s.events.get(1).detail());
    }

    @Test
    void startTlsTurnsTheRestIntoEncryptedChunksThatKeepOnlyTheirLength() throws Exception {
        TcpFrameBuilder b = builder();
        byte[] starttls = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".getBytes(StandardCharsets.US_ASCII);
        byte[] proceed = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".getBytes(StandardCharsets.US_ASCII);
        byte[] hello = {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5};
        Streams s = Streams.of(new PcapImporter(write(List.of(
                b.frame(true, 100, 0, TcpSegment.SYN, new byte[0], 0, 0),
                b.frame(true, 101, 1, 0x18, starttls, 0, starttls.length),
                b.frame(false, 1, 101 + starttls.length, 0x18, proceed, 0, proceed.length),
                b.frame(true, 101 + starttls.length, 1 + proceed.length, 0x18, hello, 0, hello.length)))));
        assertEquals(EventKind.STARTTLS_PROCEED, s.events.get(0).kind());
        Chunk last = s.chunks.get(s.chunks.size() - 1);
        assertEquals(dev.xmppscope.capture.TlsLayer.ENCRYPTED, last.layer());
        assertEquals(10, last.length());
        assertEquals(0, last.bytes().length, "ciphertext is never kept");
    }

    @Test
    void aProceedSplitAcrossSegmentsIsStillSeen() throws Exception {
        byte[] starttls = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".getBytes(StandardCharsets.US_ASCII);
        byte[] proceed = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".getBytes(StandardCharsets.US_ASCII);
        byte[] hello = {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5};
        // inside "<proceed", and inside the namespace: no segment holds both the name and the namespace
        for (int cut : new int[] {4, 20}) {
            TcpFrameBuilder b = builder();
            Streams s = Streams.of(new PcapImporter(write(List.of(
                    b.frame(true, 100, 0, TcpSegment.SYN, new byte[0], 0, 0),
                    b.frame(true, 101, 1, 0x18, starttls, 0, starttls.length),
                    b.frame(false, 1, 101 + starttls.length, 0x18, proceed, 0, cut),
                    b.frame(false, 1 + cut, 101 + starttls.length, 0x18, proceed, cut, proceed.length - cut),
                    b.frame(true, 101 + starttls.length, 1 + proceed.length, 0x18, hello, 0, hello.length)))));
            assertEquals(List.of(EventKind.STARTTLS_PROCEED), s.events.stream().map(e -> e.kind()).toList(), "cut at " + cut);
            Chunk last = s.chunks.get(s.chunks.size() - 1);
            assertEquals(dev.xmppscope.capture.TlsLayer.ENCRYPTED, last.layer(), "cut at " + cut);
            assertEquals(10, last.length());
        }
    }

    @Test
    void aTruncatedPcapSaysWhichFrameIsCutAndDeliversTheFramesBeforeIt() throws Exception {
        TcpFrameBuilder b = builder();
        List<byte[]> frames = new ArrayList<>();
        frames.add(b.frame(true, 100, 0, TcpSegment.SYN, new byte[0], 0, 0));
        byte[] data = "<presence/>".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 10; i++) {
            frames.add(b.frame(true, 101 + i * data.length, 1, 0x18, data, 0, data.length));
        }
        Path whole = write(frames);
        byte[] all = Files.readAllBytes(whole);
        Path cut = tmp.resolve("cut.pcapng");
        Files.write(cut, Arrays.copyOf(all, all.length - 20));
        Streams s = new Streams();
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> new PcapImporter(cut).replay(s));
        assertTrue(e.getMessage().contains("truncated in frame 11"), e.getMessage());
        assertEquals("<presence/>".repeat(9), s.text(Direction.TO_SERVER), "the nine frames before the cut were imported");
    }

    @Test
    void aRuntFrameIsPassedOverAndABlockTooShortForItsFieldsIsNamed() throws Exception {
        TcpFrameBuilder b = builder();
        byte[] data = "<presence/>".getBytes(StandardCharsets.US_ASCII);
        Path file = write(List.of(b.frame(true, 100, 0, TcpSegment.SYN, new byte[0], 0, 0), new byte[10],
                b.frame(true, 101, 1, 0x18, data, 0, data.length)));
        Streams s = Streams.of(new PcapImporter(file));
        assertEquals("<presence/>", s.text(Direction.TO_SERVER), "a 10-byte frame is no Ethernet frame, and nothing else is lost");

        byte[] all = Files.readAllBytes(file);
        ByteBuffer block = ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(6).putInt(24).putInt(0)
                .putInt(0).putInt(0).putInt(24); // an enhanced packet block with 8 of its 20 bytes of fields
        Path shortBlock = tmp.resolve("short.pcapng");
        Files.write(shortBlock, concat(all, block.array()));
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> new PcapImporter(shortBlock).replay(new Streams()));
        assertTrue(e.getMessage().contains("is corrupt at byte " + all.length + ": a block of type 6 too short for its own fields;"
                + " the 3 frames before it were read"), e.getMessage());
    }

    /** Bytes flipped, replaced or cut anywhere: the import delivers what it can, or says where the damage is; nothing else. */
    @Test
    void aDamagedPcapImportsOrSaysWhereWhateverTheDamage() throws Exception {
        TcpFrameBuilder b = builder();
        List<byte[]> frames = new ArrayList<>();
        frames.add(b.frame(true, 100, 0, TcpSegment.SYN, new byte[0], 0, 0));
        frames.add(b.frame(false, 500, 101, TcpSegment.SYN | TcpSegment.ACK, new byte[0], 0, 0));
        for (int i = 0; i < 12; i++) {
            byte[] data = ("<message id='m" + i + "'><body>caf\u00e9</body></message>").getBytes(StandardCharsets.UTF_8);
            frames.add(b.frame(i % 2 == 0, 101 + i * 100, 501 + i * 100, 0x18, data, 0, data.length));
        }
        byte[] good = Files.readAllBytes(write(frames));
        Path damaged = tmp.resolve("damaged.pcapng");
        Random random = new Random(5222);
        for (int trial = 0; trial < 3000; trial++) {
            byte[] d = good.clone();
            for (int k = 1 + random.nextInt(6); k > 0 && d.length > 0; k--) {
                int at = random.nextInt(d.length);
                switch (random.nextInt(3)) {
                    case 0 -> d[at] = (byte) random.nextInt(256);
                    case 1 -> d[at] ^= (byte) (1 << random.nextInt(8));
                    default -> d = Arrays.copyOf(d, at);
                }
            }
            Files.write(damaged, d);
            try {
                new PcapImporter(damaged).replay(CaptureSink.discarding());
            } catch (CaptureFileException expected) {
                assertTrue(expected.getMessage().startsWith(damaged.toString()), expected.getMessage());
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * A frame whose source port was damaged (a flipped bit) differs from its connection in that one
     * field, its sequence number in the middle of its stream: it is that connection's, not a
     * connection of its own (read as one, it was a junk connection, and a gap in this one), and
     * the import says it mended it.
     */
    @Test
    void aFrameWithADamagedPortIsReadAsTheConnectionItContinues() throws Exception {
        TcpFrameBuilder b = builder();
        TcpFrameBuilder damaged = new TcpFrameBuilder((Inet4Address) InetAddress.getByName("127.9.9.1"), 40123 ^ 0x40,
                (Inet4Address) InetAddress.getByName("127.9.9.2"), 5222);
        byte[] data = "<presence id='one'/><presence id='two'/><presence id='three'/>".getBytes(StandardCharsets.US_ASCII);
        PcapImporter importer = new PcapImporter(write(List.of(
                b.frame(true, 100, 0, TcpSegment.SYN, new byte[0], 0, 0),
                b.frame(false, 500, 101, TcpSegment.SYN | TcpSegment.ACK, new byte[0], 0, 0),
                b.frame(true, 101, 501, 0x18, data, 0, 20),
                damaged.frame(true, 121, 501, 0x18, data, 20, 20),
                b.frame(true, 141, 501, 0x18, data, 40, data.length - 40))));
        Streams s = Streams.of(importer);

        assertEquals(1, s.opened.size(), "no connection of its own: " + s.opened);
        assertEquals(new String(data, StandardCharsets.US_ASCII), s.text(Direction.TO_SERVER));
        assertEquals(List.of(), s.events, "no gap");
        assertEquals("1 frame's address or port was damaged (one field differs from a connection's, their sequence numbers within"
                + " its stream): read as that connection's instead of as connections of their own", importer.leftOut());
    }

    @Test
    void somethingThatIsNotAPcapIsNamedAsSuch() throws Exception {
        Path file = tmp.resolve("x.pcap");
        Files.writeString(file, "definitely not a capture");
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> new PcapImporter(file).replay(new Streams()));
        assertTrue(e.getMessage().contains("neither a pcap nor a pcapng"), e.getMessage());
    }

    private static TcpFrameBuilder builder() throws Exception {
        return new TcpFrameBuilder((Inet4Address) InetAddress.getByName("127.9.9.1"), 40123,
                (Inet4Address) InetAddress.getByName("127.9.9.2"), 5222);
    }

    /** The time {@link #write} gives the frame before the first: frame n (from 1) is at T0 + n µs. */
    private static final long T0 = 1_764_000_000_000_000_000L;

    private Path write(List<byte[]> frames) throws Exception {
        Path file = Files.createTempFile(tmp, "synth", ".pcapng");
        try (PcapngWriter w = new PcapngWriter(file, "test")) {
            long t = T0;
            for (byte[] f : frames) {
                w.frame(t += 1000, f);
            }
        }
        return file;
    }

    /** A client and a server on two loopback addresses: several writes each way, client closes first. */
    private static byte[][] converse(InetAddress serverAddress, InetAddress clientAddress) throws Exception {
        ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
        ByteArrayOutputStream fromServer = new ByteArrayOutputStream();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(serverAddress, 5222));
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    byte[] header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' id='abc' from='a.example'>"
                            .getBytes(StandardCharsets.UTF_8);
                    out.write(header);
                    synchronized (fromServer) {
                        fromServer.write(header);
                    }
                    byte[] big = ("<message><body>" + "caf\u00e9 ".repeat(40_000) + "</body></message>").getBytes(StandardCharsets.UTF_8);
                    out.write(big);
                    synchronized (fromServer) {
                        fromServer.write(big);
                    }
                    out.flush();
                    return in.readAllBytes();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket c = new Socket()) {
                c.bind(new InetSocketAddress(clientAddress, 0));
                c.connect(new InetSocketAddress(serverAddress, 5222));
                for (int i = 0; i < 5; i++) {
                    byte[] part = ("<presence id='p" + i + "'/>").getBytes(StandardCharsets.UTF_8);
                    c.getOutputStream().write(part);
                    fromClient.write(part);
                    Thread.sleep(20);
                }
                byte[] buf = c.getInputStream().readNBytes(1); // the server has started answering
                byte[] more = c.getInputStream().readNBytes(fromServerLength() - 1);
                assertEquals('<', buf[0]);
                assertTrue(more.length > 0);
                c.shutdownOutput();
            }
            assertArrayEquals(fromClient.toByteArray(), received.get());
        }
        return new byte[][] {fromClient.toByteArray(), fromServer.toByteArray()};
    }

    private static int fromServerLength() {
        return ("<?xml version='1.0'?><stream:stream xmlns='jabber:client' id='abc' from='a.example'>").length()
                + ("<message><body>" + "caf\u00e9 ".repeat(40_000) + "</body></message>").getBytes(StandardCharsets.UTF_8).length;
    }

    /** What an import delivered, by kind. */
    static final class Streams implements CaptureSink {
        final List<ConnectionOpened> opened = new ArrayList<>();
        final List<Chunk> chunks = new ArrayList<>();
        final List<ConnectionEvent> events = new ArrayList<>();
        final List<ConnectionClosed> closed = new ArrayList<>();

        static Streams of(dev.xmppscope.capture.file.CaptureSource source) {
            Streams s = new Streams();
            source.replay(s);
            return s;
        }

        byte[] bytes(Direction d) {
            return bytes(-1, d);
        }

        /** The bytes of one connection (or all, for -1) in one direction. */
        byte[] bytes(long connection, Direction d) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Chunk c : chunks) {
                if (c.direction() == d && (connection < 0 || c.connectionId() == connection)) {
                    out.writeBytes(c.bytes());
                }
            }
            return out.toByteArray();
        }

        String text(Direction d) {
            return new String(bytes(d), StandardCharsets.UTF_8);
        }

        @Override
        public void opened(ConnectionOpened c) {
            opened.add(c);
        }

        @Override
        public void chunk(Chunk c) {
            chunks.add(c);
        }

        @Override
        public void event(ConnectionEvent e) {
            events.add(e);
        }

        @Override
        public void closed(ConnectionClosed c) {
            closed.add(c);
        }
    }
}
