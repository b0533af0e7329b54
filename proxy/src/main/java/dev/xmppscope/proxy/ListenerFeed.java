package dev.xmppscope.proxy;

import dev.xmppscope.capture.BackgroundThreads;
import dev.xmppscope.capture.CaptureClock;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureRecord;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.ConnectionRecord;
import dev.xmppscope.capture.StoredChunk;
import dev.xmppscope.capture.StoredPayloads;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands what the {@link Recorder} committed to one listener (live analysis) on the listener's own
 * thread, so a slow listener never slows recording, and through it the relay.
 *
 * <p>Items wait in memory up to a byte budget. A listener that falls further behind is not fed
 * from memory any more: what waits and what comes are dropped (they are already in the store),
 * and the feed re-reads them from the store in capture order, from the earliest dropped
 * timestamp, skipping what the listener already saw (marks per connection: seq, a chunk before
 * the event sharing its seq). When a pass over the store finds that nothing was dropped
 * meanwhile, the feed is live again. The listener thus sees every item once, in order per
 * connection, with bounded memory.
 *
 * <p>A pass waits while the recording takes in more per second than the listener can follow: it
 * could not catch up anyway, and even at idle priority the analysis working through a backlog
 * cost one saturated connection 20-35% of its throughput on two cores. So under a flood the live
 * view pauses, says so once, and catches up when the traffic eases.
 */
final class ListenerFeed {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerFeed.class);
    private static final Object FLUSHED = new Object();
    /**
     * Below this intake per second a catch-up pass always starts. Above it, only if the listener
     * was seen to take more per second while behind (the live analysis: about 60 MB/s on two
     * idle cores).
     */
    static final long FOLLOWABLE_BYTES_PER_SECOND = 32L << 20;
    /**
     * How long the intake is watched before a pass, and again while it is too high. A second: in
     * a quarter of one, a pause in the commits under a flood (the writer stalled on the disk, most
     * likely) looked like the traffic easing, and the pass it let start ran through the flood
     * (1,000 saturated connections).
     */
    private static final long INTAKE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often {@link #close} says how much it still has to deliver. */
    private static final long CLOSE_PROGRESS_MS = TimeUnit.SECONDS.toMillis(5);
    /** How long {@link #close} waits for a feed it gave up on to stop between two items. */
    private static final long ABANDON_GRACE_MS = TimeUnit.SECONDS.toMillis(5);
    private static final Abandoned ABANDONED = new Abandoned();

    private final CaptureSink listener;
    private final CaptureStore store;
    private final long maxQueuedBytes;
    private final long followableBytesPerSecond;
    private final boolean takesChunks;
    private final long earlierBelow;
    private final Thread thread;
    private final Map<Long, Mark> marks = new HashMap<>(); // feed thread only
    private final DeliveryRate taken = new DeliveryRate(); // feed thread only
    private final Consumer<Object> deliverer = this::deliver;

    // guarded by this
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long queuedBytes;
    /** Behind: items are dropped, to be read from the store. Volatile for {@link #takesChunksNow}, written under the lock. */
    private volatile boolean lagging;
    private long droppedFromAt = Long.MAX_VALUE;
    private long droppedSincePass;
    private final Set<Long> droppedOpens = new LinkedHashSet<>();
    private final Set<Long> droppedCloses = new LinkedHashSet<>();
    /** Every byte offered, queued or dropped: the recording's intake. */
    private long offeredBytes;
    private boolean closing;
    private long passes;
    /** When it last fell behind (System.nanoTime). */
    private long behindSince;
    /** Set by {@link #close} when it stops waiting: the feed stops before its next item. */
    private volatile boolean abandoned;
    /** Why the listener missed part of the recording (a failed read of the store, a failed delivery, a close that gave up); null while it missed nothing. */
    private volatile String missed;

    // what state() reports, read by other threads (the web UI's)
    private volatile ListenerState.Phase phase = ListenerState.Phase.LIVE;
    private volatile long pausedIntake;
    private volatile long pausedFollowable;
    /** Capture time up to which the listener saw the recording (while behind: the last item it took). */
    private volatile long seenUpTo;
    /** Bytes of what the listener took, counted as {@link #offeredBytes} counts what was offered. */
    private volatile long takenBytes;

    /**
     * @param followableBytesPerSecond see {@link #FOLLOWABLE_BYTES_PER_SECOND}
     * @param earlierBelow             the listener first takes, from the store, the connections numbered
     *                                 below this: what an earlier recording into the store left (a proxy
     *                                 restarted on its capture); 1 for none
     */
    ListenerFeed(CaptureSink listener, CaptureStore store, long maxQueuedBytes, long followableBytesPerSecond,
                 long earlierBelow) {
        this.listener = listener;
        this.store = store;
        this.maxQueuedBytes = maxQueuedBytes;
        this.followableBytesPerSecond = followableBytesPerSecond;
        this.earlierBelow = earlierBelow;
        this.takesChunks = listener.takesChunks();
        // background priority: live analysis must not take CPU from the relay (it catches up instead)
        this.thread = BackgroundThreads.newThread("xmppscope-listener-" + listener.getClass().getSimpleName(), this::run);
        thread.start();
    }

    /**
     * Whether the recorder is to hold chunks until their commit and offer them: not when this
     * listener takes none, nor while it is behind (it would only drop them).
     */
    boolean takesChunksNow() {
        return takesChunks && !lagging;
    }

    /**
     * Queues committed items (never blocks); beyond the budget they are left for a catch-up from
     * the store. {@code skipped}: chunks committed with them that the recorder did not hold (see
     * {@link #takesChunksNow}); if this feed went live meanwhile, it falls behind again for them.
     */
    synchronized void offer(List<CaptureRecord> items, SkippedChunks skipped) {
        if (takesChunks && !skipped.isEmpty()) {
            offeredBytes += skipped.bytes();
            droppedSincePass += skipped.count();
            droppedFromAt = Math.min(droppedFromAt, skipped.fromAtNanos());
            if (!lagging) {
                fallBehind();
            }
        }
        for (CaptureRecord item : items) {
            if (!takesChunks && chunkOf(item) != null) {
                continue;
            }
            long bytes = sizeOf(item);
            offeredBytes += bytes;
            if (!lagging && queuedBytes + bytes > maxQueuedBytes) {
                drop(item);
                fallBehind();
            } else if (lagging) {
                drop(item);
            } else {
                queue.add(item);
                queuedBytes += bytes;
            }
        }
        if (!lagging) {
            queue.add(FLUSHED);
        }
        notifyAll();
    }

    /** Stops feeding from memory: what waits is in the store too, and is not worked through while a flood lasts. */
    private void fallBehind() {
        lagging = true;
        behindSince = System.nanoTime();
        // what it has not taken, not what waits in memory: falling behind for chunks the recorder
        // did not hold (see offer) leaves nothing queued, and "0 MiB behind" was all it said
        long behind = behindBytes();
        LOG.info("{} is {} behind; it will catch up from the store", listener,
                behind >= 1 << 20 ? (behind >> 20) + " MiB" : Math.max(1, behind >> 10) + " KiB");
        queue.forEach(this::drop);
        queue.clear();
        queuedBytes = 0;
        seenUpTo = droppedFromAt == Long.MAX_VALUE ? CaptureClock.nowNanos() : droppedFromAt;
        phase = ListenerState.Phase.CATCHING_UP;
    }

    /** Where the listener stands: live, catching up, or paused under a flood (and why). */
    ListenerState state() {
        ListenerState.Phase p = phase;
        if (p == ListenerState.Phase.LIVE) {
            return ListenerState.LIVE;
        }
        boolean paused = p == ListenerState.Phase.PAUSED;
        return new ListenerState(p, behindBytes(), Math.max(0, CaptureClock.nowNanos() - seenUpTo),
                paused ? pausedIntake : 0, paused ? pausedFollowable : 0);
    }

    /** What the recording took in that the listener has not taken yet. */
    private long behindBytes() {
        long offered;
        synchronized (this) {
            offered = offeredBytes;
        }
        return Math.max(0, offered - takenBytes);
    }

    /** Number of catch-up passes over the store so far (tests look at it). */
    synchronized long catchUpPasses() {
        return passes;
    }

    private void drop(Object item) {
        droppedSincePass++;
        Chunk c = chunkOf(item);
        if (c != null) {
            droppedFromAt = Math.min(droppedFromAt, c.atNanos());
        } else if (item instanceof ConnectionEvent e) {
            droppedFromAt = Math.min(droppedFromAt, e.atNanos());
        } else if (item instanceof ConnectionOpened o) {
            droppedOpens.add(o.id());
        } else if (item instanceof ConnectionClosed closed) {
            droppedCloses.add(closed.id());
        }
    }

    static long sizeOf(Object item) {
        Chunk c = chunkOf(item);
        return c != null ? c.bytes().length + 64L : 64L;
    }

    /** The chunk an item is, as read or as stored; else null. */
    private static Chunk chunkOf(Object item) {
        return item instanceof Chunk c ? c : item instanceof StoredChunk s ? s.chunk() : null;
    }

    private void run() {
        try {
            if (earlierBelow > 1) {
                takeEarlierRecording();
            }
            while (true) {
                Object next;
                boolean catchUp = false;
                synchronized (this) {
                    while (queue.isEmpty() && !lagging && !closing) {
                        wait();
                    }
                    next = queue.poll();
                    if (next != null) {
                        queuedBytes -= sizeOf(next);
                    } else if (lagging) {
                        catchUp = true;
                    } else {
                        return; // closing, and everything was delivered
                    }
                }
                if (catchUp) {
                    awaitFollowableIntake();
                    catchUpFromStore();
                } else {
                    deliver(next);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            missed("its thread was interrupted");
        } catch (Abandoned e) {
            // close() stopped waiting: the rest stays in the store
        }
    }

    /**
     * Returns once the recording takes in no more per second than the listener can follow (or the
     * feed is closing); says once that the live view is paused if it has to wait.
     */
    private void awaitFollowableIntake() throws InterruptedException {
        boolean paused = false;
        while (true) {
            long followable = Math.max(followableBytesPerSecond, taken.best());
            long intake;
            synchronized (this) {
                long from = offeredBytes;
                long start = System.nanoTime();
                for (long left = INTAKE_WINDOW_NANOS; left > 0 && !closing; left = INTAKE_WINDOW_NANOS - (System.nanoTime() - start)) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                if (closing) {
                    return;
                }
                intake = (long) ((offeredBytes - from) * 1e9 / (System.nanoTime() - start));
            }
            if (intake <= followable) {
                phase = ListenerState.Phase.CATCHING_UP;
                if (paused) {
                    LOG.info("{} catches up from the store: the traffic eased", listener);
                }
                return;
            }
            pausedIntake = intake;
            pausedFollowable = followable;
            phase = ListenerState.Phase.PAUSED;
            if (!paused) {
                paused = true;
                LOG.info("{} pauses while the recording takes in {} MB/s, more than it can follow ({} MB/s);"
                        + " it catches up from the store when the traffic eases", listener, intake / 1_000_000,
                        followable / 1_000_000);
            }
        }
    }

    /**
     * What the store held before this recording began, in capture order (what this recording adds
     * meanwhile waits, or is dropped and caught up with after): a proxy restarted on its capture
     * showed none of it, and stanzas an earlier run had indexed on lanes of connections it did not know.
     */
    private void takeEarlierRecording() {
        phase = ListenerState.Phase.CATCHING_UP;
        LOG.info("{} first takes what {} held before this recording", listener, store.file().getFileName());
        try (CaptureReader reader = store.newReader()) {
            reader.replay(new Delivering(null, earlierBelow)); // this recording's own connections come as committed
        } catch (Abandoned e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("listener {} could not read the earlier recording from the store; it misses it: {}", listener,
                    e.getMessage(), e);
            missed("it could not read the earlier recording from the store: " + e.getMessage());
        }
        synchronized (this) {
            if (!lagging) {
                phase = ListenerState.Phase.LIVE;
            }
        }
    }

    /**
     * Delivers what a reader of the store replays of the connections numbered below {@code below};
     * {@code opening}, if not null, first opens a connection whose opening was dropped.
     */
    private final class Delivering implements CaptureSink {
        private final CaptureReader opening;
        private final long below;

        Delivering(CaptureReader opening, long below) {
            this.opening = opening;
            this.below = below;
        }

        @Override
        public void opened(ConnectionOpened c) {
            if (c.id() < below) {
                deliver(c);
            }
        }

        @Override
        public void chunk(Chunk c) {
            if (taking(c.connectionId())) {
                taken.timed(c, deliverer);
            }
        }

        @Override
        public void storedChunk(Chunk c, StoredPayloads payloads, long position) {
            if (taking(c.connectionId())) {
                taken.timed(new StoredChunk(c, payloads, position), deliverer);
            }
        }

        @Override
        public void event(ConnectionEvent e) {
            if (taking(e.connectionId())) {
                deliver(e);
            }
        }

        @Override
        public void closed(ConnectionClosed c) {
            if (c.id() < below) {
                deliver(c);
            }
        }

        @Override
        public void flushed() {
            deliver(FLUSHED);
        }

        /** Whether an item of {@code connection} is delivered; its opening first, if it was dropped. */
        private boolean taking(long connection) {
            if (connection >= below) {
                return false;
            }
            if (opening != null) {
                openedBefore(opening, connection);
            }
            return true;
        }
    }

    /** One pass over the store from the earliest dropped item; live again if nothing was dropped meanwhile. */
    private void catchUpFromStore() {
        long from;
        Set<Long> opens;
        Set<Long> closes;
        synchronized (this) {
            passes++;
            from = droppedFromAt;
            opens = new LinkedHashSet<>(droppedOpens);
            closes = new LinkedHashSet<>(droppedCloses);
            droppedFromAt = Long.MAX_VALUE;
            droppedSincePass = 0;
            droppedOpens.clear();
            droppedCloses.clear();
        }
        try (CaptureReader reader = store.newReader()) {
            for (long id : opens) {
                reader.connection(id).ifPresent(r -> deliver(r.opened()));
            }
            if (from != Long.MAX_VALUE) {
                reader.replayChunksAndEventsFrom(from, new Delivering(reader, Long.MAX_VALUE));
            }
            for (long id : closes) {
                reader.connection(id).map(ConnectionRecord::closed).ifPresent(this::deliver);
            }
        } catch (Abandoned e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("listener {} could not catch up from the store; it missed data: {}", listener, e.getMessage(), e);
            missed("it could not catch up from the store: " + e.getMessage());
        }
        deliver(FLUSHED);
        boolean saying;
        long behindFor;
        synchronized (this) {
            if (droppedSincePass == 0) { // nothing was committed since the pass read the store: live again
                lagging = false;
                phase = ListenerState.Phase.LIVE;
            }
            saying = !lagging && !closing;
            behindFor = System.nanoTime() - behindSince;
        }
        if (saying) {
            LOG.info("{} is live again, {} s after it fell behind", listener, TimeUnit.NANOSECONDS.toSeconds(behindFor));
        }
    }

    /** A connection whose opening was dropped is opened (from the store) before its first item. */
    private void openedBefore(CaptureReader reader, long connection) {
        Mark m = marks.get(connection);
        if (m == null || !m.opened) {
            reader.connection(connection).ifPresent(r -> deliver(r.opened()));
        }
    }

    /** Passes one item to the listener unless it already saw it. */
    private void deliver(Object item) {
        if (abandoned) {
            throw ABANDONED;
        }
        try {
            if (item == FLUSHED) {
                listener.flushed();
            } else if (item instanceof ConnectionOpened o) {
                Mark m = mark(o.id());
                if (!m.opened) {
                    m.opened = true;
                    took(o);
                    listener.opened(o);
                }
            } else if (item instanceof Chunk || item instanceof StoredChunk) {
                Chunk c = chunkOf(item);
                if (mark(c.connectionId()).advance(c.seq() * 2)) {
                    seenUpTo = c.atNanos();
                    took(c);
                    ((CaptureRecord) item).deliverTo(listener); // a chunk, with where it is stored if known
                }
            } else if (item instanceof ConnectionEvent e) {
                if (mark(e.connectionId()).advance(e.seq() * 2 + 1)) {
                    seenUpTo = e.atNanos();
                    took(e);
                    listener.event(e);
                }
            } else if (item instanceof ConnectionClosed c) {
                Mark m = mark(c.id());
                if (!m.closed) {
                    m.closed = true;
                    took(c);
                    listener.closed(c);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("a capture listener ({}) failed; it keeps receiving: {}", listener, e.getMessage(), e);
            missed("it failed on a record: " + e.getMessage());
        }
    }

    /** Counts what the listener takes (the feed's thread alone writes the count). */
    private void took(Object item) {
        takenBytes += sizeOf(item);
    }

    private Mark mark(long connection) {
        return marks.computeIfAbsent(connection, k -> new Mark());
    }

    /**
     * Delivers what is left (catching up from the store if needed), then stops; waits up to
     * {@code timeoutMillis}, saying every few seconds how much is left when it is behind (after a
     * flood that can be minutes of work, and the user pressed Ctrl-C). The store must stay open
     * until this returns.
     */
    void close(long timeoutMillis) {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            for (long left = timeoutMillis; thread.isAlive() && left > 0;
                 left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
                thread.join(Math.min(left, CLOSE_PROGRESS_MS));
                if (thread.isAlive() && phase != ListenerState.Phase.LIVE && deadline - System.nanoTime() >= 1_000_000_000L) {
                    LOG.info("{} takes what it missed before stopping: {} MB to go (it stops in {} s at the latest)",
                            listener, behindBytes() / 1_000_000, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            return;
        }
        LOG.warn("{} stops {} MB short of the recording; the capture holds all of it", listener, behindBytes() / 1_000_000);
        missed(String.format("it stopped %,d MB short of the recording, after %d s of catching up", behindBytes() / 1_000_000,
                TimeUnit.MILLISECONDS.toSeconds(timeoutMillis)));
        // not interrupted: reading the store, that would close the payload file under everyone (NIO's interruptible channels)
        abandoned = true;
        try {
            thread.join(ABANDON_GRACE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} is stuck in the listener; it is left behind", listener);
        }
    }

    /** The listener this feeds. */
    CaptureSink listener() {
        return listener;
    }

    /** The first thing that made the listener miss part of the recording. */
    private synchronized void missed(String why) {
        if (missed == null) {
            missed = why;
        }
    }

    /**
     * Once {@link #close} returned: why the listener did not take every item of the recording
     * (and, from the start, of what the store held before it); empty if it took them all.
     */
    synchronized Optional<String> shortfall() {
        String why = missed;
        if (why != null) {
            return Optional.of(why);
        }
        return thread.isAlive() || !closing ? Optional.of("it was still taking the recording") : Optional.empty();
    }

    /** Unwinds the feed's thread once {@link #close} gave up waiting; no stack trace, it is no error. */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    /**
     * How fast the listener takes data while it catches up (delivering back to back, so its own
     * pace, not the traffic's): the best rate over a second of delivering. The best, not the
     * latest: taken during a flood, the latest would be what a starved listener managed and
     * would hold catch-up back long after the flood.
     */
    private static final class DeliveryRate {
        private long bytes;
        private long nanos;
        private long best;

        void timed(Object item, Consumer<Object> deliver) {
            long start = System.nanoTime();
            deliver.accept(item);
            bytes += sizeOf(item);
            nanos += System.nanoTime() - start;
            if (nanos >= TimeUnit.SECONDS.toNanos(1)) {
                best = Math.max(best, (long) (bytes * 1e9 / nanos));
                bytes = 0;
                nanos = 0;
            }
        }

        long best() {
            return best;
        }
    }

    /** What the listener saw of one connection: opened, the last chunk/event key (seq * 2 + 1 for an event), closed. */
    private static final class Mark {
        boolean opened;
        long last = Long.MIN_VALUE;
        boolean closed;

        boolean advance(long key) {
            if (key <= last) {
                return false;
            }
            last = key;
            return true;
        }
    }
}
