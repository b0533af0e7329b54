package dev.xmppscope.proxy;

import dev.xmppscope.capture.CaptureRecord;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureStoreException;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.StoredChunk;
import dev.xmppscope.proxy.xmpp.SecretRedactor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's capture sink: takes what the relay saw (on the event loops, never blocking them),
 * masks secrets there, and hands it to one writer thread that writes batches into the H2 capture
 * store, commits at least every {@value #COMMIT_INTERVAL_MS} ms (with the store's own write
 * delay, data older than a fraction of a second survives a kill -9), and then passes the same
 * redacted data, in order, to listeners (live analysis), each on its own thread
 * ({@link ListenerFeed}): a slow listener never holds up the writer, hence never the relay; when
 * it falls far behind it catches up from the store instead of from memory.
 *
 * <p>Fidelity first: nothing is ever dropped. If the writer falls behind by more than
 * {@value #HIGH_WATER_BYTES} bytes, {@link #isBehind()} turns true and the proxy stops reading
 * from its peers (TCP pushes back on them) until the backlog is under {@value #LOW_WATER_BYTES}
 * bytes. The alternative, dropping and recording a gap, would make the capture lie about the
 * conversation; a slower relay under extreme load is the better failure.
 *
 * <p>Why mask on the event loops: the chunk was copied there a moment ago and is still in that
 * core's cache; scanning it on the writer thread, from another core, took 2.5 times the CPU and
 * made the redactor most of the writer's work, the one thread that bounds recording throughput.
 * The chunks of one stream must come from one thread at a time (a connection's event loop).
 */
public final class Recorder implements CaptureSink, RecordingBackpressure, AutoCloseable {
    static final long COMMIT_INTERVAL_MS = 100;
    /**
     * A writer that has caught up commits at once, but not more often than this: stanza-sized
     * chunks (a client and server exchanging small stanzas) arrive one by one, and a commit per
     * chunk (a payload file write and an H2 transaction each) cost more than recording them.
     * At 5 ms, commits were still most of the recorder's CPU in front of a real server (10,000
     * messages/s: 200 commits/s, CaptureWriter.commit 36% of the proxy's profile); 20 ms adds
     * at most 15 ms before the live view sees a stanza, which the UI's own 120 ms coalescing hides.
     */
    static final long MIN_COMMIT_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * How long the writer stays awake on its own timer after the last item before it sleeps
     * until woken. While traffic flows, the relay's event loops only add to a lock-free queue and
     * never signal the writer (a wake-up per chunk cost a futex call on the relay's thread and a
     * context switch per chunk on a busy core); the writer looks every {@code MIN_COMMIT_GAP_NANOS}.
     */
    static final long AWAKE_AFTER_LAST_ITEM_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    static final long HIGH_WATER_BYTES = 64L << 20;
    static final long LOW_WATER_BYTES = HIGH_WATER_BYTES / 4;
    /** What one listener may have waiting in memory before it catches up from the store instead. */
    static final long LISTENER_QUEUE_BYTES = 32L << 20;
    /**
     * How long {@link #close()} lets each listener take what it has not yet (after a flood, the
     * live analysis may be minutes behind; it says how much is left meanwhile). What it does not
     * take is in the store: {@code xmppscope open} brings the analysis up to date. It was two
     * minutes, and a proxy stopped with Ctrl-C after a flood seemed to hang.
     */
    private static final long LISTENER_DRAIN_MS = TimeUnit.SECONDS.toMillis(30);
    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);

    private final CaptureStore store;
    /** What the relay hands over, its secrets masked on the way into the writer's queue. */
    private final CaptureSink intake;
    private final Queue<CaptureRecord> queue = new ConcurrentLinkedQueue<>();
    /** The writer sleeps until woken (no traffic for a while): the next item must unpark it. */
    private volatile boolean writerAsleep;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final List<ListenerFeed> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> waitingForCatchUp = new ArrayList<>();
    private final AtomicLong nextConnectionId;
    /** The first connection of this recording: the store held those below it before. */
    private final long firstConnectionId;
    private final long highWater;
    private final long lowWater;
    private final Thread writerThread;
    /** Set by {@link #close()}: nothing more is queued, and the writer drains what is, commits and ends. */
    private volatile boolean closed;
    /** Set when a write fails: nothing more is recorded, and the relay goes on. */
    private volatile Stopped stopped;
    private volatile boolean reportedLoss;
    /** Runs before each batch is written; tests stall the writer with it to exercise backpressure. */
    volatile Runnable beforeEachBatch = () -> { };

    private Recorder(CaptureStore store, SecretMasking masking, long highWater) {
        this.store = store;
        this.intake = masking.masking(new WriterQueue());
        this.highWater = highWater;
        this.lowWater = highWater / 4;
        this.nextConnectionId = new AtomicLong(store.nextConnectionId());
        this.firstConnectionId = nextConnectionId.get();
        this.writerThread = new Thread(this::writeLoop, "xmppscope-recorder");
        writerThread.setDaemon(true);
    }

    /**
     * Starts recording into {@code store}. Secrets (SASL PLAIN and similar, legacy-auth and
     * registration passwords) are masked in what is stored and what listeners see unless
     * {@code keepSecrets}.
     */
    public static Recorder start(CaptureStore store, boolean keepSecrets) {
        return start(store, keepSecrets, HIGH_WATER_BYTES);
    }

    /** Like {@link #start(CaptureStore, boolean)} with another backlog limit (tests use a small one). */
    static Recorder start(CaptureStore store, boolean keepSecrets, long highWaterBytes) {
        return start(store, SecretMasking.ofRecording(keepSecrets, () -> new SecretRedactor()::redact), highWaterBytes);
    }

    /** With another redactor per stream (tests make one fail). */
    static Recorder start(CaptureStore store, Supplier<SecretMasking.StreamRedactor> redactors) {
        return start(store, SecretMasking.ofRecording(false, redactors), HIGH_WATER_BYTES);
    }

    private static Recorder start(CaptureStore store, SecretMasking masking, long highWaterBytes) {
        Recorder r = new Recorder(store, masking, highWaterBytes);
        r.writerThread.start();
        return r;
    }

    /**
     * Receives redacted data in order (per connection; across connections in time order), on a
     * thread of its own, after each batch is committed; {@link #close()} waits until it has seen
     * everything. A listener that falls behind by more than {@value #LISTENER_QUEUE_BYTES} bytes
     * is fed from the store instead of memory until it has caught up. Returns where the listener
     * stands against the recording, as it changes.
     */
    public Supplier<ListenerState> addListener(CaptureSink listener) {
        return addListener(listener, LISTENER_QUEUE_BYTES);
    }

    /**
     * Like {@link #addListener(CaptureSink)}, the listener first taking, from the store, what an
     * earlier recording into it (a proxy restarted on the same capture) left there: a live analysis
     * shows the whole capture.
     */
    public Supplier<ListenerState> addListenerFromStart(CaptureSink listener) {
        return addListener(listener, LISTENER_QUEUE_BYTES, ListenerFeed.FOLLOWABLE_BYTES_PER_SECOND, firstConnectionId);
    }

    /** Like {@link #addListener(CaptureSink)} with another memory budget (tests use a small one). */
    Supplier<ListenerState> addListener(CaptureSink listener, long maxQueuedBytes) {
        return addListener(listener, maxQueuedBytes, ListenerFeed.FOLLOWABLE_BYTES_PER_SECOND, 1);
    }

    /**
     * Like {@link #addListener(CaptureSink, long)}, catching up only below this intake per second (see
     * {@link ListenerFeed}), first taking the connections numbered below {@code earlierBelow} from the store.
     */
    Supplier<ListenerState> addListener(CaptureSink listener, long maxQueuedBytes, long followableBytesPerSecond,
                                        long earlierBelow) {
        ListenerFeed feed = new ListenerFeed(listener, store, maxQueuedBytes, followableBytesPerSecond, earlierBelow);
        listeners.add(feed);
        return feed::state;
    }

    /** A connection id not used yet in this store (ids continue after what it already holds). */
    public long nextConnectionId() {
        return nextConnectionId.getAndIncrement();
    }

    @Override
    public void opened(ConnectionOpened connection) {
        intake.opened(connection);
    }

    @Override
    public void chunk(Chunk chunk) {
        if (stopped == null) { // once recording stopped, masking what would be dropped only costs the relay's threads
            intake.chunk(chunk);
        }
    }

    @Override
    public void event(ConnectionEvent event) {
        intake.event(event);
    }

    @Override
    public void closed(ConnectionClosed connection) {
        intake.closed(connection);
    }

    /** The writer's queue, as a sink: what {@link #intake} hands on once secrets are masked. */
    private final class WriterQueue implements CaptureSink {
        @Override
        public void opened(ConnectionOpened connection) {
            enqueue(connection, 0);
        }

        @Override
        public void chunk(Chunk chunk) {
            enqueue(chunk, chunk.bytes().length + 64L);
        }

        @Override
        public void event(ConnectionEvent event) {
            enqueue(event, 0);
        }

        @Override
        public void closed(ConnectionClosed connection) {
            enqueue(connection, 0);
        }
    }

    @Override
    public boolean isBehind() {
        return queuedBytes.get() > highWater;
    }

    @Override
    public void whenCaughtUp(Runnable resume) {
        synchronized (waitingForCatchUp) {
            if (queuedBytes.get() > lowWater) {
                waitingForCatchUp.add(resume);
                return;
            }
        }
        resume.run();
    }

    /** Bytes handed over but not yet written. */
    public long backlogBytes() {
        return queuedBytes.get();
    }

    private void enqueue(CaptureRecord item, long bytes) {
        if (closed || stopped != null) {
            // Nowhere to write any more. Throwing here would only break the relay (this runs on
            // its event loops), so keep relaying; a write failure was said when it happened
            if (stopped == null && !reportedLoss) {
                reportedLoss = true;
                LOG.error("the recorder is closed: data from the proxy is no longer recorded");
            }
            return;
        }
        queuedBytes.addAndGet(bytes);
        queue.add(item);
        if (writerAsleep) {
            LockSupport.unpark(writerThread);
        }
    }

    /**
     * Waits for items: briefly on a timer while traffic flows, else asleep until an item wakes it
     * (or the commit interval passes); returns at once if items are waiting.
     */
    private void awaitItems(long lastItemAt, boolean commitPending, long lastCommit) throws InterruptedException {
        long now = System.nanoTime();
        if (!queue.isEmpty() || closed) {
            return;
        }
        if (commitPending || now - lastItemAt < AWAKE_AFTER_LAST_ITEM_NANOS) {
            long gap = commitPending ? Math.max(0, MIN_COMMIT_GAP_NANOS - (now - lastCommit)) : MIN_COMMIT_GAP_NANOS;
            LockSupport.parkNanos(this, Math.max(gap, 100_000));
        } else {
            writerAsleep = true;
            if (queue.isEmpty()) { // an item added before the flag was set would not have woken us
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(COMMIT_INTERVAL_MS));
            }
            writerAsleep = false;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private void writeLoop() {
        // listeners get items once committed: one that catches up from the store relies on it
        List<CaptureRecord> uncommitted = new ArrayList<>();
        SkippedChunks skipped = new SkippedChunks();
        try (CaptureWriter writer = store.newWriter()) {
            long lastCommit = System.nanoTime();
            long lastItemAt = lastCommit;
            while (true) {
                // read before draining: everything queued before close() is then drained below
                boolean stopping = closed;
                awaitItems(lastItemAt, !uncommitted.isEmpty() || !skipped.isEmpty(), lastCommit);
                List<CaptureRecord> batch = new ArrayList<>();
                for (CaptureRecord item; batch.size() < 10_000 && (item = queue.poll()) != null; ) {
                    batch.add(item);
                }
                if (!batch.isEmpty()) {
                    lastItemAt = System.nanoTime();
                }
                beforeEachBatch.run();
                // chunks are held until their commit only for a listener taking them from memory (see SkippedChunks)
                boolean holdChunks = listeners.stream().anyMatch(ListenerFeed::takesChunksNow);
                long bytes = 0;
                for (CaptureRecord item : batch) {
                    item.deliverTo(writer);
                    if (item instanceof Chunk c) {
                        bytes += c.bytes().length + 64L;
                        if (!holdChunks) {
                            skipped.add(c);
                            continue;
                        }
                        // listeners get where its bytes are, if it kept some: the live analysis indexes stanzas by it
                        long position = writer.lastPayloadPosition();
                        if (position >= 0) {
                            item = new StoredChunk(c, store.payloads(), position);
                        }
                    }
                    uncommitted.add(item);
                }
                long now = System.nanoTime();
                if (stopping || now - lastCommit >= TimeUnit.MILLISECONDS.toNanos(COMMIT_INTERVAL_MS)
                        || (queue.isEmpty() && now - lastCommit >= MIN_COMMIT_GAP_NANOS)) {
                    writer.commit();
                    lastCommit = now;
                    notifyListeners(uncommitted, skipped);
                    uncommitted = new ArrayList<>();
                    skipped = new SkippedChunks();
                }
                released(bytes);
                if (stopping && queue.isEmpty()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("recorder interrupted; {} items were not written", queue.size());
        } catch (RuntimeException e) {
            stopped = new Stopped(Instant.now(), e instanceof CaptureStoreException ? e.getMessage() : e.toString());
            String what = "recording stopped: " + stopped.reason() + ". The proxy goes on relaying every connection, but"
                    + " records nothing more; the capture keeps what was written before. "
                    + (CaptureStoreException.diskFull(e) ? "Free some space, or give --db a disk with room, and restart the proxy."
                    : "Restart the proxy to record again.");
            if (e instanceof CaptureStoreException) {
                LOG.error(what); // the disk's own words say it all; a stack trace would bury them
            } else {
                LOG.error(what, e);
            }
            queue.clear();
            queuedBytes.set(0);
            released(0);
        }
    }

    private void released(long bytes) {
        long left = queuedBytes.addAndGet(-bytes);
        if (left <= lowWater) {
            List<Runnable> resume;
            synchronized (waitingForCatchUp) {
                resume = new ArrayList<>(waitingForCatchUp);
                waitingForCatchUp.clear();
            }
            resume.forEach(Runnable::run);
        }
    }

    /** Catch-up passes over the store made by all listeners so far (tests look at it). */
    long listenerCatchUps() {
        return listeners.stream().mapToLong(ListenerFeed::catchUpPasses).sum();
    }

    private void notifyListeners(List<CaptureRecord> items, SkippedChunks skipped) {
        for (ListenerFeed l : listeners) {
            l.offer(items, skipped);
        }
    }

    /**
     * Writes everything handed over so far, stops the writer, then waits (up to
     * {@link #LISTENER_DRAIN_MS} each) until the listeners have seen it all. Idempotent. A write
     * failure does not throw here: it was logged when it happened, and {@link #stopped()} says it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(writerThread);
        try {
            writerThread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writerThread.isAlive()) {
            LOG.error("the recorder did not finish writing within 60 s; {} items left", queue.size());
        }
        for (ListenerFeed l : listeners) {
            l.close(LISTENER_DRAIN_MS);
        }
    }

    /**
     * Once {@link #close()} returned: why {@code listener} did not take every record of the capture
     * (this recording's, and for {@link #addListenerFromStart} what the store held before): recording
     * stopped early, the writer did not finish, or the listener fell short; empty if it took them all.
     */
    public Optional<String> shortfallOf(CaptureSink listener) {
        if (stopped != null) {
            return Optional.of("recording stopped early (" + stopped.reason() + ")");
        }
        if (!closed || writerThread.isAlive()) {
            return Optional.of("the recorder had not finished writing");
        }
        return listeners.stream().filter(l -> l.listener() == listener).findFirst()
                .map(ListenerFeed::shortfall).orElse(Optional.of("it was not a listener of this recording"));
    }

    /** Why recording stopped before {@link #close()}, and when: a write failed (a full disk). */
    public Optional<Stopped> stopped() {
        return Optional.ofNullable(stopped);
    }

    /** Recording ended {@code at} because a write failed, for {@code reason}; the relay went on. */
    public record Stopped(Instant at, String reason) {
    }
}
