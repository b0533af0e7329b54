package dev.xmppscope.analyzer.tools;

import com.ctc.wstx.stax.WstxInputFactory;
import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.stream.XMLStreamReader;

/**
 * Ad hoc measurement (not a test): writes a synthetic c2s capture of N messages into a fresh H2
 * store, then times (1) a raw Woodstox parse of the same bytes, (2) the analyzer replaying the
 * store, (3) a second replay on the already-indexed store, and (4) stanza queries.
 * Usage: ReplayThroughput DIR [messages]. The bench helper owns the formal benchmark.
 */
public final class ReplayThroughput {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        Files.createDirectories(dir);
        Path db = dir.resolve("bench-" + System.nanoTime());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        long stanzas = 0;
        try (CaptureStore store = CaptureStore.open(db)) {
            try (CaptureWriter w = store.newWriter()) {
                long t = 1_764_000_000_000_000_000L;
                w.opened(new ConnectionOpened(1, "x=y", "x", "c", "s", TlsMode.PASSTHROUGH, t));
                String header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' to='a.example'"
                        + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
                long[] off = new long[2];
                long seq = 0;
                byte[] h = header.getBytes(StandardCharsets.UTF_8);
                w.chunk(Chunk.of(1, seq++, Direction.TO_SERVER, ++t, TlsLayer.PLAIN, off[0], h));
                off[0] += h.length;
                all.write(h);
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    batch.append("<message to='user").append(i % 50).append("@b.example' id='id").append(i)
                            .append("' type='chat' xml:lang='en'><body>message number ").append(i)
                            .append(" with some text in it, like a person would write \u00e9</body>")
                            .append("<active xmlns='http://jabber.org/protocol/chatstates'/>")
                            .append("<request xmlns='urn:xmpp:receipts'/></message>");
                    stanzas++;
                    if (batch.length() > 4000 || i == n - 1) {
                        byte[] b = batch.toString().getBytes(StandardCharsets.UTF_8);
                        w.chunk(Chunk.of(1, seq++, Direction.TO_SERVER, t += 1000, TlsLayer.PLAIN, off[0], b));
                        off[0] += b.length;
                        all.write(b);
                        batch.setLength(0);
                        if (seq % 500 == 0) {
                            w.commit();
                        }
                    }
                }
                w.closed(new ConnectionClosed(1, t + 1, CloseReason.CLIENT_CLOSED, "", off[0], 0));
            }
            byte[] bytes = all.toByteArray();
            double mb = bytes.length / 1e6;
            System.out.printf(Locale.ROOT, "capture: %d stanzas, %.1f MB%n", stanzas, mb);
            double bestRaw = Double.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                long cpu0 = cpuNanos();
                long events = rawParse(bytes);
                double raw = (System.nanoTime() - t0) / 1e9;
                bestRaw = Math.min(bestRaw, raw);
                System.out.printf(Locale.ROOT, "raw woodstox: %.2f s, %.1f MB/s (%d events), CPU %.2f s%n", raw, mb / raw, events,
                        (cpuNanos() - cpu0) / 1e9);
            }
            long r0 = System.nanoTime();
            store.newReader().replay(new dev.xmppscope.capture.CaptureSink() {
                public void opened(ConnectionOpened c) { }
                public void chunk(Chunk c) { }
                public void event(dev.xmppscope.capture.ConnectionEvent e) { }
                public void closed(ConnectionClosed c) { }
            });
            double rs = (System.nanoTime() - r0) / 1e9;
            System.out.printf(Locale.ROOT, "store replay into nothing: %.2f s, %.1f MB/s%n", rs, mb / rs);
            long p0 = System.nanoTime();
            dev.xmppscope.analyzer.stream.StreamParser parser = new dev.xmppscope.analyzer.stream.StreamParser();
            for (int i = 0; i < bytes.length; i += 4096) {
                parser.feed(bytes, i, Math.min(4096, bytes.length - i), 1L);
            }
            double ps = (System.nanoTime() - p0) / 1e9;
            System.out.printf(Locale.ROOT, "StreamParser alone: %.2f s, %.1f MB/s%n", ps, mb / ps);
            for (int round = 0; round < 2; round++) {
                long t0 = System.nanoTime();
                long cpu0 = cpuNanos();
                try (Analyzer a = Analyzer.open(store)) {
                    store.newReader().replay(a);
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "analyzer replay %s: %.2f s, %.1f MB/s, %.0f stanzas/s,"
                            + " %.1f%% of the best raw woodstox round (%.1f MB/s)%n",
                            round == 0 ? "(indexing)" : "(already indexed)", s, mb / s, stanzas / s, 100 * bestRaw / s,
                            mb / bestRaw);
                    System.out.printf(Locale.ROOT, "  (process CPU %.2f s for it, on all threads)%n", (cpuNanos() - cpu0) / 1e9);
                    long q0 = System.nanoTime();
                    int found = a.stanzas(new StanzaQuery(null, "user7@b.example", "message", null, null, null, null,
                            null, null, null, 100)).items().size();
                    int ns = a.stanzas(new StanzaQuery(null, null, null, null, "XEP-0184", null, null, null, null, null, 100))
                            .items().size();
                    int byId = a.stanzas(new StanzaQuery(null, null, null, null, null, "id" + (n / 2), null, null, null,
                            null, 100)).items().size();
                    System.out.printf(Locale.ROOT, "3 queries: %.1f ms (%d, %d, %d rows)%n", (System.nanoTime() - q0) / 1e6,
                            found, ns, byId);
                }
            }
            System.out.printf(Locale.ROOT, "database: %.1f MB, payloads: %.1f MB%n",
                    Files.size(CaptureStore.dataFile(db)) / 1e6, Files.size(CaptureStore.payloadFile(db)) / 1e6);
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long rawParse(byte[] bytes) throws Exception {
        WstxInputFactory f = new WstxInputFactory();
        f.configureForSpeed();
        XMLStreamReader r = f.createXMLStreamReader(new ByteArrayInputStream(bytes), "UTF-8");
        long events = 0;
        try {
            while (r.hasNext()) {
                r.next();
                events++;
            }
        } catch (javax.xml.stream.XMLStreamException e) {
            // the stream is never closed: Woodstox reports the unexpected end after the last stanza
            events++;
        }
        return events;
    }
}
