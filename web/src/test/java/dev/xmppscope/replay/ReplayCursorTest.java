package dev.xmppscope.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay clock without threads: wall time passes only when the test says so. */
class ReplayCursorTest {
    static final long T0 = 1_764_000_000_000_000_000L;
    static final long MS = 1_000_000L;

    /** A c2s conversation: open at 0, chunks at 100 ms, 200 ms, 300 ms, then a 60 s silence, a chunk and the close. */
    static ReplayTimeline conversation() {
        return ReplayTimeline.load(sink -> {
            sink.opened(new ConnectionOpened(1, "r", "l", "127.0.0.1:4000", "127.0.0.2:5222", TlsMode.PASSTHROUGH, T0));
            sink.chunk(chunk(1, T0 + 100 * MS, Direction.TO_SERVER, "<stream:stream to='a.example'>"));
            sink.chunk(chunk(2, T0 + 200 * MS, Direction.TO_CLIENT, "<stream:stream from='a.example'><stream:features/>"));
            sink.chunk(chunk(3, T0 + 300 * MS, Direction.TO_SERVER, "<iq type='get' id='ping1'><ping xmlns='urn:xmpp:ping'/></iq>"));
            sink.chunk(chunk(4, T0 + 60_300 * MS, Direction.TO_SERVER, "</stream:stream>"));
            sink.closed(new ConnectionClosed(1, T0 + 60_400 * MS, dev.xmppscope.capture.CloseReason.CLIENT_CLOSED, "", 1, 1));
        });
    }

    static Chunk chunk(long seq, long at, Direction d, String xml) {
        return Chunk.of(1, seq, d, at, TlsLayer.PLAIN, 0, xml.getBytes(StandardCharsets.UTF_8));
    }

    /** Each model the cursor opens writes down what it is fed. */
    static final class Models implements ReplayModel.Factory {
        final List<List<String>> fed = new ArrayList<>();

        @Override
        public ReplayModel open() {
            List<String> log = new ArrayList<>();
            fed.add(log);
            return new ReplayModel(null, new CaptureSink() {
                public void opened(ConnectionOpened c) { log.add("opened"); }
                public void chunk(Chunk c) { log.add("chunk " + c.seq()); }
                public void event(ConnectionEvent e) { log.add("event"); }
                public void closed(ConnectionClosed c) { log.add("closed"); }
            }, () -> log.add("model closed"));
        }

        List<String> last() {
            return fed.get(fed.size() - 1);
        }
    }

    @Test
    void playingFeedsTheModelWhatIsDueAtTheCurrentSpeed() {
        Models models = new Models();
        ReplayCursor c = new ReplayCursor(conversation(), models, 0);
        c.play();
        c.advance(150 * MS);
        assertEquals(List.of("opened", "chunk 1"), models.last(), "at 1x, 150 ms of wall time reach 150 ms of capture");
        c.setSpeed(10);
        c.advance(15 * MS);
        assertEquals(List.of("opened", "chunk 1", "chunk 2", "chunk 2", "chunk 3"), models.last(),
                "at 10x, 15 ms reach 150 ms more (chunk 2, header and features, comes as two elements)");
        assertEquals(T0 + 300 * MS, c.position());
        c.pause();
        c.advance(10_000 * MS);
        assertEquals(5, models.last().size(), "paused: time passes, nothing is fed");
    }

    @Test
    void aLongQuietStretchIsShortenedToTheIdleLimit() {
        Models models = new Models();
        ReplayCursor c = new ReplayCursor(conversation(), models, 2_000 * MS);
        c.play();
        c.advance(300 * MS);
        assertTrue(c.wallNanosUntilNext() <= 2_000 * MS, "the 60 s silence waits at most 2 s");
        c.advance(2_000 * MS);
        assertTrue(models.last().contains("chunk 4"), models.last().toString());
        assertTrue(c.advance(100 * MS), "then the close is reached and the replay ends");
        assertEquals(ReplayCursor.State.ENDED, c.state());
    }

    @Test
    void stepMovesOnByOnePieceOfConversationAndPauses() {
        Models models = new Models();
        ReplayCursor c = new ReplayCursor(conversation(), models, 0);
        c.play();
        assertTrue(c.step());
        assertEquals(ReplayCursor.State.PAUSED, c.state());
        assertEquals(List.of("opened", "chunk 1"), models.last());
        assertTrue(c.step());
        assertEquals(List.of("opened", "chunk 1", "chunk 2"), models.last());
        assertEquals(T0 + 200 * MS, c.position());
    }

    @Test
    void aStepShowsOneStanzaEvenWhenOneReadCarriedSeveral() {
        ReplayTimeline t = ReplayTimeline.load(sink -> {
            sink.opened(new ConnectionOpened(1, "r", "l", "c", "s", TlsMode.PASSTHROUGH, T0));
            sink.chunk(chunk(1, T0 + MS, Direction.TO_CLIENT, "<iq type='result' id='a'/><presence from='x'/><mess"));
            sink.chunk(Chunk.of(1, 2, Direction.TO_CLIENT, T0 + 2 * MS, TlsLayer.PLAIN, 51,
                    "age><body>hi</body></message>".getBytes(StandardCharsets.UTF_8)));
        });
        List<String> texts = new ArrayList<>();
        CaptureSink chunks = CaptureSink.ofChunks(ch -> texts.add(ch.offset() + ":" + new String(ch.bytes(), StandardCharsets.UTF_8)));
        ReplayCursor c = new ReplayCursor(t, () -> new ReplayModel(null, chunks, () -> { }), 0);
        c.step();
        assertEquals(List.of("0:<iq type='result' id='a'/>"), texts);
        c.step();
        assertEquals("26:<presence from='x'/>", texts.get(1));
        c.step();
        assertEquals(List.of("0:<iq type='result' id='a'/>", "26:<presence from='x'/>", "46:<mess", "51:age><body>hi</body></message>"),
                texts, "the message completes with the second read, at the recorded offsets");
    }

    @Test
    void seekingBackwardsStartsAFreshModelFedUpToThePosition() {
        Models models = new Models();
        ReplayCursor c = new ReplayCursor(conversation(), models, 0);
        assertFalse(c.seek(T0 + 250 * MS), "forwards: same model");
        assertEquals(List.of("opened", "chunk 1", "chunk 2", "chunk 2"), models.last());
        assertTrue(c.seek(T0 + 150 * MS), "backwards: a new model");
        assertEquals(2, models.fed.size());
        assertEquals("model closed", models.fed.get(0).get(models.fed.get(0).size() - 1), "the old model was closed");
        assertEquals(List.of("opened", "chunk 1"), models.last());
        c.seek(Long.MAX_VALUE);
        assertEquals(T0 + 60_400 * MS, c.position(), "seek is clamped to the capture");
        assertEquals("closed", models.last().get(models.last().size() - 1));
    }

    @Test
    void speedStaysBetweenATenthAndAHundredTimes() {
        ReplayCursor c = new ReplayCursor(conversation(), new Models(), 0);
        c.setSpeed(0.1);
        c.setSpeed(100);
        assertThrows(IllegalArgumentException.class, () -> c.setSpeed(0.05));
        assertThrows(IllegalArgumentException.class, () -> c.setSpeed(101));
        assertThrows(IllegalArgumentException.class, () -> c.setSpeed(Double.NaN));
    }

    @Test
    void narrationIsPlacedByTimeOrByWhatTheStreamSays() {
        String notes = "[{\"at\": 50, \"text\": \"the client connects\"},"
                + "{\"match\": \"urn:xmpp:ping\", \"text\": \"a ping\"},"
                + "{\"match\": \"</stream:stream>\", \"text\": \"goodbye\"}]";
        List<Annotation> a = Annotations.load(new ByteArrayInputStream(notes.getBytes(StandardCharsets.UTF_8)),
                conversation(), "test.notes.json");
        assertEquals(List.of(new Annotation(T0 + 50 * MS, "the client connects"), new Annotation(T0 + 300 * MS, "a ping"),
                new Annotation(T0 + 60_300 * MS, "goodbye")), a);
        assertEquals("a ping", ReplayCursor.current(a, T0 + 400 * MS).text());
        assertEquals(null, ReplayCursor.current(a, T0 + 10 * MS));
    }

    @Test
    void aNoteThatMatchesNothingIsAClearError() {
        String notes = "[{\"match\": \"jabber:server:dialback\", \"text\": \"never\"}]";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Annotations.load(
                new ByteArrayInputStream(notes.getBytes(StandardCharsets.UTF_8)), conversation(), "x.notes.json"));
        assertTrue(e.getMessage().contains("note 1 in x.notes.json"), e.getMessage());
    }
}
