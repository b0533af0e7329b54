package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.graph.EntityGraph;
import dev.xmppscope.analyzer.index.CaptureFingerprint;
import dev.xmppscope.analyzer.index.IndexedStanza;
import dev.xmppscope.analyzer.index.KeptAnalysis;
import dev.xmppscope.analyzer.index.StanzaIndex;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.negotiation.DialbackStreams;
import dev.xmppscope.analyzer.negotiation.ResumableSession;
import dev.xmppscope.analyzer.route.IqPairing;
import dev.xmppscope.analyzer.route.RouteCorrelator;
import dev.xmppscope.capture.AnalysisFile;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureRecord;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureStoreException;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ClientHello;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.ReadAhead;
import dev.xmppscope.capture.StoredPayloads;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analyzer of one capture: fed chunks and events (live from the recorder, or replayed from
 * the store with {@code store.newReader().replay(analyzer)}), it parses every stream, follows
 * each negotiation, builds the entity graph, links stanza routes, pairs IQs and indexes every
 * element in the capture's H2 database; as a {@link CaptureModel} it answers queries from any
 * thread and pushes {@link ModelEvent}s to subscribers.
 *
 * <p>Ingest ({@link CaptureSink} methods) must come from one thread at a time, in capture order.
 */
public final class Analyzer implements CaptureSink, CaptureModel, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Analyzer.class);
    private static final long FLUSH_EVERY_NANOS = 200_000_000L;

    private final Object lock = new Object();
    private final Map<Long, ConnectionAnalysis> connections = new TreeMap<>();
    private final AddressNaming addressNaming = new AddressNaming();
    private final EntityGraph graph = new EntityGraph();
    /** Resumable stream-management sessions, for streams that resume one (see Negotiation); the latest 10,000. */
    private final Map<String, ResumableSession> resumableSessions = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ResumableSession> eldest) {
            return size() > 10_000;
        }
    };
    /** The capture's s2s streams by the id their receiving server gave them, for dialback checks (see Negotiation). */
    private final DialbackStreams dialbackStreams = new DialbackStreams();
    private final StreamParsers parsers = new StreamParsers();
    /** While {@link #analyze} runs: the parsers are then the reading threads', which parse ahead of the model. */
    private boolean parsingAhead;
    private final RouteCorrelator routes;
    private final IqPairing iqs;
    private final StanzaIndex index;
    private final MVStore analysisStore;
    private final Path analysisFile;
    private final StoredPayloads payloads;
    private final ElementIngest ingest;
    private final List<Consumer<ModelEvent>> listeners = new CopyOnWriteArrayList<>();
    private volatile long visibleUntil = Long.MIN_VALUE;
    /**
     * Set when a record came before the latest one in capture time: fed live, in the order the
     * proxy's threads handed records over (or caught up from the store after others), not in the
     * order a fresh analysis reads the store; what it shows may then differ (the graph's order).
     */
    private boolean outOfCaptureOrder;
    private volatile boolean closed;
    private long lastFlushAt = Long.MIN_VALUE;
    /** Records whose analysis broke on a bug (see {@link #failed}); tests of odd input check there were none. */
    private int failures;
    /** Runs before each record is analysed; tests make it fail there, as a bug would. */
    volatile Consumer<CaptureRecord> beforeRecord = r -> { };

    /**
     * @param payloads the payload file of the capture this analysis belongs to: a stanza fed from
     *                 it ({@link #storedChunk}) is indexed by where its bytes are there, not by a copy
     */
    private Analyzer(MVStore analysisStore, Path analysisFile, boolean background, long routeWindowNanos,
                     StoredPayloads payloads) {
        this.analysisStore = analysisStore;
        this.analysisFile = analysisFile;
        this.payloads = payloads;
        this.index = new StanzaIndex(analysisStore, analysisFile, background, payloads);
        // finished routes and IQ pairs live in the analysis file: memory stays bounded on long captures
        this.routes = new RouteCorrelator(routeWindowNanos, index.routeArchive(), graph::host);
        this.iqs = new IqPairing(index.iqLedger());
        this.ingest = new ElementIngest(index, routes, iqs, graph::roomService, graph::componentServer);
    }

    /** An analyzer writing its index into {@code store}'s database; feed it chunks next. */
    public static Analyzer open(CaptureStore store) {
        return open(store, RouteCorrelator.DEFAULT_WINDOW_NANOS);
    }

    /** As above, with hops matched within {@code routeWindowNanos}: tests see what lies past the window without waiting 30 s. */
    static Analyzer open(CaptureStore store, long routeWindowNanos) {
        return new Analyzer(store.analysisStore(), store.analysisFile(), store.analysisInBackground(), routeWindowNanos,
                store.payloads());
    }

    /**
     * An analyzer writing its index into an analysis file opened on its own: in a worker process
     * while the recording process holds the capture database. {@code payloads} are the capture's
     * (an earlier {@code open} may have indexed stanzas by where they are there).
     */
    public static Analyzer open(AnalysisFile file, StoredPayloads payloads) {
        return new Analyzer(file.store(), file.file(), true, RouteCorrelator.DEFAULT_WINDOW_NANOS, payloads);
    }

    // ---- a whole stored capture ----

    /** Stands for a {@link #flushed()} among what {@link #analyze} reads ahead. */
    private static final Object FLUSHED = new Object();
    private static final int PROGRESS_EVERY = 500;

    /**
     * Analyzes everything {@code reader} holds, as {@link CaptureReader#replay} would feed it, with
     * the reading and the parse of every stream on threads of their own ahead of the model, which
     * runs on this thread: the parse was half of what an analysis thread did, and a bulk analysis
     * ({@code open}) waits on that thread. The reading thread parses one lane of streams, a second
     * thread the other ({@link StreamParsers#lane}). {@code progress} is told how many records are
     * done, every {@value #PROGRESS_EVERY}.
     */
    public void analyze(CaptureReader reader, LongConsumer progress) {
        long[] done = {0};
        String what = "of " + analysisFile.getFileName();
        parsingAhead = true;
        try (SecondLane secondLane = new SecondLane(what)) {
            ReadAhead.run(what, items -> reader.replay(new ParsingAhead(items, secondLane)), item -> {
                if (item instanceof StreamsEnd end) {
                    StreamParsers.Parsed p = SecondLane.await(end.parsed());
                    if (p != null) {
                        parsedChunk(p); // no record of the capture's: not counted
                    }
                    return;
                }
                if (item instanceof StreamParsers.Parsed p) {
                    parsedChunk(p);
                } else if (item instanceof Future<?> f) {
                    parsedChunk(SecondLane.await(f));
                } else if (item == FLUSHED) {
                    flushed();
                } else {
                    ((CaptureRecord) item).deliverTo(this);
                }
                if (++done[0] % PROGRESS_EVERY == 0) {
                    progress.accept(done[0]);
                }
            });
        } finally {
            parsingAhead = false;
        }
    }

    /** What the end of a connection's streams in one lane found left incomplete (null: nothing), in {@link #analyze}. */
    private record StreamsEnd(Future<StreamParsers.Parsed> parsed) {
    }

    /**
     * The reading side of {@link #analyze}: parses each chunk of the first lane as it is read,
     * gives each of the second to the second lane's thread, and passes everything on in order.
     */
    private final class ParsingAhead implements CaptureSink {
        private final ReadAhead.Items items;
        private final SecondLane secondLane;
        /**
         * The connections' server addresses: what a stream missing its header is read as ({@link StreamParsers#gap}).
         * Kept after a close, as the model keeps its connections: a damaged capture may hold records after one.
         */
        private final Map<Long, String> servers = new HashMap<>();

        ParsingAhead(ReadAhead.Items items, SecondLane secondLane) {
            this.items = items;
            this.secondLane = secondLane;
        }

        @Override
        public void opened(ConnectionOpened c) {
            servers.put(c.id(), c.server());
            items.add(c, 0);
        }

        @Override
        public void chunk(Chunk c) {
            storedChunk(c, null, -1);
        }

        @Override
        public void storedChunk(Chunk c, StoredPayloads from, long position) {
            long own = ownPosition(from, position);
            Object item;
            if (c.layer() == TlsLayer.ENCRYPTED) {
                item = c; // encrypted bytes are only counted: the chunk goes as it is
            } else if (StreamParsers.lane(c) == 0) {
                item = parsers.parse(c, own);
            } else {
                item = secondLane.parse(() -> parsers.parse(c, own));
            }
            items.add(item, c.bytes().length);
        }

        @Override
        public void event(ConnectionEvent e) {
            if (e.kind() == EventKind.RECORDING_GAP) {
                String ns = StreamParsers.assumedNamespace(servers.get(e.connectionId()));
                for (Direction d : gapDirections(e)) {
                    if (StreamParsers.lane(e.connectionId(), d) == 0) {
                        parsers.gap(e.connectionId(), d, ns);
                    } else {
                        secondLane.parse(() -> {
                            parsers.gap(e.connectionId(), d, ns);
                            return null; // in turn with the lane's chunks; nothing to wait for
                        });
                    }
                }
            }
            items.add(e, 0);
        }

        @Override
        public void closed(ConnectionClosed c) {
            items.add(new StreamsEnd(CompletableFuture.completedFuture(parsers.end(c, 0))), 0);
            items.add(new StreamsEnd(secondLane.parse(() -> parsers.end(c, 1))), 0);
            items.add(c, 0);
        }

        @Override
        public void flushed() {
            items.add(FLUSHED, 0);
        }
    }

    // ---- CaptureSink: ingest, one thread ----

    @Override
    public void opened(ConnectionOpened c) {
        ingestStep(events -> {
            beforeRecord.accept(c);
            advance(c.atNanos());
            ConnectionAnalysis conn = new ConnectionAnalysis(c, resumableSessions, dialbackStreams);
            connections.put(c.id(), conn);
            connectionChanged(conn, events);
        });
    }

    @Override
    public void chunk(Chunk c) {
        chunk(c, -1);
    }

    /** A chunk of this analysis's own capture: its stanzas are indexed by where they are in its payload file. */
    @Override
    public void storedChunk(Chunk c, StoredPayloads from, long position) {
        chunk(c, ownPosition(from, position));
    }

    /** A chunk's place in the payload file if it is this analysis's own capture's, else -1: another's means nothing here. */
    private long ownPosition(StoredPayloads from, long position) {
        return from == payloads ? position : -1;
    }

    /** @param position where the chunk's bytes are in the capture's payload file, or -1 (not known, or another capture's) */
    private void chunk(Chunk c, long position) {
        chunk(c, () -> parsers.parse(c, position));
    }

    /** A chunk that the reading thread of {@link #analyze} parsed. */
    private void parsedChunk(StreamParsers.Parsed p) {
        chunk(p.chunk(), () -> p);
    }

    /** Ingests a chunk, parsed by {@code parse} if it holds XML (encrypted bytes are only counted). */
    private void chunk(Chunk c, Supplier<StreamParsers.Parsed> parse) {
        ingestStep(events -> {
            advance(c.atNanos());
            ConnectionAnalysis conn = connection(c.connectionId(), c.atNanos());
            conn.countBytes(c.direction(), c.length(), c.atNanos());
            try {
                beforeRecord.accept(c);
                StreamParsers.Parsed p = null;
                if (c.layer() == TlsLayer.ENCRYPTED) {
                    conn.encrypted = true;
                    addSteps(conn.negotiation.encrypted(c.direction(), c.atNanos()), events);
                } else {
                    conn.decrypted |= c.layer() == TlsLayer.DECRYPTED;
                    p = parse.get();
                    if (p.failure() == null) {
                        ingest.setWantEvents(!listeners.isEmpty());
                        StreamParsers.Parsed in = conn.givenUp(c) ? StreamParsers.unparsed(p) : p;
                        ingest.chunk(conn, c, in.position(), in.events(), in.facts(), events);
                    }
                }
                if (p != null && p.failure() != null) {
                    failed(conn, c, p.failure(), events); // a bug in the parse
                } else {
                    connectionChanged(conn, events);
                }
            } catch (RuntimeException | StackOverflowError e) {
                rethrowIfStorage(e);
                failed(conn, c, e, events);
            }
            maybeFlush(c.atNanos());
        });
    }

    /**
     * A bug met in one stream's bytes ends the analysis of that stream, not of the capture: the
     * rest of it is shown unparsed and its negotiation says why. Uncaught, it stopped a proxy's
     * live analysis for every stream, and made the capture fail to open.
     */
    private void failed(ConnectionAnalysis conn, Chunk c, Throwable e, List<ModelEvent> events) {
        reportBug("the analysis of connection " + c.connectionId() + " (" + c.direction() + ") failed at offset "
                + c.offset(), "the rest of that stream is shown unparsed, the other streams go on", e);
        conn.giveUp(c); // whatever the parser makes of the rest: it may be a chunk ahead (see analyze)
        if (!parsingAhead) {
            parsers.abandon(c);
        }
        addSteps(conn.negotiation.parseFailed(c.direction(), "not analysed from offset " + c.offset() + " on: the analyzer"
                + " failed there (" + e + "), a bug; see the log", c.atNanos()), events);
        try {
            connectionChanged(conn, events);
        } catch (RuntimeException again) {
            LOG.warn("connection {} could not be updated after its analysis failed: {}", c.connectionId(), again.toString());
        }
    }

    @Override
    public void event(ConnectionEvent e) {
        ingestStep(events -> {
            beforeRecord.accept(e);
            advance(e.atNanos());
            ConnectionAnalysis conn = connection(e.connectionId(), e.atNanos());
            if (e.kind() == EventKind.DIRECT_TLS_DETECTED) {
                conn.directTls = true;
            } else if (e.kind() == EventKind.STARTTLS_PROCEED) {
                conn.starttls = true;
            }
            String ns = e.kind() == EventKind.RECORDING_GAP ? StreamParsers.assumedNamespace(conn.opened.server()) : null;
            if (ns != null && !parsingAhead) { // else the reading thread told the parsers
                for (Direction d : gapDirections(e)) {
                    parsers.gap(e.connectionId(), d, ns);
                }
            }
            if (ns != null && e.direction() == null && "unknown".equals(conn.kind())) {
                addSteps(conn.negotiation.joinedMidStream(ns, e.atNanos(), e.detail()), events); // the capture began mid-stream
            } else {
                addSteps(conn.negotiation.event(e), events);
            }
            if (e.kind() == EventKind.DIRECT_TLS_DETECTED || e.kind() == EventKind.TLS_CLIENT_HELLO) {
                ClientHello hello = e.kind() == EventKind.TLS_CLIENT_HELLO ? ClientHello.ofDetail(e.detail()).orElse(null) : null;
                addSteps(conn.negotiation.inferFromTls(hello, conn.serverPort(), e.atNanos()), events);
            }
            connectionChanged(conn, events);
        });
    }

    /** The directions a gap is in: a capture that began after its connection opened lacks the start of both. */
    private static List<Direction> gapDirections(ConnectionEvent e) {
        return e.direction() == null ? List.of(Direction.TO_SERVER, Direction.TO_CLIENT) : List.of(e.direction());
    }

    @Override
    public void closed(ConnectionClosed c) {
        if (!parsingAhead) { // else the reading thread ended the parse, in its turn
            for (int lane = 0; lane < StreamParsers.LANES; lane++) {
                StreamParsers.Parsed left = parsers.end(c, lane);
                if (left != null) {
                    parsedChunk(left); // an element left incomplete, before the close
                }
            }
        }
        ingestStep(events -> {
            beforeRecord.accept(c);
            advance(c.atNanos());
            ConnectionAnalysis conn = connection(c.id(), c.atNanos());
            conn.closed = c;
            addSteps(conn.negotiation.unansweredIqs(iqs.unansweredOn(c.id()), c.atNanos()), events);
            addSteps(conn.negotiation.connectionClosed(c, conn.opened.atNanos(), conn.lastTrafficAt), events);
            connectionChanged(conn, events);
        });
    }

    /**
     * Runs one ingest step under the lock, unless the analyzer is closed (a source, such as a
     * recorder still running, may outlive it), then publishes the events the step produced.
     */
    private void ingestStep(java.util.function.Consumer<List<ModelEvent>> step) {
        if (closed) {
            return;
        }
        List<ModelEvent> events = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return; // closed while this call waited for the lock
            }
            try {
                step.accept(events);
            } catch (RuntimeException | StackOverflowError e) {
                rethrowIfStorage(e);
                // a chunk's failure is caught closer, where it can end its stream (see failed); this is
                // a connection's opening, event or close going wrong: the analysis goes on with what follows
                reportBug("the analysis failed on a capture record", "it goes on with the next", e);
            }
        }
        publish(events);
    }

    /** Counts a bug met in the analysis and logs it: the first with its stack trace, each later one in a line. */
    private void reportBug(String what, String consequence, Throwable e) {
        if (failures++ == 0) {
            LOG.error("{}: a bug; {}. Please report this with the stack trace.", what, consequence, e);
        } else {
            LOG.warn("{}: {}", what, e.toString());
        }
    }

    /**
     * A failure to store the analysis (a full disk) is not a bug in what is analysed: nothing more
     * can be stored, for any stream, so the analysis ends there, saying why.
     */
    private void rethrowIfStorage(Throwable e) {
        if (e instanceof CaptureStoreException s) {
            throw s;
        }
        if (e instanceof MVStoreException s) {
            throw CaptureStoreException.of("cannot write the analysis to " + analysisFile, s);
        }
    }

    /**
     * Why this analysis may not be kept ({@link #keep}): it took records out of the capture's time
     * order, so a fresh analysis of the capture may answer otherwise; empty if it may.
     */
    public Optional<String> whyNotKeepable() {
        synchronized (lock) {
            return outOfCaptureOrder ? Optional.of("it took records out of the capture's time order (as the proxy's threads"
                    + " handed them over), and a fresh analysis, which reads them in that order, may show them otherwise")
                    : Optional.empty();
        }
    }

    /**
     * Keeps what this analysis answers beside its index ({@link KeptAnalysis}), as made from the
     * capture that {@code fingerprint} describes, at {@code atMillis}: call once it has analysed all
     * of that capture, then commit the analysis file. The next open of the capture, unchanged,
     * answers from it ({@link KeptModel}) instead of analysing it again.
     */
    public void keep(CaptureFingerprint fingerprint, long atMillis) {
        synchronized (lock) {
            KeptAnalysis.in(analysisStore).keep(new KeptAnalysis.Made(fingerprint, atMillis),
                    new KeptAnalysis.Model(visibleUntil, connections(), graph.snapshot()),
                    id -> connections.get(id).negotiation.steps(), routes.inMemory());
        }
    }

    /** A batch from the source is complete: everything so far becomes visible to queries. */
    @Override
    public void flushed() {
        if (closed) {
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            index.sync();
        }
    }

    private ConnectionAnalysis connection(long id, long at) {
        ConnectionAnalysis conn = connections.get(id);
        if (conn == null) {
            // data for a connection whose opening was not seen (a capture that starts mid-way)
            LOG.debug("connection {} was not seen opening; analysing it from here", id);
            conn = new ConnectionAnalysis(new ConnectionOpened(id, "?", null, null, null, TlsMode.PASSTHROUGH, at),
                    resumableSessions, dialbackStreams);
            connections.put(id, conn);
        }
        return conn;
    }

    private void advance(long at) {
        if (at > visibleUntil) {
            visibleUntil = at;
        } else if (at < visibleUntil) {
            outOfCaptureOrder = true;
        }
    }

    private void maybeFlush(long at) {
        if (lastFlushAt == Long.MIN_VALUE) {
            lastFlushAt = at;
        } else if (at - lastFlushAt >= FLUSH_EVERY_NANOS) {
            index.flush();
            lastFlushAt = at;
        }
    }

    private void addSteps(List<NegotiationStep> steps, List<ModelEvent> events) {
        for (NegotiationStep s : steps) {
            events.add(new ModelEvent.StepAdded(s));
        }
    }

    private void connectionChanged(ConnectionAnalysis conn, List<ModelEvent> events) {
        addressNaming.changed(conn, (named, steps) -> {
            addSteps(steps, events);
            if (named != conn) {
                connectionChanged(named, events);
            }
        });
        graph.updateStream(conn.endpoints(), conn.negotiation.state(), conn.negotiation.error(), conn.negotiation.warning(),
                conn.stanzaCount(), conn.bytesBoth());
        if (listeners.isEmpty()) {
            graph.discardChanges();
            return;
        }
        events.addAll(graph.drainChanges());
        ConnectionView view = conn.view();
        if (!view.equals(conn.lastView)) {
            conn.lastView = view;
            events.add(new ModelEvent.ConnectionUpdated(view));
        }
    }

    private void publish(List<ModelEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        for (Consumer<ModelEvent> l : listeners) {
            for (ModelEvent e : events) {
                try {
                    l.accept(e);
                } catch (RuntimeException ex) {
                    LOG.warn("a model listener failed on {}: {}", e.getClass().getSimpleName(), ex.toString(), ex);
                }
            }
        }
    }

    /** How many records' analysis broke on a bug so far. */
    int failures() {
        synchronized (lock) {
            return failures;
        }
    }

    // ---- CaptureModel: queries, any thread ----

    @Override
    public List<ConnectionView> connections() {
        synchronized (lock) {
            List<ConnectionView> out = new ArrayList<>(connections.size());
            connections.values().forEach(c -> out.add(c.view()));
            return out;
        }
    }

    @Override
    public Optional<ConnectionView> connection(long id) {
        synchronized (lock) {
            ConnectionAnalysis c = connections.get(id);
            return c == null ? Optional.empty() : Optional.of(c.view());
        }
    }

    @Override
    public List<NegotiationStep> negotiation(long connectionId) {
        synchronized (lock) {
            ConnectionAnalysis c = connections.get(connectionId);
            return c == null ? List.of() : c.negotiation.steps();
        }
    }

    /**
     * Summarizes the index's blocks in the background, and each block the timeline completes after,
     * so that the first query for a rare term is quick too: for a capture that no longer grows,
     * once it is analyzed (see StanzaIndex).
     */
    public void summarizeInBackground() {
        index.summarizeInBackground();
    }

    /** Summarizes the index's blocks in the background from the first query that searches (a live capture, see StanzaIndex). */
    public void summarizeOnceSearched() {
        index.summarizeOnceSearched();
    }

    @Override
    public StanzaPage stanzas(StanzaQuery query) {
        return index.query(query, visibleUntil);
    }

    @Override
    public Optional<StanzaDetail> stanza(String ref) {
        Optional<IndexedStanza> s = index.get(ref, visibleUntil);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        IndexedStanza st = s.get();
        String carries = CarriedOriginals.find(st, this::stanzas);
        synchronized (lock) {
            StanzaRoute route = route(ref).orElse(null);
            return Optional.of(StanzaDetails.of(st, carries, route, iqs.info(st.summary()), visibleUntil, this::link));
        }
    }

    @Override
    public Optional<StanzaRoute> route(String ref) {
        synchronized (lock) {
            return routes.route(ref).map(r -> StanzaDetails.annotated(r, this::link));
        }
    }

    /** The life of connection {@code id} so far, or null if it was not seen; under the lock. */
    private StanzaDetails.Link link(long id) {
        ConnectionAnalysis c = connections.get(id);
        if (c == null) {
            return null;
        }
        return new StanzaDetails.Link(c.opened.atNanos(), c.closed == null ? null : c.closed.atNanos(),
                c.closed == null ? null : c.closed.reason());
    }

    @Override
    public GraphSnapshot graph() {
        synchronized (lock) {
            return graph.snapshot();
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<ModelEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** How a recorder names it when it falls behind as a listener ({@code --analysis in-process}). */
    @Override
    public String toString() {
        return "the live analysis";
    }

    /** Writes what is pending to the index and releases it; later input is ignored. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            index.close();
        }
    }
}
