package dev.xmppscope.web.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.index.CaptureFingerprint;
import dev.xmppscope.analyzer.index.KeptAnalysis;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.StoredPayloads;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.capture.file.CollectingSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The recorder's feed reaches the worker call for call, field for field. */
class FeedCodecTest {

    /** The worker's view of the capture's payload file, given to the stored chunks it decodes. */
    private static final StoredPayloads PAYLOADS = StoredPayloads.openReadOnly(Path.of("capture"));

    /**
     * One call of each kind, with the awkward values: nulls, no direction, a detail beyond
     * writeUTF's 64 KiB; a chunk as stored, with where it is in the payload file.
     */
    private static void sendEveryKindOfCall(CaptureSink sink) {
        byte[] xml = "<message to='bob@b.example'><body>h\u00e9</body></message>".getBytes(StandardCharsets.UTF_8);
        sink.opened(new ConnectionOpened(7, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", "127.0.0.1:4000", null,
                TlsMode.INTERCEPT, 11));
        sink.chunk(new Chunk(7, 1, Direction.TO_SERVER, 12, TlsLayer.PLAIN, 0, xml.length, xml, false));
        sink.chunk(new Chunk(7, 2, Direction.TO_CLIENT, 13, TlsLayer.ENCRYPTED, 40, 517, new byte[0], true));
        sink.storedChunk(new Chunk(7, 3, Direction.TO_SERVER, 14, TlsLayer.DECRYPTED, 0, xml.length, xml, true), PAYLOADS,
                (1L << 40) + 3);
        sink.event(new ConnectionEvent(7, 3, 14, null, EventKind.values()[0], "detail \u2713"));
        sink.closed(new ConnectionClosed(7, 15, CloseReason.values()[0], "x".repeat(70_000), 100, 200));
        sink.flushed();
    }

    /** Every call, then the request to keep the analysis that a clean stop ends the feed with: after them, as it was made. */
    @Test
    void everyCallArrivesAsItWasMade() throws IOException {
        KeptAnalysis.Made made = new KeptAnalysis.Made(new CaptureFingerprint("capture-id", 1_341, 1L << 33, 9, 1, "build"),
                1_765_000_000_000L);
        Recording sent = new Recording();
        sendEveryKindOfCall(sent);
        sent.lines.add("keep " + made);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        sendEveryKindOfCall(FeedCodec.encoder(out, PAYLOADS, e -> { throw new AssertionError(e); }));
        FeedCodec.writeKeep(out, made);

        Recording received = new Recording();
        FeedCodec.decode(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), received, PAYLOADS,
                m -> received.lines.add("keep " + m));
        assertEquals(sent.lines, received.lines);
        assertEquals(1, received.flushes);
    }

    /** A place in another capture's payload file would mean nothing to the worker: such a chunk goes as a chunk alone. */
    @Test
    void aChunkStoredInAnotherCaptureGoesWithoutItsPlace() throws IOException {
        byte[] xml = "<presence/>".getBytes(StandardCharsets.UTF_8);
        Chunk c = new Chunk(7, 1, Direction.TO_SERVER, 12, TlsLayer.PLAIN, 0, xml.length, xml, false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CaptureSink encoder = FeedCodec.encoder(new DataOutputStream(bytes), PAYLOADS, e -> { throw new AssertionError(e); });
        try (StoredPayloads other = StoredPayloads.openReadOnly(Path.of("other"))) {
            encoder.storedChunk(c, other, 99);
        }
        encoder.storedChunk(c, PAYLOADS, 42);
        encoder.flushed();
        Recording received = new Recording();
        FeedCodec.decode(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), received, PAYLOADS, FeedCodecTest::noKeep);
        Recording expected = new Recording();
        expected.chunk(c);
        expected.storedChunk(c, PAYLOADS, 42);
        assertEquals(expected.lines, received.lines);
    }

    @Test
    void aFeedCutInsideARecordIsAnErrorThatSaysSo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sendEveryKindOfCall(FeedCodec.encoder(new DataOutputStream(bytes), PAYLOADS, e -> { throw new AssertionError(e); }));
        byte[] cut = Arrays.copyOf(bytes.toByteArray(), bytes.size() - 3);
        IOException e = assertThrows(FeedCodec.CutShort.class,
                () -> FeedCodec.decode(new DataInputStream(new ByteArrayInputStream(cut)), new CollectingSink(), PAYLOADS, FeedCodecTest::noKeep));
        assertEquals("the proxy's feed broke off inside a connection's close (the proxy was stopped abruptly)", e.getMessage());
    }

    private static void noKeep(KeptAnalysis.Made made) {
        throw new AssertionError("no request to keep the analysis was sent: " + made);
    }

    @Test
    void aBrokenFeedIsReportedOnceAndTheCallsAfterItAreDropped() {
        List<IOException> reported = new ArrayList<>();
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        Consumer<IOException> onBroken = reported::add;
        sendEveryKindOfCall(FeedCodec.encoder(new DataOutputStream(gone), PAYLOADS, onBroken)); // no exception reaches the recorder
        assertEquals(1, reported.size());
        assertEquals("Broken pipe", reported.get(0).getMessage());
    }

    /** Every call as a line; a stored chunk's with where it is and in which payloads (by identity). */
    private static final class Recording extends CollectingSink {
        @Override
        public void storedChunk(Chunk c, StoredPayloads payloads, long position) {
            chunk(c);
            lines.add("stored at " + position + (payloads == PAYLOADS ? " in the given payloads" : " elsewhere"));
        }
    }
}
