package dev.xmppscope.web.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.index.StanzaIndex;
import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.SearchSupersededException;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.AnalysisFile;
import dev.xmppscope.capture.ByteSearch;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureStoreException;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.StoredPayloads;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.proxy.Recorder;
import dev.xmppscope.replay.BundledSample;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live analysis in its worker JVM (a real second process, a real H2 file) answers exactly as
 * the analyzer does in-process, streams its events, keeps its index after it stops, and when it
 * dies, recording is unaffected and the web API gets a clear reason.
 */
class WorkerProcessTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void theWorkerAnswersEveryQueryAsTheAnalyzerInThisJvmDoes() throws Exception {
        try (CaptureStore local = CaptureStore.open(tmp.resolve("local")); Analyzer expected = Analyzer.open(local);
             CaptureStore store = CaptureStore.open(tmp.resolve("remote")); LiveAnalysis worker = LiveAnalysis.inWorker(store)) {
            AtomicInteger stanzaEvents = new AtomicInteger();
            AutoCloseable subscription = worker.model().subscribe(e -> {
                if (e instanceof ModelEvent.StanzaAdded) {
                    stanzaEvents.incrementAndGet();
                }
            });
            BundledSample.open("federation").reader().replay(expected);
            expected.flushed();
            BundledSample.open("federation").reader().replay(worker.feed());
            worker.feed().flushed();

            CaptureModel remote = worker.model();
            StanzaPage all = expected.stanzas(StanzaQuery.all(1000));
            assertTrue(all.items().size() > 100, "the sample has stanzas: " + all.items().size());
            awaitEqual(() -> remote.stanzas(StanzaQuery.all(1000)), all);
            assertEquals(expected.connections(), remote.connections());
            assertEquals(expected.graph(), remote.graph());
            for (long id = 1; id <= expected.connections().size(); id++) {
                assertEquals(expected.negotiation(id), remote.negotiation(id), "negotiation of connection " + id);
                assertEquals(expected.connection(id), remote.connection(id));
            }
            for (StanzaSummary s : all.items()) {
                assertEquals(expected.stanza(s.ref()), remote.stanza(s.ref()), s.ref());
                assertEquals(expected.route(s.ref()), remote.route(s.ref()), s.ref());
            }
            StanzaQuery chats = new StanzaQuery(null, "alice@a.example", "message", "chat", null, null, null, null, null, null, 5);
            assertEquals(expected.stanzas(chats), remote.stanzas(chats));
            assertTrue(remote.connection(999).isEmpty());
            assertTrue(remote.stanza("999-s-1").isEmpty());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> remote.stanzas(new StanzaQuery(null, null, null, null, null, null, null, null, null, "zzz", 10)));
            assertTrue(bad.getMessage().contains("cursor"), bad.getMessage());
            remote.stanzas(searchOf(chats, 2));
            SearchSupersededException replaced = assertThrows(SearchSupersededException.class,
                    () -> remote.stanzas(searchOf(chats, 1)), "a search a newer one replaced stops in the worker too");
            assertEquals("search tab:1 was replaced by search tab:2 before it finished", replaced.getMessage());
            awaitEqual(stanzaEvents::get, all.items().size());
            subscription.close();
        }
    }

    @Test
    void eventsFlowToWhoeverFollowsAndStopWithTheLastOne() throws Exception {
        try (CaptureStore local = CaptureStore.open(tmp.resolve("local")); Analyzer expected = Analyzer.open(local);
             CaptureStore store = CaptureStore.open(tmp.resolve("capture")); LiveAnalysis worker = LiveAnalysis.inWorker(store)) {
            BundledSample.open("negotiation").reader().replay(expected);
            expected.flushed();
            int stanzas = expected.stanzas(StanzaQuery.all(1000)).items().size();
            RemoteModel remote = (RemoteModel) worker.model();
            assertFalse(remote.followingEvents(), "no subscriber, no events connection");
            AtomicInteger first = new AtomicInteger();
            remote.subscribe(e -> first.incrementAndGet()).close();
            assertFalse(remote.followingEvents(), "the events connection closes with the last subscriber");
            AtomicInteger second = new AtomicInteger();
            AutoCloseable following = remote.subscribe(e -> {
                if (e instanceof ModelEvent.StanzaAdded) {
                    second.incrementAndGet();
                }
            });
            assertTrue(remote.followingEvents());
            BundledSample.open("negotiation").reader().replay(worker.feed());
            worker.feed().flushed();
            awaitEqual(second::get, stanzas);
            following.close();
            assertFalse(remote.followingEvents());
            assertEquals(0, first.get(), "a closed subscription gets nothing, not even from the reopened connection");
        }
    }

    @Test
    void whatTheWorkerIndexedIsInTheAnalysisFileWhenItHasStopped() {
        Path capture = tmp.resolve("capture");
        List<StanzaSummary> served;
        String captureId;
        try (CaptureStore store = CaptureStore.open(capture); LiveAnalysis worker = LiveAnalysis.inWorker(store)) {
            captureId = store.id();
            BundledSample.open("negotiation").reader().replay(worker.feed());
            worker.feed().flushed();
            served = await(() -> worker.model().stanzas(StanzaQuery.all(1000)).items(), items -> items.size() > 10,
                    "more than 10 stanzas");
        }
        // reopening the capture then skips every element already indexed instead of writing it again
        try (AnalysisFile file = AnalysisFile.open(CaptureStore.analysisFile(CaptureStore.dataFile(capture)), captureId)) {
            StanzaIndex index = new StanzaIndex(file.store(), file.file(), true, null);
            for (StanzaSummary s : served) {
                long key = StanzaIndex.rowKey(s.ref());
                assertTrue(index.alreadyIndexed(key >>> 33, (int) ((key >>> 32) & 1), (int) key), s.ref());
            }
            index.close();
        }
    }

    /**
     * Either way the live analysis runs (in its worker, or in the proxy's JVM), what the recorder
     * commits is indexed by its place in the capture's payload file, not copied: a byte changed
     * there afterwards shows in the stanza's XML. (A listener that dropped the place would index a
     * copy, and the analysis file, uncompressed, would grow by the whole capture.)
     */
    @Test
    void theLiveAnalysisPointsIntoThePayloadFileEitherWay() throws Exception {
        for (String mode : List.of("worker", "in-process")) {
            Path capture = tmp.resolve("capture-" + mode);
            try (CaptureStore store = CaptureStore.open(capture);
                 LiveAnalysis live = mode.equals("worker") ? LiveAnalysis.inWorker(store) : LiveAnalysis.inProcess(store)) {
                String message = "<message to='bob@b.example' id='m1' type='chat'><body>pointed at</body></message>";
                try (Recorder recorder = Recorder.start(store, false)) {
                    recorder.addListener(live.feed());
                    long id = recorder.nextConnectionId();
                    recorder.opened(new ConnectionOpened(id, "l=u", "l", "c", "u", TlsMode.PASSTHROUGH, 1));
                    byte[] bytes = (CLIENT_HEADER + message).getBytes(StandardCharsets.UTF_8);
                    recorder.chunk(Chunk.of(id, 1, Direction.TO_SERVER, 2, TlsLayer.PLAIN, 0, bytes));
                }
                StanzaSummary m1 = await(() -> live.model().stanzas(StanzaQuery.all(10)).items().stream()
                        .filter(s -> "m1".equals(s.id())).findFirst(), Optional::isPresent, mode + ": the message").orElseThrow();
                assertEquals(message, live.model().stanza(m1.ref()).orElseThrow().xml(), mode);
                Path payloads = CaptureStore.payloadFile(store.file());
                byte[] stored = Files.readAllBytes(payloads);
                int at = ByteSearch.indexOf(stored, "pointed".getBytes(StandardCharsets.US_ASCII));
                try (FileChannel ch = FileChannel.open(payloads, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(new byte[] {'P'}), at);
                }
                assertEquals(message.replace("pointed", "Pointed"), live.model().stanza(m1.ref()).orElseThrow().xml(), mode);
            }
        }
    }

    private static final String CLIENT_HEADER = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
            + " to='a.example' version='1.0'>";

    @Test
    void aWorkerThatCannotStartIsAClearErrorThatOffersTheAlternative() {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            store.analysisStore(); // this JVM holds the analysis file now, as another xmppscope on the capture would
            CaptureStoreException e = assertThrows(CaptureStoreException.class, () -> LiveAnalysis.inWorker(store));
            assertTrue(e.getMessage().startsWith("the live analysis could not start: its worker process exited with 1")
                    && e.getMessage().contains("--analysis in-process"), e.getMessage());
        }
    }

    @Test
    void whenTheWorkerDiesTheFeedGoesOnAndQueriesSayWhy() throws Exception {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture")); LiveAnalysis worker = LiveAnalysis.inWorker(store)) {
            ProcessHandle process = ProcessHandle.of(((WorkerProcess) worker).pid()).orElseThrow();
            process.destroyForcibly();
            process.onExit().get();
            BundledSample.open("failures").reader().replay(worker.feed()); // nothing to deliver to: no exception
            worker.feed().flushed();
            AnalysisUnavailableException e = assertThrows(AnalysisUnavailableException.class, () -> worker.model().connections());
            assertTrue(e.getMessage().contains("the live analysis stopped") && e.getMessage().contains("recording goes on"),
                    e.getMessage());
        }
    }

    /**
     * A proxy killed in the middle of a write leaves its worker a record cut short. The worker
     * says so in one line (it would otherwise print a stack trace on the terminal the proxy left),
     * exits 1, and what it analysed before the cut is in the analysis file.
     */
    @Test
    void aFeedCutShortByAKilledProxyEndsTheWorkerInOneLineKeepingWhatCameBefore() throws Exception {
        String captureId;
        Path analysisFile;
        Path dataFile;
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            captureId = store.id();
            analysisFile = store.analysisFile().toAbsolutePath();
            dataFile = store.file().toAbsolutePath();
        }
        ByteArrayOutputStream feed = new ByteArrayOutputStream();
        CaptureSink encoder = FeedCodec.encoder(new DataOutputStream(feed), StoredPayloads.openReadOnly(dataFile),
                e -> { throw new AssertionError(e); });
        BundledSample.open("negotiation").reader().replay(encoder);
        byte[] last = "<presence/>".getBytes(StandardCharsets.UTF_8);
        encoder.chunk(Chunk.of(999, 1, Direction.TO_SERVER, 2, TlsLayer.PLAIN, 0, last));
        encoder.flushed();
        byte[] cut = Arrays.copyOf(feed.toByteArray(), feed.size() - 4); // inside the last chunk's bytes

        // in a private directory, as the proxy makes one (WorkerProcess)
        Path socket = Files.createDirectory(tmp.resolve(WorkerProcess.SOCKET_DIR_PREFIX + "cut")).resolve("w.sock");
        Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AnalysisWorker.class.getName(),
                analysisFile.toString(), captureId, socket.toString(), dataFile.toString())
                .redirectError(tmp.resolve("stderr").toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = worker.getOutputStream()) {
            assertEquals(AnalysisWorker.READY, out.readLine());
            in.write(cut);
        }
        assertTrue(worker.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the worker ends with its feed");
        String stderr = Files.readString(tmp.resolve("stderr"));
        assertEquals(1, worker.exitValue(), stderr);
        assertFalse(Files.exists(socket.getParent()), "the worker removed its socket and the socket's directory: nothing"
                + " is left in the temporary directory by a proxy that was killed");
        assertTrue(stderr.contains("the proxy's feed broke off inside a chunk (the proxy was stopped abruptly); the analysis"
                + " keeps what came before it, and 'xmppscope open' on the capture analyses the rest"), stderr);
        assertFalse(stderr.contains("Exception") || stderr.contains("\tat "), stderr);

        List<StanzaSummary> before;
        try (CaptureStore local = CaptureStore.open(tmp.resolve("local")); Analyzer expected = Analyzer.open(local)) {
            BundledSample.open("negotiation").reader().replay(expected);
            expected.flushed();
            before = expected.stanzas(StanzaQuery.all(1000)).items();
        }
        assertTrue(before.size() > 10, "the sample has stanzas: " + before.size());
        try (AnalysisFile file = AnalysisFile.open(analysisFile, captureId)) {
            StanzaIndex index = new StanzaIndex(file.store(), file.file(), true, null);
            for (StanzaSummary s : before) {
                long key = StanzaIndex.rowKey(s.ref());
                assertTrue(index.alreadyIndexed(key >>> 33, (int) ((key >>> 32) & 1), (int) key), s.ref());
            }
            index.close();
        }
    }

    /** The worker analyses asynchronously, as in service: ask until the answer is {@code expected}. */
    private static StanzaQuery searchOf(StanzaQuery q, long number) {
        return new StanzaQuery(q.text(), q.jid(), q.kind(), q.type(), q.namespace(), q.id(), q.connection(), q.fromNanos(),
                q.untilNanos(), q.cursor(), q.limit(), new StanzaQuery.Search("tab", number));
    }

    private static <T> void awaitEqual(Supplier<T> actual, T expected) {
        await(actual, expected::equals, expected);
    }

    private static <T> T await(Supplier<T> actual, Predicate<T> done, Object expected) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        T last = actual.get();
        while (!done.test(last)) {
            assertFalse(System.nanoTime() > deadline, "after " + PATIENCE + ": expected " + expected + ", last " + last);
            sleep();
            last = actual.get();
        }
        return last;
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
