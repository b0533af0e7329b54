package dev.xmppscope.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * Writes the {@link PayloadLog}'s filled buffers on a thread of its own, in the order they were
 * submitted, so the recorder fills the next buffer while the disk takes the last: a direct write
 * returns only once the device has the bytes. (Measured while the redactor still ran on the
 * recorder thread, this gained nothing, the thread being busy; with redaction moved to the event
 * loops the recorder mostly copies and writes, where not waiting on the device should count.)
 *
 * <p>Buffers are allocated on first use, up to {@value #BUFFERS}; when all of them are being
 * written, {@link #take()} waits, which is the backpressure of the disk on the recorder.
 */
final class PayloadWrites implements AutoCloseable {
    private static final int BUFFER = 1024 * 1024;
    private static final int BUFFERS = 4;

    private final Path file;
    private final FileChannel channel;
    private final int alignment;
    // guarded by this
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final ArrayDeque<Write> queue = new ArrayDeque<>();
    private int allocated;
    private long submitted;
    private long completed;
    private IOException failure;
    /** The failure was thrown to a caller: closing does not say it again. */
    private boolean reported;
    private boolean closed;
    private Thread thread;

    private record Write(ByteBuffer buffer, long position) {
    }

    PayloadWrites(Path file, FileChannel channel, int alignment) {
        this.file = file;
        this.channel = channel;
        this.alignment = alignment;
    }

    /** An empty buffer of {@value #BUFFER} bytes aligned for the channel; waits while all buffers are being written. */
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
        if (thread == null) {
            thread = new Thread(this::run, "xmppscope-payload-writer");
            thread.setDaemon(true);
            thread.start();
        }
        queue.add(new Write(buffer, position));
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
                while (queue.isEmpty() && !closed) {
                    await();
                }
                if (queue.isEmpty()) {
                    return;
                }
                w = queue.peek();
            }
            IOException error = null;
            try {
                long at = w.position();
                while (w.buffer().hasRemaining()) {
                    at += channel.write(w.buffer(), at);
                }
            } catch (IOException e) {
                error = e;
            }
            synchronized (this) {
                queue.remove();
                free.push(w.buffer().clear());
                completed++;
                if (error != null && failure == null) {
                    failure = error;
                }
                notifyAll();
            }
        }
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

    /** Writes what is queued, then stops the thread; throws a write failure no caller was told of yet. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            notifyAll();
            t = thread;
        }
        if (t != null) {
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
