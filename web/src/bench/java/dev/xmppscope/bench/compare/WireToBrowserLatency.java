package dev.xmppscope.bench.compare;

import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.bench.BenchContext;
import dev.xmppscope.bench.Comparison;
import dev.xmppscope.bench.load.LatencyProbe;
import dev.xmppscope.bench.load.StanzaCorpus;
import dev.xmppscope.bench.load.XmppSink;
import dev.xmppscope.bench.relay.LoopbackPorts;
import dev.xmppscope.bench.report.ComparisonReport;
import dev.xmppscope.bench.report.Results;
import dev.xmppscope.bench.report.Table;
import dev.xmppscope.bench.report.TargetCheck;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.proxy.ListenerState;
import dev.xmppscope.proxy.ProxyOptions;
import dev.xmppscope.proxy.ProxyServer;
import dev.xmppscope.proxy.Recorder;
import dev.xmppscope.proxy.Route;
import dev.xmppscope.web.ModelSource;
import dev.xmppscope.web.WebOptions;
import dev.xmppscope.web.WebServer;
import dev.xmppscope.web.api.CaptureExportApi;
import dev.xmppscope.web.worker.LiveAnalysis;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Issue 4's wire-to-browser latency: the whole pipeline as {@code xmppscope proxy} wires it
 * (CaptureStore → Recorder → ProxyServer, the live analysis in its worker JVM fed by the
 * recorder, the WebServer with the UI) in the runner's JVM, a raw client stream through it to the bench sink, and the UI open
 * in headless Chromium following live. Each message carries a unique id; its latency runs from
 * just before the client writes it to the moment the page appends a timeline row showing that
 * id, with the stages in between timed where they happen.
 */
public final class WireToBrowserLatency implements Comparison {
    static final String NAME = "wire-to-browser";
    private static final String PREFIX = "wtb-";
    private static final Pattern ID = Pattern.compile("id='(wtb-\\d+)'");
    private static final String CONTENDER = "xmppscope";
    /** Stage columns: metric name → what the method text calls it. */
    private static final List<String> STAGES = List.of("write→relay", "relay→event", "event→WS", "WS→DOM", "DOM→frame");
    /** A second recorder listener beside the analysis feed: when the committed chunk is handed over. */
    private static final String HANDOFF = "relay→listener";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "7. Wire-to-browser latency";
    }

    private static int rate(boolean quick) {
        return quick ? 10 : 20;
    }

    private static int messages(boolean quick) {
        return quick ? 10 : 200;
    }

    private static String scenario(boolean quick) {
        return messages(quick) + " messages at " + rate(quick) + "/s";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        boolean quick = ctx.quick();
        int rounds = quick ? 1 : ctx.rounds();
        for (int round = 1; round <= rounds; round++) {
            try {
                ctx.record(NAME, scenario(quick), CONTENDER, round, measure(ctx, round));
            } catch (Exception e) {
                ctx.results().failed(NAME + ": " + e.getMessage());
                BenchContext.log("  %s round %d FAILED: %s", NAME, round, e);
            }
        }
    }

    /** Each round records into a fresh capture (an old one would show its ids at page load). */
    private Map<String, Double> measure(BenchContext ctx, int round) throws Exception {
        Path dir = Files.createTempDirectory(ctx.workDir(), NAME + "-r" + round + "-");
        try {
            return measure(ctx, round, dir.resolve("capture.mv.db"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private Map<String, Double> measure(BenchContext ctx, int round, Path db) throws Exception {
        int n = messages(ctx.quick());
        StageClock stages = new StageClock();
        InetSocketAddress listen = LoopbackPorts.freePort(ctx.loopback().host(3));
        try (XmppSink sink = XmppSink.start(ctx.loopback().host(1), XmppSink.Mode.COUNT, 1);
             CaptureStore store = CaptureStore.open(db);
             LiveAnalysis live = LiveAnalysis.inWorker(store);
             Recorder recorder = Recorder.start(store, false)) {
            Supplier<ListenerState> analysis = recorder.addListener(live.feed());
            recorder.addListener(stages);
            AutoCloseable events = live.model().subscribe(stages::event);
            Route route = Route.parse(hostPort(listen) + "=" + hostPort(sink.address()), TlsMode.PASSTHROUGH);
            try (ProxyServer proxy = ProxyServer.start(new ProxyOptions(List.of(route), false, null), recorder);
                 WebServer web = WebServer.start(WebOptions.loopback(0), // the browser resolves only 127.0.0.1
                         ModelSource.recording(live.model(), analysis), // as xmppscope proxy wires it
                         List.of(CaptureExportApi.recording(store, analysis, live::stoppedBecause, recorder::stopped)));
                 WireToBrowserPage page = new WireToBrowserPage();
                 RawClient client = new RawClient(proxy.boundAddresses().get(0))) {
                page.open(web.url(), PREFIX);
                // warm-up: a few messages rendered before measuring (first fetches, JIT, first layout)
                for (int i = 0; i < 5; i++) {
                    client.send("wtbw-" + i);
                    Thread.sleep(50);
                }
                Thread.sleep(1500);
                long[] sentMicros = new long[n];
                long interval = 1_000_000_000L / rate(ctx.quick());
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    long due = start + i * interval;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    sentMicros[i] = epochMicros();
                    client.send(PREFIX + i);
                }
                long deadline = System.currentTimeMillis() + 5000;
                while (page.rendered(PREFIX) < n && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                Thread.sleep(200); // the animation frame after the last row
                Map<String, Double> m = summarize(sentMicros, stages, page.times());
                BenchContext.log("  round %d: %s", round, m);
                return m;
            } finally {
                events.close();
            }
        }
    }

    private static Map<String, Double> summarize(long[] sentMicros, StageClock stages, Map<String, Map<String, Double>> page) {
        int n = sentMicros.length;
        List<Long> total = new ArrayList<>();
        Map<String, List<Long>> perStage = new LinkedHashMap<>();
        STAGES.forEach(s -> perStage.put(s, new ArrayList<>()));
        List<Long> toWs = new ArrayList<>();
        List<Long> handoff = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = PREFIX + i;
            double sent = sentMicros[i];
            Double relay = micros(stages.relayNanos.get(id), 1e-3);
            Double listener = micros(stages.listenerNanos.get(id), 1e-3);
            Double event = micros(stages.eventNanos.get(id), 1e-3);
            Double ws = micros(page.get("ws").get(id), 1e3);
            Double dom = micros(page.get("dom").get(id), 1e3);
            Double frame = micros(page.get("frame").get(id), 1e3);
            if (dom != null) {
                total.add(Math.round(dom - sent));
            }
            if (ws != null) {
                toWs.add(Math.round(ws - sent));
            }
            if (relay != null && listener != null) {
                handoff.add(Math.round(listener - relay));
            }
            Double[] points = {sent, relay, event, ws, dom, frame};
            for (int s = 0; s < STAGES.size(); s++) {
                if (points[s] != null && points[s + 1] != null) {
                    perStage.get(STAGES.get(s)).add(Math.round(points[s + 1] - points[s]));
                }
            }
        }
        long[] sorted = total.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50 ms", LatencyProbe.quantile(sorted, 0.50) / 1e3);
        m.put("p90 ms", LatencyProbe.quantile(sorted, 0.90) / 1e3);
        m.put("p99 ms", LatencyProbe.quantile(sorted, 0.99) / 1e3);
        m.put("max ms", sorted.length == 0 ? -1 : sorted[sorted.length - 1] / 1e3);
        m.put("seen", (double) sorted.length);
        m.put("missed", (double) (n - sorted.length));
        m.put("write→WS p50 ms", median(toWs) / 1e3);
        for (Map.Entry<String, List<Long>> e : perStage.entrySet()) {
            m.put(e.getKey() + " p50 ms", median(e.getValue()) / 1e3);
        }
        m.put(HANDOFF + " p50 ms", median(handoff) / 1e3);
        return m;
    }

    private static Double micros(Number value, double toMicros) {
        return value == null ? null : value.doubleValue() * toMicros;
    }

    private static double median(List<Long> values) {
        long[] s = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return LatencyProbe.quantile(s, 0.5);
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public ComparisonReport report(Results r) {
        boolean quick = Boolean.getBoolean("bench.quick");
        String s = scenario(quick);
        List<String> headers = new ArrayList<>(List.of("contender", "p50 ms", "p90 ms", "p99 ms", "max ms", "seen",
                "missed", "write→WS p50 ms"));
        STAGES.forEach(st -> headers.add(st + " p50 ms"));
        headers.add(HANDOFF + " p50 ms");
        headers.add("rounds");
        Table t = new Table(headers);
        for (String c : r.contenders(NAME)) {
            List<String> row = new ArrayList<>(List.of(c));
            for (String h : headers.subList(1, headers.size() - 1)) {
                row.add(cell(r.median(NAME, s, c, h)));
            }
            row.add(String.valueOf(r.rounds(NAME, s, c)));
            t.row(row);
        }
        List<TargetCheck> targets = new ArrayList<>();
        String target = "wire-to-browser latency measured by a benchmark (issue 4)";
        OptionalDouble p50 = r.median(NAME, s, CONTENDER, "p50 ms");
        OptionalDouble missed = r.median(NAME, s, CONTENDER, "missed");
        if (p50.isPresent()) {
            targets.add(TargetCheck.of(target, "p50 " + Table.num(p50.getAsDouble()) + " ms, p99 "
                    + cell(r.median(NAME, s, CONTENDER, "p99 ms")) + " ms, missed " + cell(missed),
                    missed.orElse(1) == 0 && p50.getAsDouble() > 0)); // ≤ 0 would mean clocks or ids are off
        } else {
            targets.add(TargetCheck.notMeasured(target, "not measured"));
        }
        return new ComparisonReport(NAME, title(), t, targets, """
                The pipeline exactly as `xmppscope proxy` wires it, in the runner's JVM: CaptureStore (H2 file) → \
                Recorder → ProxyServer (one plaintext route to the bench sink), the live analysis in its worker \
                JVM (at idle priority) fed by the recorder, WebServer with the UI. Headless Chromium (Debian's, via Selenium) opens `/`, \
                switches the timeline to the List view (which shows stanza ids) and follows live. A raw client \
                stream sends 5 warm-up messages, then %d `<message type='chat' id='wtb-N'>` at %d/s. \
                Latency = from just before the client's socket write (JVM `Instant.now()`) to the moment a \
                MutationObserver in the page sees a list row with that id appended (`performance.timeOrigin + \
                performance.now()`), both epoch ms on one machine. Stages (medians of per-message \
                differences, so they need not add up to the total's median): write→relay = the chunk's capture \
                timestamp; relay→event = the recorder commits the batch (at most every 100 ms), hands it to the \
                listener thread that feeds the worker, the worker's analyzer publishes the StanzaAdded event \
                and the proxy reads it from the worker's socket; event→WS = the page's WebSocket receives the live `stanza` message; WS→DOM = the timeline waits \
                120 ms to coalesce, asks `/api/stanzas` for the tail and re-renders; DOM→frame = the next \
                animation frame. relay→listener = when a second recorder listener beside the analysis feed (the bench's \
                timer, on its own thread) got the committed chunk: the commit-and-handoff share of relay→event. \
                "missed" = messages with no row 5 s after the last send. \
                Median over rounds of each figure."""
                .formatted(messages(quick), rate(quick)));
    }

    private static String cell(OptionalDouble v) {
        return v.isPresent() ? Table.num(v.getAsDouble()) : "n/a";
    }

    /** Where each measured id passed the JVM-side stages, in epoch nanoseconds. */
    private static final class StageClock implements CaptureSink {
        final Map<String, Long> relayNanos = new ConcurrentHashMap<>();
        final Map<String, Long> listenerNanos = new ConcurrentHashMap<>();
        final Map<String, Long> eventNanos = new ConcurrentHashMap<>();

        @Override
        public void chunk(Chunk chunk) {
            long now = epochMicros() * 1000;
            Matcher m = ID.matcher(new String(chunk.bytes(), StandardCharsets.UTF_8));
            while (m.find()) {
                relayNanos.putIfAbsent(m.group(1), chunk.atNanos());
                listenerNanos.putIfAbsent(m.group(1), now);
            }
        }

        void event(ModelEvent e) {
            if (e instanceof ModelEvent.StanzaAdded added && added.stanza().id() != null
                    && added.stanza().id().startsWith(PREFIX)) {
                eventNanos.putIfAbsent(added.stanza().id(), epochMicros() * 1000);
            }
        }

        @Override
        public void opened(ConnectionOpened connection) {
            // only stanza chunks are timed
        }

        @Override
        public void event(ConnectionEvent event) {
            // only stanza chunks are timed
        }

        @Override
        public void closed(ConnectionClosed connection) {
            // only stanza chunks are timed
        }
    }

    /** One raw c2s stream: header, then whole messages written in one call each; replies drained. */
    private static final class RawClient implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private volatile String readError;

        RawClient(InetSocketAddress proxy) throws Exception {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(proxy, 5000);
            out = socket.getOutputStream();
            out.write(StanzaCorpus.clientHeader("b.example"));
            out.flush();
            InputStream in = socket.getInputStream();
            Thread drain = new Thread(() -> {
                byte[] buf = new byte[8192];
                try {
                    while (in.read(buf) >= 0) {
                        // the sink's header; nothing to check
                    }
                } catch (java.io.IOException e) {
                    readError = e.getMessage(); // expected once the round closes the socket
                }
            }, "wtb-client-drain");
            drain.setDaemon(true);
            drain.start();
        }

        void send(String id) throws java.io.IOException {
            out.write(("<message to='bob@b.example' type='chat' id='" + id + "'><body>wire to browser " + id
                    + "</body></message>").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() throws Exception {
            out.write(StanzaCorpus.streamClose());
            socket.close();
        }
    }
}
