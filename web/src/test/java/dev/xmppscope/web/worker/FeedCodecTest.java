package dev.xmppscope.web.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.xmppscope.capture.TlsMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recorder's feed reaches the worker call for call, field for field. */
class FeedCodecTest {

    @Test
    void everyCallArrivesAsItWasMade() throws IOException {
        byte[] xml = "<message to='bob@b.example'><body>h\u00e9</body></message>".getBytes(StandardCharsets.UTF_8);
        String longDetail = "x".repeat(70_000); // beyond writeUTF's 64 KiB
        List<Object> sent = List.of(
                new ConnectionOpened(7, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", "127.0.0.1:4000", null,
                        TlsMode.INTERCEPT, 11),
                new Chunk(7, 1, Direction.TO_SERVER, 12, TlsLayer.PLAIN, 0, xml.length, xml, false),
                new Chunk(7, 2, Direction.TO_CLIENT, 13, TlsLayer.ENCRYPTED, 40, 517, new byte[0], false),
                new ConnectionEvent(7, 3, 14, null, EventKind.values()[0], "detail \u2713"),
                new ConnectionClosed(7, 15, CloseReason.values()[0], longDetail, 100, 200),
                "flushed");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CaptureSink encoder = FeedCodec.encoder(new DataOutputStream(bytes));
        encoder.opened((ConnectionOpened) sent.get(0));
        encoder.chunk((Chunk) sent.get(1));
        encoder.chunk((Chunk) sent.get(2));
        encoder.event((ConnectionEvent) sent.get(3));
        encoder.closed((ConnectionClosed) sent.get(4));
        encoder.flushed();

        List<Object> received = new ArrayList<>();
        FeedCodec.decode(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), recorder(received));
        assertEquals(sent.size(), received.size());
        for (int i = 0; i < sent.size(); i++) {
            if (sent.get(i) instanceof Chunk c) {
                Chunk r = (Chunk) received.get(i);
                assertArrayEquals(c.bytes(), r.bytes());
                assertEquals(List.of(c.connectionId(), c.seq(), c.direction(), c.atNanos(), c.layer(), c.offset(), c.length(),
                        c.redacted()), List.of(r.connectionId(), r.seq(), r.direction(), r.atNanos(), r.layer(), r.offset(),
                        r.length(), r.redacted()));
            } else {
                assertEquals(sent.get(i), received.get(i));
            }
        }
    }

    @Test
    void aFeedCutInsideARecordIsAnErrorThatSaysSo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FeedCodec.encoder(new DataOutputStream(bytes)).closed(new ConnectionClosed(1, 2, CloseReason.values()[0], "d", 3, 4));
        byte[] cut = Arrays.copyOf(bytes.toByteArray(), bytes.size() - 3);
        IOException e = assertThrows(IOException.class,
                () -> FeedCodec.decode(new DataInputStream(new ByteArrayInputStream(cut)), recorder(new ArrayList<>())));
        assertTrue(e.getMessage().contains("ended inside a record"), e.getMessage());
    }

    private static CaptureSink recorder(List<Object> into) {
        return new CaptureSink() {
            @Override
            public void opened(ConnectionOpened c) {
                into.add(c);
            }

            @Override
            public void chunk(Chunk c) {
                into.add(c);
            }

            @Override
            public void event(ConnectionEvent e) {
                into.add(e);
            }

            @Override
            public void closed(ConnectionClosed c) {
                into.add(c);
            }

            @Override
            public void flushed() {
                into.add("flushed");
            }
        };
    }
}
