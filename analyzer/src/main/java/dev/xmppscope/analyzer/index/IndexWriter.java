package dev.xmppscope.analyzer.index;

import dev.xmppscope.capture.BackgroundThreads;
import dev.xmppscope.capture.CaptureStoreException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.h2.mvstore.MVMap;

/**
 * Encodes and stores batches of stanzas on its own thread, so parsing the next chunks overlaps
 * with the writes. At most {@code MAX_QUEUED} batches wait; beyond that the ingest thread blocks
 * (memory stays bounded). A write failure is reported on the next call from the ingest side.
 */
final class IndexWriter implements AutoCloseable {
    private static final int MAX_QUEUED = 4;

    private final MVMap<Long, byte[]> timeline;
    private final StanzaPositions positions;
    private final NamespaceIds nsIds;
    private final String where;
    private final Consumer<List<IndexedStanza>> written;
    private final RecordBytes.Writer buffer = new RecordBytes.Writer();
    private final ExecutorService thread;
    private final Semaphore slots = new Semaphore(MAX_QUEUED);
    private volatile RuntimeException failure;
    /** The failure was thrown to the ingest side once: closing does not say it again. */
    private volatile boolean reported;

    IndexWriter(MVMap<Long, byte[]> timeline, StanzaPositions positions, NamespaceIds nsIds, String where,
                boolean background, Consumer<List<IndexedStanza>> written) {
        this.thread = Executors.newSingleThreadExecutor(
                r -> BackgroundThreads.newThread("xmppscope-index-writer", r, background));
        this.timeline = timeline;
        this.positions = positions;
        this.nsIds = nsIds;
        this.where = where;
        this.written = written;
    }

    /** Queues a batch for writing; blocks while {@code MAX_QUEUED} batches are already waiting. */
    void submit(List<IndexedStanza> batch) {
        checkFailure();
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureStoreException("interrupted while queueing stanzas for the index in " + where, e);
        }
        thread.execute(() -> {
            try {
                if (failure == null) {
                    write(batch);
                    written.accept(batch);
                }
            } catch (RuntimeException e) {
                failure = CaptureStoreException.of("cannot write stanzas to the index in " + where, e);
            } finally {
                slots.release();
            }
        });
    }

    /** Returns once every batch submitted so far is stored (and visible to queries). */
    void awaitWritten() {
        try {
            thread.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureStoreException("interrupted while waiting for the index writer of " + where, e);
        } catch (ExecutionException e) {
            throw new CaptureStoreException("the index writer of " + where + " failed: " + e.getCause(), e.getCause());
        }
        checkFailure();
    }

    /** Throws the write failure, if any: a fresh exception each time, as one call may suppress another's. */
    private void checkFailure() {
        RuntimeException f = failure;
        if (f != null) {
            reported = true;
            throw new CaptureStoreException(f.getMessage(), f);
        }
    }

    /**
     * Appends each stanza to the timeline under the next sequence number and files its position.
     * Another analyzer of the same capture in this JVM (a replay beside the live view) writes the
     * same maps: the lock keeps sequence numbers unique, and a stanza it already filed is skipped.
     * Positions are filed after the records: a reader that finds one finds its record.
     */
    private void write(List<IndexedStanza> batch) {
        byte[][] records = new byte[batch.size()][];
        for (int i = 0; i < records.length; i++) {
            records[i] = StanzaRecord.encode(batch.get(i), buffer, nsIds);
        }
        synchronized (timeline) {
            Long last = timeline.lastKey();
            long next = last == null ? 0 : last + 1;
            StanzaPositions.Batch filed = positions.newBatch();
            for (int i = 0; i < records.length; i++) {
                long pk = batch.get(i).pk();
                if (filed.wanted(pk)) {
                    // keys only grow and the lock keeps writers apart, as append requires; readers
                    // see the buffered entries (MVMap flushes the buffer before any read)
                    timeline.append(next, records[i]);
                    filed.add(pk, next++);
                }
            }
            filed.file();
            positions.filedThrough(next - 1);
        }
    }

    /** Waits for what was submitted, then stops; throws a write failure not yet reported to a caller. */
    @Override
    public void close() {
        try {
            if (!reported) {
                awaitWritten();
            }
        } finally {
            thread.shutdown();
        }
    }
}
