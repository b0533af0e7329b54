package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.route.IqLedger;
import dev.xmppscope.analyzer.route.RouteArchive;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import dev.xmppscope.capture.BackgroundThreads;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.StoredPayloads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stanza index in the capture's analysis file ({@link CaptureStore#analysisStore()}): two
 * key-value maps, the timeline (sequence number in capture order → {@link StanzaRecord}) and the
 * positions (row key → sequence number, {@link StanzaPositions}) that find a stanza by its ref.
 * One appended map entry per stanza plus one position entry per stream and batch, where SQL rows
 * with secondary indexes cost sixteen B-tree inserts: the index used to be most of the analysis
 * time. Queries scan the timeline from their cursor, testing each stanza
 * ({@link StanzaFilter}), and stop at a full page.
 *
 * <p>Writes come from one thread (the analyzer's ingest) in batches; reads from any thread
 * (MVStore maps are safe to read while written). An element already indexed by an earlier run
 * over the same capture (same connection, direction and position) is not written again, so
 * re-opening a capture is cheap.
 */
public final class StanzaIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StanzaIndex.class);
    /**
     * Bumped with each change to the maps, the record layout or what a record says: the maps are
     * named by it. 6: a record names the first hop of its route, and a room's copies and carbons now
     * join the route of what they copy; an index of version 5 named no route for them. 7: a message
     * delivered out of offline storage joins its route however late, each hop of a route says what
     * made it (a room's copy, a carbon, ...), and a carbon, an archive result or a forward is
     * summarized by the message it carries; version 6 did none of that. Since 7 the routes and IQ
     * maps are named by the version too: until then they kept their own names across versions, so
     * routes of an older layout outlived a rebuild. 8: a record says where its XML is in the
     * capture's payload file instead of holding a copy, when it can. 9: a mediated invitation to a
     * chat room joins one route with the room's passing it on, and is summarized as an invitation.
     * 10: so does an invitee's decline of one, and an invitation (or decline) the room passed on to
     * someone offline is followed out of the storage of their server; a direct invitation (XEP-0249)
     * is summarized as one; a carbon the sender's server sends after the message was delivered joins
     * its route. 11: a route's hops are in tree order, a branch's hop says whom it is for, a presence
     * replayed out of its sender's server's cache is said to be so, and a message to its sender's own
     * JID is followed back to her.
     */
    static final int SCHEMA_VERSION = 11;
    static final String TIMELINE = "xs.stanzas.v" + SCHEMA_VERSION;
    private static final String POSITIONS = "xs.positions.v" + SCHEMA_VERSION;
    static final String NAMESPACE_IDS = "xs.namespaces.v" + SCHEMA_VERSION;
    private static final int BATCH = 2000;
    /** How often the background summarizer looks for blocks the timeline completed since (a live capture grows). */
    private static final long SUMMARIZER_POLL_MS = 2_000;
    /** Records a scan reads between asking whether its search was replaced (a power of two; under a millisecond). */
    private static final int CHECKPOINT_EVERY = 1024;
    /**
     * The most records one query reads before it answers with what it found ({@link StanzaPage#searchedTo}):
     * 0.5–2.5 s on two busy cores. A filter that matches nothing (short free text, a first search before
     * the blocks are summarized) read a capture of a million elements for 5 s, and ten times that on one
     * that ran for days, holding a query thread with no way to stop it but a newer search of the UI's.
     */
    static final int READS_PER_QUERY = 1 << 18;
    /**
     * How far out of time order the timeline may be. A replay from the store is in time order; a
     * live analysis indexes chunks as the recorder commits them (every 100 ms), which the relay's
     * threads hand it a little out of order. Scans by time start and stop this far beyond it.
     */
    static final long TIME_ORDER_SLACK_NANOS = 2_000_000_000L;
    /** The analysis maps are named "xs.WHAT.vN"; one of another version is dropped and rebuilt. */
    private static final Pattern VERSIONED_MAP = Pattern.compile("xs\\..+\\.v\\d+");

    private final MVMap<Long, byte[]> timeline;
    private final StanzaPositions positions;
    private final BlockSummaries summaries;
    private final NamespaceIds nsIds;
    private final StoredRoutes routes;
    private final StoredIqs iqs;
    private final IndexWriter writer;
    private List<IndexedStanza> batch = new ArrayList<>();
    /** Highest element index an earlier run stored, per stream: row key >>> 32 (connection, direction). */
    private final Map<Long, Integer> indexedUpTo = new HashMap<>();
    private final Map<String, IndexedStanza> unflushed = new ConcurrentHashMap<>();
    private final Namespaces namespaces = Namespaces.shipped();
    /** The capture's payload file, where records that do not hold their XML say it is; null when unknown. */
    private final StoredPayloads payloads;
    private volatile boolean reportedUnreadable;
    /** The analysis file, as errors name it. */
    private final String where;
    /** Summarizes every complete block in the background ({@link #summarizeInBackground}), or null. */
    private volatile Thread summarizer;
    /** Where the background summarizer's next pass starts: every block before has been passed. */
    private volatile long summarizedUpTo;
    /** {@link #summarizeOnceSearched}: a search starts the background summarizer. */
    private volatile boolean summarizeOnceSearched;
    private volatile boolean closing;
    private final Searches searches = new Searches();
    private final int readsPerQuery;

    /**
     * The index in {@code mv}, the store of the analysis file {@code file} (named in errors),
     * written from a thread at background priority if {@code background} ({@code BackgroundThreads}),
     * reading XML that is not copied into it from {@code payloads} (null: none can be read).
     */
    public StanzaIndex(MVStore mv, Path file, boolean background, StoredPayloads payloads) {
        this(mv, file, background, payloads, BlockSummaries.MAX_BYTES);
    }

    /** With block summaries ({@link BlockSummaries}) that take at most about {@code maxSummaryBytes}. */
    StanzaIndex(MVStore mv, Path file, boolean background, StoredPayloads payloads, long maxSummaryBytes) {
        this(mv, file, background, payloads, maxSummaryBytes, READS_PER_QUERY);
    }

    /** With queries that read at most {@code readsPerQuery} records each ({@link #READS_PER_QUERY}). */
    StanzaIndex(MVStore mv, Path file, boolean background, StoredPayloads payloads, long maxSummaryBytes, int readsPerQuery) {
        this.readsPerQuery = readsPerQuery;
        this.payloads = payloads;
        this.summaries = new BlockSummaries(maxSummaryBytes);
        this.where = file.toString();
        synchronized (mv) {
            // the analysis is derived data: maps of an older layout are dropped and rebuilt by this run
            Set<String> current = Set.of(TIMELINE, POSITIONS, NAMESPACE_IDS, StoredRoutes.ROUTES, StoredIqs.IQS);
            for (String name : mv.getMapNames()) {
                if (VERSIONED_MAP.matcher(name).matches() && !current.contains(name)) {
                    mv.removeMap(name);
                }
            }
            // only ever appended to (IndexWriter): an append buffer instead of a copied page path per stanza
            this.timeline = mv.openMap(TIMELINE, bytesByLong().singleWriter());
            Long last = timeline.lastKey();
            this.positions = new StanzaPositions(mv.openMap(POSITIONS, bytesByLong()), last == null ? -1 : last);
            this.nsIds = new NamespaceIds(mv.openMap(NAMESPACE_IDS));
            this.routes = new StoredRoutes(mv.openMap(StoredRoutes.ROUTES, bytesByLong()), this::routeFirst);
            this.iqs = new StoredIqs(mv.openMap(StoredIqs.IQS, bytesByLong()));
        }
        fileUnfiledTail();
        indexedUpTo.putAll(positions.lastFiled());
        this.writer = new IndexWriter(timeline, positions, nsIds, where, background, done -> done.forEach(s -> unflushed.remove(s.summary().ref(), s)));
    }

    /**
     * Files the positions of the timeline's last elements that have none. The store's background
     * commit may take in a batch's records before their positions (both are written under the
     * timeline's lock, which it does not take), and a crash before the next commit leaves them so:
     * a query narrowed to their stream, or a link to one of them, then missed them, and the next
     * analysis of the capture appended them again. Only the last batch written can be so.
     */
    private void fileUnfiledTail() {
        synchronized (timeline) { // another analyzer of this file may be writing
            Long last = timeline.lastKey();
            if (last == null) {
                return;
            }
            StanzaPositions.Batch unfiled = positions.newBatch();
            int n = 0;
            for (Cursor<Long, byte[]> c = timeline.cursor(Math.max(0, last - 2L * BATCH)); c.hasNext(); ) {
                long seq = c.next();
                long pk = StanzaRecord.pk(c.getValue());
                if (unfiled.wanted(pk)) {
                    unfiled.add(pk, seq);
                    n++;
                }
            }
            if (n > 0) {
                unfiled.file();
                LOG.info("filed the positions of the last {} elements of {}: an analysis stopped before it did", n, where);
            }
        }
    }

    static MVMap.Builder<Long, byte[]> bytesByLong() {
        return new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE);
    }

    /** Where routes go once the correlator stops tracking them. */
    public RouteArchive routeArchive() {
        return routes;
    }

    /** Where IQ pairs are kept. */
    public IqLedger iqLedger() {
        return iqs;
    }

    /** True if an earlier run already indexed this element. */
    public boolean alreadyIndexed(long connection, int direction, int idx) {
        if (indexedUpTo.isEmpty()) {
            return false; // a first run: asked for every element, so no key is built
        }
        Integer upTo = indexedUpTo.get(rowKey(connection, direction, 0) >>> 32);
        return upTo != null && idx <= upTo;
    }

    /**
     * The row key of an element: a function of its position (connection, direction, index), so
     * every run over the same capture, and two analyzers on one database, agree on it. It also
     * orders elements with the same timestamp.
     */
    public static long rowKey(long connection, int direction, int idx) {
        return (connection << 33) | ((long) direction << 32) | (idx & 0xFFFFFFFFL);
    }

    /** Whether {@code ref} ({@link #ref(long, int, long)}) names an element sent to the server ("CONN-s-N"). */
    public static boolean sentToServer(String ref) {
        return ref.contains("-s-");
    }

    /** The ref of the {@code idx}-th element of a connection's direction: "CONN-s-N" (to the server) or "CONN-c-N". */
    public static String ref(long connection, int direction, long idx) {
        return connection + (direction == 0 ? "-s-" : "-c-") + idx;
    }

    /** The ref of the element whose {@link #rowKey(long, int, int) row key} is {@code rowKey}. */
    public static String ref(long rowKey) {
        return ref(rowKey >>> 33, (int) (rowKey >>> 32) & 1, rowKey & 0xFFFFFFFFL);
    }

    /**
     * The row key of an element ref ({@link #ref}), or -1 if it is not one. Parsed by hand, not
     * with a regular expression and split: the route archive asks this for every hop it stores.
     */
    public static long rowKey(String ref) {
        int dash = ref.indexOf('-');
        if (dash < 1 || dash > 18 || ref.length() < dash + 4 || ref.charAt(dash + 2) != '-') {
            return -1;
        }
        char side = ref.charAt(dash + 1);
        long connection = digits(ref, 0, dash);
        long idx = digits(ref, dash + 3, ref.length());
        if (connection < 0 || idx < 0 || ref.length() - (dash + 3) > 9 || (side != 's' && side != 'c')) {
            return -1;
        }
        return rowKey(connection, side == 's' ? 0 : 1, (int) idx);
    }

    /** The decimal number in {@code s[from, to)}, or -1 if that is empty or not all digits. */
    private static long digits(String s, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Queues a stanza for the next batch; call from the single ingest thread. */
    public void add(IndexedStanza s) {
        unflushed.put(s.summary().ref(), s);
        batch.add(s);
        if (batch.size() >= BATCH) {
            flush();
        }
    }

    /** Hands the queued stanzas to the writer thread. */
    public void flush() {
        if (!batch.isEmpty()) {
            writer.submit(batch);
            batch = new ArrayList<>();
        }
    }

    /** Returns once everything added so far is committed and visible to queries. */
    public void sync() {
        flush();
        writer.awaitWritten();
    }

    /**
     * One page of stanzas matching {@code q}, in time order, among those at or before
     * {@code visibleUntil} (what this analysis has reached; a replay sees no future stanzas).
     * The cursor picks the page ({@link PageCursor}): the first, the one after a {@code next},
     * the one before a {@code previous}, or the newest.
     */
    public StanzaPage query(StanzaQuery q, long visibleUntil) {
        return query(q, visibleUntil, searches.begin(q.search()));
    }

    /** As {@link #query(StanzaQuery, long)}, stopping when {@code checkpoint} says a newer search replaced it. */
    StanzaPage query(StanzaQuery q, long visibleUntil, Searches.Checkpoint checkpoint) {
        int limit = Math.max(1, Math.min(q.limit() <= 0 ? 100 : q.limit(), StanzaQuery.MAX_LIMIT));
        StanzaFilter filter = StanzaFilter.of(q, namespaces, nsIds, visibleUntil);
        PageCursor at = PageCursor.parse(q.cursor());
        StanzaPage page = at.backward() ? pageBefore(at, filter, limit, checkpoint) : pageAfter(at, filter, limit, checkpoint);
        if (summarizeOnceSearched && q.searches()) {
            summarizeInBackground(); // once the search has its answer: reading alongside it slowed it by a third
        }
        return page;
    }

    private StanzaPage pageAfter(PageCursor at, StanzaFilter filter, int limit, Searches.Checkpoint checkpoint) {
        long start = at.seq() + 1;
        if (filter.fromNanos() != null) {
            start = Math.max(start, firstAtOrAfter(filter.fromNanos() - TIME_ORDER_SLACK_NANOS));
        }
        Matches m = matches(records(filter, start, true), true, filter, limit, checkpoint);
        // a page reached through a cursor had matches before it: the ones that led to it
        String previous = at.seq() < 0 || m.items.isEmpty() ? null : PageCursor.before(m.firstSeq);
        return new StanzaPage(m.items, m.more ? Long.toString(m.lastSeq) : null, previous, m.searchedTo);
    }

    private StanzaPage pageBefore(PageCursor at, StanzaFilter filter, int limit, Searches.Checkpoint checkpoint) {
        Long start = at.isLatest() ? timeline.lastKey() : timeline.lowerKey(at.seq());
        Matches m = start == null ? Matches.NONE : matches(records(filter, start, false), false, filter, limit, checkpoint);
        List<StanzaSummary> items = new ArrayList<>(m.items);
        Collections.reverse(items); // scanned newest first
        // the newest page has nothing after it yet (live, what comes next is asked for by time)
        String next = at.isLatest() || items.isEmpty() ? null : Long.toString(m.firstSeq);
        return new StanzaPage(items, next, m.more ? PageCursor.before(m.lastSeq) : null, m.searchedTo);
    }

    /**
     * The first sequence number whose stanza is no older than {@code nanos}, found by halving: the
     * timeline is in time order but for what a live analysis takes a little out of order
     * ({@link #TIME_ORDER_SLACK_NANOS}). A request for what came after a time (the UI's, at each
     * arrival) read the whole index from its start before.
     */
    private long firstAtOrAfter(long nanos) {
        Long lo = timeline.firstKey();
        Long hi = timeline.lastKey();
        if (lo == null) {
            return 0;
        }
        long l = lo;
        long h = hi + 1;
        while (l < h) {
            long mid = l + (h - l) / 2;
            Long k = timeline.ceilingKey(mid);
            if (k != null && k < h && StanzaRecord.at(timeline.get(k)) < nanos) {
                l = k + 1;
            } else {
                h = mid;
            }
        }
        return l;
    }

    /**
     * What a scan from {@code start} (inclusive) reads, in timeline order or against it. A query
     * narrowed to one connection (a stream picked in the graph) reads that connection's elements
     * through their positions, as far as those are filed, instead of the whole timeline: on a long
     * capture most streams hold few of its elements, and a page of them was found only at its end.
     */
    private Records records(StanzaFilter filter, long start, boolean forward) {
        BlockSummaries.Test test = filter.blockTest();
        boolean summarizeText = filter.textIsTheOnlyTerm();
        Function<RecordView, byte[]> xmlOf = xmlOf(filter.needsXml() && payloads != null ? new PayloadWindow(payloads) : null);
        if (filter.connection() == null) {
            return new Records.Scan(timeline, start, forward, null, summaries, test, summarizeText, xmlOf);
        }
        long filed = positions.filedThrough();
        Records narrowed = new Records.Listed(positions.connectionSeqs(filter.connection(), start, filed, forward), timeline,
                summaries, test, xmlOf);
        if (forward) {
            return Records.then(narrowed, new Records.Scan(timeline, Math.max(start, filed + 1), true, null, summaries, test,
                    false, xmlOf));
        }
        // against time order: what was appended after the positions, then the positions
        return start <= filed ? narrowed
                : Records.then(new Records.Scan(timeline, start, false, filed + 1, summaries, test, false, xmlOf), narrowed);
    }

    /**
     * Up to {@code limit} stanzas from {@code c} that pass {@code filter}, in its order; stops
     * ({@link Searches.Checkpoint#check}) once a newer search replaced this one, and after
     * {@link #readsPerQuery} records with what it found so far.
     */
    private Matches matches(Records c, boolean forward, StanzaFilter filter, int limit, Searches.Checkpoint checkpoint) {
        List<StanzaSummary> items = new ArrayList<>();
        int read = 0;
        long first = -1;
        long last = -1;
        // forwards, a scan past the time asked for ends (allowing for a little disorder)
        long stopAt = filter.untilNanos() == null || !forward ? Long.MAX_VALUE
                : filter.untilNanos() + TIME_ORDER_SLACK_NANOS;
        while (c.next()) {
            if ((++read & (CHECKPOINT_EVERY - 1)) == 0) {
                checkpoint.check();
            }
            long seq = c.seq();
            byte[] record = c.record();
            RecordView r = c.view();
            if (r.at() >= stopAt) {
                break;
            }
            if (filter.testAllButText(r) && (!filter.needsXml() || filter.textIn(c.xml()))) { // XML read only for what passed the rest
                if (items.size() == limit) {
                    return new Matches(items, first, last, true, null);
                }
                first = items.isEmpty() ? seq : first;
                last = seq;
                items.add(StanzaRecord.decode(record, false, namespaces, nsIds).summary());
            }
            if (read == readsPerQuery) {
                return new Matches(items, first, seq, true, r.at()); // the next page goes on after this record
            }
        }
        return new Matches(items, first, last, false, null);
    }

    /**
     * Matches in scanning order: the sequence numbers of the first taken and of where the next page
     * goes on, whether another page lies beyond, and, when the scan stopped at its reads
     * ({@link StanzaPage#searchedTo}), the time of the last record it read.
     */
    private record Matches(List<StanzaSummary> items, long firstSeq, long lastSeq, boolean more, Long searchedTo) {
        static final Matches NONE = new Matches(List.of(), -1, -1, false, null);
    }

    /** How many blocks of the timeline scans have summarized so far (for tests). */
    int blocksSummarized() {
        return summaries.size();
    }

    /** How many blocks' XML free-text scans have summarized so far (for tests). */
    int blockTextsSummarized() {
        return summaries.texts();
    }

    /** The stored stanza with this ref, if visible. */
    public Optional<IndexedStanza> get(String ref, long visibleUntil) {
        IndexedStanza pendingStanza = unflushed.get(ref);
        if (pendingStanza != null) {
            return Optional.of(withXml(pendingStanza));
        }
        byte[] record = storedRecord(ref);
        if (record == null) {
            return Optional.empty();
        }
        IndexedStanza s = StanzaRecord.decode(record, true, namespaces, nsIds);
        return s.summary().at() <= visibleUntil ? Optional.of(withXml(s)) : Optional.empty();
    }

    /**
     * {@code s} with its XML: as it is when the record holds a copy, else read from the payload
     * file. Without it (a payload file gone, or cut short since) the XML is null, and said once.
     */
    private IndexedStanza withXml(IndexedStanza s) {
        if (s.xmlUtf8() != null || s.xmlAt() < 0) {
            return s;
        }
        byte[] xml = xml(s.pk(), s.xmlAt(), s.summary().size(), null);
        return xml == null ? s : s.withXml(xml);
    }

    /** How a scan reads a record's XML: its copy, or from the payload file through {@code window} (a scan's, or null). */
    private Function<RecordView, byte[]> xmlOf(PayloadWindow window) {
        return r -> r.xmlAt() < 0 ? r.xmlCopy() : xml(r.pk(), r.xmlAt(), r.size(), window);
    }

    /**
     * The XML of the stanza with row key {@code pk}: {@code size} bytes at {@code at} in the payload
     * file, read through {@code window} (a scan's) if given; null when it is not there (said once).
     */
    private byte[] xml(long pk, long at, int size, PayloadWindow window) {
        byte[] xml = payloads == null ? null : window != null ? window.read(at, size) : payloads.read(at, size);
        if (xml == null && !reportedUnreadable) {
            reportedUnreadable = true;
            LOG.warn("the XML of {} is not in the capture's payload file any more ({}); it is shown without it",
                    ref(pk), payloads == null ? "no payload file given" : "the file ends before it");
        }
        return xml;
    }

    /** The first hop's row key of the route the stanza {@code ref} joined as a later hop, or -1. */
    long routeFirst(String ref) {
        IndexedStanza pendingStanza = unflushed.get(ref);
        if (pendingStanza != null) {
            return pendingStanza.routeFirst();
        }
        byte[] record = storedRecord(ref);
        return record == null ? -1 : StanzaRecord.decode(record, false, namespaces, nsIds).routeFirst();
    }

    /** The written record of the stanza {@code ref}, or null (not a ref, or not written yet). */
    private byte[] storedRecord(String ref) {
        long pk = rowKey(ref);
        long seq = pk < 0 ? -1 : positions.find(pk);
        return seq < 0 ? null : timeline.get(seq);
    }

    /** Stores what is queued and waits for it; the analysis file stays open (the capture store owns it). */
    @Override
    public void close() {
        stopSummarizing();
        try {
            flush();
        } finally {
            writer.close();
        }
    }

    /**
     * Summarizes every complete block of the timeline (its terms and its XML, see
     * {@link BlockSummaries}) on a thread at background priority, so that the first query for a
     * rare term, or for text, is as quick as later ones, and goes on with each block the timeline
     * completes until the index closes: for a capture that no longer grows (once {@code xmppscope
     * open} analyzed it), where otherwise the first query of each kind read it all, and for a live
     * one ({@link #summarizeOnceSearched}).
     */
    public synchronized void summarizeInBackground() {
        if (summarizer == null && !closing) {
            summarizer = BackgroundThreads.newThread("xmppscope-block-summaries", this::summarizeAll);
            summarizer.start();
        }
    }

    /**
     * From the first query that searches (any term) on, summarizes in the background as
     * {@link #summarizeInBackground} does: for a live capture that a web UI serves, where the first
     * search read the timeline whole, and so did the first to reach each block appended since,
     * while a capture nobody searches should not pay for summaries.
     */
    public void summarizeOnceSearched() {
        summarizeOnceSearched = true;
    }

    private void summarizeAll() {
        Function<RecordView, byte[]> xmlOf = xmlOf(payloads == null ? null : new PayloadWindow(payloads));
        try {
            while (!closing && summaries.hasRoom()) {
                long end = completeBlocksEnd();
                if (summarizedUpTo < end) {
                    // passes by the blocks queries summarized already, terms and text
                    Records scan = new Records.Scan(timeline, summarizedUpTo, true, null, summaries,
                            (terms, text) -> terms == null || text == null, true, xmlOf);
                    while (!closing && summaries.hasRoom() && scan.next() && scan.seq() < end) {
                        // each block read whole is summarized as the scan leaves it
                    }
                    summarizedUpTo = end;
                }
                awaitMoreBlocks();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closing) {
                LOG.warn("stopped summarizing the blocks of {} (queries read them instead): {}", where, e.toString());
            }
        }
    }

    /** Where the timeline's complete blocks end: the first sequence number of its last, partial one (appended to). */
    private long completeBlocksEnd() {
        Long last = timeline.lastKey();
        return last == null ? 0 : BlockSummaries.block(last + 1) * BlockSummaries.BLOCK;
    }

    private synchronized void awaitMoreBlocks() throws InterruptedException {
        if (!closing) {
            wait(SUMMARIZER_POLL_MS);
        }
    }

    private void stopSummarizing() {
        Thread t;
        synchronized (this) {
            closing = true;
            notifyAll();
            t = summarizer;
        }
        if (t != null) {
            try {
                // it stops at its next element; at background priority on a busy machine that may take
                // a while, and what it reads after the store closed only fails, quietly (it is closing)
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the background summarizer ({@link #summarizeInBackground}) was started (for tests). */
    boolean summarizing() {
        return summarizer != null;
    }

    /**
     * Whether the background summarizer ({@link #summarizeInBackground}) has passed every block the
     * timeline completed so far, or stopped (for tests).
     */
    boolean summarized() {
        Thread t = summarizer;
        return t != null && (!t.isAlive() || summarizedUpTo >= completeBlocksEnd());
    }
}
