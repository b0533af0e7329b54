package dev.xmppscope.bench.load;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A capture of c2s streams built from the stanza corpus, as the proxy would have recorded them:
 * each stream has a client side (header, stanzas, close) and a server side (header, features,
 * stanzas, close), cut into TCP-read-sized chunks (1 byte to 16 KiB, so stanzas and UTF-8
 * characters split across chunks). The same streams go into an H2 capture and into a pcap, so
 * every analysis contender reads the same bytes.
 */
public final class SyntheticCapture {
    /** One direction of one stream: its bytes and where reads cut them. */
    public record Side(Direction direction, byte[] bytes, int[] cuts) {
    }

    /** One c2s stream. */
    public record Stream(long id, int clientPort, Side toServer, Side toClient) {
    }

    private final List<Stream> streams;
    private final long totalBytes;
    private final long stanzas;

    private SyntheticCapture(List<Stream> streams, long totalBytes, long stanzas) {
        this.streams = streams;
        this.totalBytes = totalBytes;
        this.stanzas = stanzas;
    }

    /**
     * About {@code totalBytes} of XML over {@code streamCount} streams, fixed seed. Each side of
     * each stream sends the corpus's stanzas with ids of its own, as distinct clients would: with
     * one shared corpus, every stanza would appear, identical, on every stream, and the analyzer
     * would rightly take the copies for one stanza routed through a server to all of them.
     */
    public static SyntheticCapture build(int streamCount, long totalBytes) {
        Random r = new Random(5269);
        List<Stream> out = new ArrayList<>();
        long perSide = totalBytes / streamCount / 2;
        long bytes = 0;
        long stanzas = 0;
        for (int i = 0; i < streamCount; i++) {
            int[] counted = new int[1];
            int corpusBytes = (int) Math.min(1 << 20, perSide + (64 << 10));
            byte[] c = side(StanzaCorpus.build(corpusBytes, "c" + i + "-"), StanzaCorpus.clientHeader("b.example"), perSide, r, counted);
            byte[] s = side(StanzaCorpus.build(corpusBytes, "s" + i + "-"), StanzaCorpus.serverHeader("b.example", i), perSide, r,
                    counted);
            counted[0]++; // the server's <stream:features/> is a top-level element too
            out.add(new Stream(i + 1, 40000 + i, new Side(Direction.TO_SERVER, c, cuts(c.length, r)),
                    new Side(Direction.TO_CLIENT, s, cuts(s.length, r))));
            bytes += c.length + s.length;
            stanzas += counted[0];
        }
        return new SyntheticCapture(out, bytes, stanzas);
    }

    private static byte[] side(StanzaCorpus corpus, byte[] header, long approx, Random r, int[] counted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) approx + 4096);
        out.writeBytes(header);
        int i = r.nextInt(corpus.stanzaCount());
        byte[] block = corpus.block();
        while (out.size() < approx) {
            out.write(block, corpus.stanzaStart(i), corpus.stanzaEnd(i) - corpus.stanzaStart(i));
            counted[0]++;
            i = (i + 1) % corpus.stanzaCount();
        }
        out.writeBytes(StanzaCorpus.streamClose());
        return out.toByteArray();
    }

    private static int[] cuts(int length, Random r) {
        List<Integer> cuts = new ArrayList<>();
        int at = 0;
        while (at < length) {
            int size = r.nextInt(8) == 0 ? 1 + r.nextInt(64) : 512 + r.nextInt(16 * 1024 - 512);
            at = Math.min(length, at + size);
            cuts.add(at);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    public List<Stream> streams() {
        return streams;
    }

    /** XML bytes in both directions of all streams. */
    public long totalBytes() {
        return totalBytes;
    }

    /** Top-level elements in all streams: stanzas and the server's features (headers and closes not counted). */
    public long stanzas() {
        return stanzas;
    }

    /**
     * Writes the capture into an H2 capture database, chunks of both directions interleaved in
     * time as a conversation would be, 1 µs apart.
     */
    public void writeTo(Path db) {
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            long t = 1_790_000_000_000_000_000L;
            for (Stream s : streams) {
                String client = "127.0.0.1:" + s.clientPort();
                w.opened(new ConnectionOpened(s.id(), "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", client,
                        "127.0.0.2:5222", TlsMode.PASSTHROUGH, t++));
                long seq = 0;
                int ci = 0;
                int si = 0;
                int pending = 0;
                while (ci < s.toServer().cuts().length || si < s.toClient().cuts().length) {
                    boolean client2server = si >= s.toClient().cuts().length
                            || (ci < s.toServer().cuts().length && (ci <= si));
                    Side side = client2server ? s.toServer() : s.toClient();
                    int idx = client2server ? ci++ : si++;
                    int from = idx == 0 ? 0 : side.cuts()[idx - 1];
                    byte[] bytes = java.util.Arrays.copyOfRange(side.bytes(), from, side.cuts()[idx]);
                    w.chunk(Chunk.of(s.id(), seq++, side.direction(), t++, TlsLayer.PLAIN, from, bytes));
                    if (++pending % 500 == 0) {
                        w.commit();
                    }
                }
                w.closed(new ConnectionClosed(s.id(), t++, CloseReason.CLIENT_CLOSED, "client closed the stream",
                        s.toServer().bytes().length, s.toClient().bytes().length));
                w.commit();
            }
        }
    }
}
