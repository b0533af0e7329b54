package dev.xmppscope.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the reading of a capture (and whatever part of its processing goes with it) on a thread of
 * its own, and hands what it produces to the calling thread in batches: a bulk analysis then
 * reads and parses on one core while its model runs on the other. At most {@value #QUEUED}
 * batches wait, so memory stays bounded whatever the capture's size. A failure on either side
 * ends both: the taking side's stops the reading, the reading side's is thrown to the caller once
 * what was read before it has been taken.
 */
public final class ReadAhead {
    private static final int QUEUED = 4;
    private static final int BATCH_ITEMS = 128;
    private static final int BATCH_BYTES = 256 << 10;

    /** Where the reading side puts what it produced, in order. */
    public interface Items {
        /** Adds {@code item}, which holds about {@code bytes} bytes (batches are cut by count and by bytes). */
        void add(Object item, int bytes);
    }

    /** Ends the stream of batches: the reading ended, with this failure or (null) none. */
    private record End(RuntimeException failure) {
    }

    /** The reading side stopped because the taking side failed. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED);
    private volatile boolean cancelled;

    private ReadAhead() {
    }

    /**
     * Runs {@code read} on a reading thread named after {@code what}; each item it adds is given
     * to {@code take} on this thread, in order. Returns when both are done.
     */
    public static void run(String what, Consumer<Items> read, Consumer<Object> take) {
        ReadAhead r = new ReadAhead();
        Thread reader = new Thread(() -> r.produce(read), "xmppscope-read-ahead " + what);
        reader.setDaemon(true);
        reader.start();
        try {
            r.consume(take);
        } catch (RuntimeException | Error e) {
            r.cancelled = true;
            r.queue.clear(); // frees a reader waiting to put
            throw e;
        } finally {
            joinUninterruptibly(reader);
        }
    }

    private void produce(Consumer<Items> read) {
        Batcher batcher = new Batcher();
        RuntimeException failure = null;
        try {
            try {
                read.accept(batcher);
            } catch (Cancelled e) {
                throw e;
            } catch (RuntimeException e) {
                failure = e; // what was read before it is taken first, as a plain replay would have given it
            }
            batcher.send();
            put(new End(failure));
        } catch (Cancelled e) {
            // the taking side failed, and says so itself
        }
    }

    private void consume(Consumer<Object> take) {
        while (true) {
            Object taken = take();
            if (taken instanceof End end) {
                if (end.failure() != null) {
                    throw end.failure();
                }
                return;
            }
            @SuppressWarnings("unchecked")
            List<Object> batch = (List<Object>) taken;
            for (Object item : batch) {
                take.accept(item);
            }
        }
    }

    /** Puts on the queue, waiting for room; gives up (unwinding the reading) once the taking side failed. */
    private void put(Object o) {
        try {
            while (!queue.offer(o, 50, TimeUnit.MILLISECONDS)) {
                if (cancelled) {
                    throw new Cancelled();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancelled();
        }
    }

    private Object take() {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureStoreException("interrupted while reading the capture", e);
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Collects items into batches and queues each full one. */
    private final class Batcher implements Items {
        private List<Object> batch = new ArrayList<>(BATCH_ITEMS);
        private long bytes;

        @Override
        public void add(Object item, int size) {
            if (cancelled) {
                throw new Cancelled();
            }
            batch.add(item);
            bytes += size;
            if (batch.size() >= BATCH_ITEMS || bytes >= BATCH_BYTES) {
                send();
            }
        }

        void send() {
            if (!batch.isEmpty()) {
                put(batch);
                batch = new ArrayList<>(BATCH_ITEMS);
                bytes = 0;
            }
        }
    }
}
