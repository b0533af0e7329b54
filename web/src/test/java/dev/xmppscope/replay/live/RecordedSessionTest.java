package dev.xmppscope.replay.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordedSessionTest {
    /** A pcap begun after the session logged in holds no login to replay: the refusal says so, not only that a header is missing. */
    @Test
    void aConnectionTheCaptureJoinedMidStreamIsRefusedWithWhy() {
        byte[] message = "<message to='bob@a.example' id='m1'><body>hi</body></message>".getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordedSession.load(sink -> {
            sink.opened(new ConnectionOpened(1, "pcap:late.pcap", "127.0.0.2:5222", "127.0.0.1:40000", "127.0.0.2:5222",
                    TlsMode.PASSTHROUGH, 1L));
            sink.event(new ConnectionEvent(1, 1, 1L, null, EventKind.RECORDING_GAP, "the capture began after this connection opened"));
            sink.chunk(Chunk.of(1, 2, Direction.TO_SERVER, 2L, TlsLayer.PLAIN, 0, message));
            sink.flushed();
        }, 1));
        assertEquals("connection 1 does not start with an XMPP stream header from its client: the capture began after it"
                + " opened, so its login is not in it", e.getMessage());
    }
}
