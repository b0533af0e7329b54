package dev.xmppscope.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the {@link PayloadLog}'s filled buffers on threads of their own, started in the order they
 * were submitted, so the recorder fills the next buffer while the disk takes the last: a direct
 * write returns only once the device has the bytes.
 *
 * <p>{@value #WRITERS} writes are in flight at a time. With one, the device idled from the end of
 * each write until its thread was back on a core, and on two cores busy relaying that wait was
 * long: relaying one connection with nothing masked (about 0.9 GB/s), the recorder fell 64 MiB
 * behind and the relay stopped reading a tenth of the time, where the disk alone takes 1.2 to
 * 1.9 GB/s; with two in flight it did not stop once in the same run. A write never starts while
 * one in flight covers any of its bytes: a buffer's first block may rewrite the previous buffer's
 * padded last block, and the older write landing last would put its zeros back.
 *
 * <p>Buffers are allocated on first use, up to {@value #BUFFERS}; when all of them are being
 * written, {@link #take()} waits, which is the backpressure of the disk on the recorder.
 */
final class PayloadWrites implements AutoCloseable {
    private static final int BUFFER = 1024 * 1024;
    private static final int WRITERS = 2;
    private static final int BUFFERS = 2 * WRITERS + 2;

    private final Path file;
    private final Device device;
    private final int alignment;
    // guarded by this
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final ArrayDeque<Write> queue = new ArrayDeque<>();
    private final List<Write> inFlight = new ArrayList<>(WRITERS);
    private int allocated;
    private long submitted;
    private long completed;
    private IOException failure;
    /** The failure was thrown to a caller: closing does not say it again. */
    private boolean reported;
    private boolean closed;
    private final List<Thread> threads = new ArrayList<>(WRITERS);

    private record Write(ByteBuffer buffer, long position, long end) {
        boolean overlaps(Write o) {
            return position < o.end && o.position < end;
        }
    }

    /** Where the bytes go: what a {@code FileChannel} does with {@code write(buffer, position)}. */
    @FunctionalInterface
    interface Device {
        int write(ByteBuffer buffer, long position) throws IOException;
    }

    PayloadWrites(Path file, Device device, int alignment) {
        this.file = file;
        this.device = device;
        this.alignment = alignment;
    }

    /** An empty buffer of {@value #BUFFER} bytes aligned for the device; waits while all buffers are being written. */
    synchronized ByteBuffer take() {
        while (free.isEmpty() && allocated == BUFFERS) {
            await();
        }
        failIfBroken();
        if (!free.isEmpty()) {
            return free.pop();
        }
        allocated++;
        return ByteBuffer.allocateDirect(BUFFER + alignment).alignedSlice(alignment);
    }

    /** Queues {@code buffer[0, limit)} to be written at {@code position}; the buffer belongs to this writer from now on. */
    synchronized void submit(ByteBuffer buffer, long position) {
        failIfBroken();
        while (threads.size() < WRITERS) {
            Thread t = new Thread(this::run, "xmppscope-payload-writer-" + (threads.size() + 1));
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        queue.add(new Write(buffer, position, position + buffer.remaining()));
        submitted++;
        notifyAll();
    }

    /** Waits until everything submitted so far is written; throws if a write failed. */
    synchronized void awaitWritten() {
        long target = submitted;
        while (completed < target && failure == null) {
            await();
        }
        failIfBroken();
    }

    private void run() {
        while (true) {
            Write w;
            synchronized (this) {
                while (!startable() && !(closed && queue.isEmpty())) {
                    await();
                }
                if (queue.isEmpty()) {
                    return;
                }
                w = queue.poll();
                inFlight.add(w);
            }
            IOException error = null;
            try {
                long at = w.position();
                while (w.buffer().hasRemaining()) {
                    at += device.write(w.buffer(), at);
                }
            } catch (IOException e) {
                error = e;
            }
            synchronized (this) {
                inFlight.removeIf(x -> x == w);
                free.push(w.buffer().clear());
                completed++;
                if (error != null && failure == null) {
                    failure = error;
                }
                notifyAll();
            }
        }
    }

    /** Whether the next write may start: nothing in flight covers any of its bytes. */
    private boolean startable() {
        Write next = queue.peek();
        return next != null && inFlight.stream().noneMatch(next::overlaps);
    }

    private void await() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureStoreException("interrupted while writing payload file " + file, e);
        }
    }

    private void failIfBroken() {
        if (failure != null) {
            reported = true;
            throw CaptureStoreException.of("cannot write payload file " + file, failure);
        }
    }

    /** Whether a write failed and a caller was told so. */
    synchronized boolean failureReported() {
        return reported;
    }

    /** Writes what is queued, then stops the threads; throws a write failure no caller was told of yet. */
    @Override
    public void close() {
        List<Thread> started;
        synchronized (this) {
            closed = true;
            notifyAll();
            started = List.copyOf(threads);
        }
        for (Thread t : started) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (!reported) {
                failIfBroken();
            }
        }
    }
}
