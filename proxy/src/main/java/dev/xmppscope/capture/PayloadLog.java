package dev.xmppscope.capture;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only file that holds chunk bytes next to the H2 database ({@code PATH.payloads}).
 *
 * <p>Why not BLOBs in H2: measured on loopback, H2 alone stored 64 KiB rows at 38–77 MB/s, so
 * recording throttled the relay; appending to a plain file keeps up and H2 keeps only small
 * index rows. Bytes are written before the rows that point at them are committed, so a committed
 * row never points past the file's end unless the OS itself lost data (then the chunk is skipped
 * as a torn tail, see {@link #read}). Bytes written but never committed (a kill between the two
 * writes) are unreferenced garbage, never misread.
 *
 * <p>Writes bypass the page cache (O_DIRECT) where the file system allows it: profiled under
 * load, copying the recording into the page cache took half of the recorder thread, the thread
 * that bounds how fast the proxy can relay while it records. Direct writes must cover whole
 * blocks at block-aligned positions, so the buffer always starts at a block boundary, a flush
 * writes the partial last block padded with zeros, and the next flush rewrites that block with
 * the bytes appended since. Padding is beyond every position handed out, so it is never read;
 * {@link #close()} cuts it off. Reads go through a second, ordinary channel. Filled buffers are
 * written in the background ({@link PayloadWrites}); {@link #flush()} waits for them.
 */
final class PayloadLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PayloadLog.class);
    /** How often one read reopens a channel that interrupts closed under it before it gives up. */
    private static final int MAX_REOPENS = 100;

    private final Path file;
    /** Reopened when an interrupted reader closed it (see {@link #read}); guarded by {@code readsLock}. */
    private FileChannel reads;
    private final Object readsLock = new Object();
    private boolean closed; // guarded by readsLock
    private final FileChannel writes; // null when read-only
    private final boolean direct;
    private final int block; // alignment of direct writes; 1 when writes are buffered
    private final PayloadWrites background; // null when read-only
    private ByteBuffer pending; // holds the file's bytes [pendingStart, end); taken on the first append
    private long pendingStart;
    private long end;

    /** Opens (or creates) the log, writing directly to the device where the file system allows it. */
    static PayloadLog open(Path file) {
        return new PayloadLog(file, true);
    }

    /** Opens an existing log for reading only (a capture its user may not write). */
    static PayloadLog openReadOnly(Path file) {
        return new PayloadLog(file);
    }

    private PayloadLog(Path file) {
        this.file = file;
        try {
            reads = FileChannel.open(file, StandardOpenOption.READ);
            end = reads.size();
        } catch (IOException e) {
            throw new CaptureStoreException("cannot open payload file " + file + ": " + CaptureStoreException.why(e), e);
        }
        writes = null;
        direct = false;
        block = 1;
        background = null;
    }

    PayloadLog(Path file, boolean tryDirect) {
        this.file = file;
        FileChannel directWrites = null;
        try {
            OwnerOnly.createFile(file);
            reads = FileChannel.open(file, StandardOpenOption.READ);
            end = reads.size();
            directWrites = tryDirect ? openDirect(file) : null;
            // never the readers' channel: an interrupted reader closes that one (and recording would stop)
            writes = directWrites != null ? directWrites : FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new CaptureStoreException("cannot open payload file " + file + ": " + CaptureStoreException.why(e), e);
        }
        direct = directWrites != null;
        block = direct ? blockSize(file) : 1;
        background = new PayloadWrites(file, writes::write, block);
        pendingStart = end - end % block;
    }

    private static FileChannel openDirect(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("payload file {} is written through the page cache: its file system refuses direct I/O ({})", file, e.getMessage());
            return null;
        }
    }

    private static int blockSize(Path file) {
        try {
            return Math.toIntExact(Files.getFileStore(file).getBlockSize());
        } catch (IOException e) {
            throw CaptureStoreException.of("cannot read the block size of " + file, e);
        }
    }

    /** The buffer to append to; a reopened log may end inside a block, whose head goes back in to be rewritten whole. */
    private ByteBuffer pending() {
        if (pending == null) {
            byte[] head = read(pendingStart, (int) (end - pendingStart));
            if (head == null) {
                throw new CaptureStoreException("cannot read the end of payload file " + file + ": it shrank while open", null);
            }
            pending = background.take().put(head);
        }
        return pending;
    }

    Path file() {
        return file;
    }

    /** True when writes bypass the page cache. */
    boolean direct() {
        return direct;
    }

    /**
     * The bytes the log holds, appended or found: the file's size once {@link #close()}d, which may
     * be larger while it is open (the zeros padding a direct write's last block).
     */
    synchronized long size() {
        return end;
    }

    /** Appends {@code bytes} and returns the position they will be found at once {@link #flush()}ed. */
    synchronized long append(byte[] bytes) {
        if (writes == null) {
            throw new CaptureStoreException("payload file " + file + " is open read-only", null);
        }
        long position = end;
        int off = 0;
        while (off < bytes.length) {
            ByteBuffer buf = pending();
            int n = Math.min(buf.remaining(), bytes.length - off);
            buf.put(bytes, off, n);
            off += n;
            if (!buf.hasRemaining()) {
                submitPending();
            }
        }
        end += bytes.length;
        return position;
    }

    /** Hands everything appended so far to the OS (it survives a process kill from here on). */
    synchronized void flush() {
        if (pending != null && pending.position() > 0) {
            submitPending();
        }
        if (background != null) {
            background.awaitWritten();
        }
    }

    /**
     * Reads {@code length} bytes at {@code position}, or returns null when the file ends before
     * them (a torn tail after a crash of the machine).
     */
    byte[] read(long position, int length) {
        return read(position, length, false);
    }

    /** Up to {@code length} bytes at {@code position}: fewer where the file ends before them. */
    byte[] readUpTo(long position, int length) {
        return read(position, length, true);
    }

    private byte[] read(long position, int length, boolean upTo) {
        byte[] out = new byte[length];
        // NIO closes a channel when a thread blocked in it is interrupted, for every thread sharing it:
        // one interrupted reader (a web request cut short, a listener stopped) took the store down.
        // So the read runs with the interrupt put aside, and a channel closed that way is reopened.
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 0; ; attempt++) {
                FileChannel channel = readChannel();
                try {
                    return readFully(channel, out, position, upTo);
                } catch (ClosedChannelException e) {
                    interrupted |= Thread.interrupted();
                    // interrupted again while it retried (this or another reader): reopen again, within reason
                    if (attempt >= MAX_REOPENS) {
                        throw e;
                    }
                    reopenReads(channel);
                }
            }
        } catch (IOException e) {
            throw CaptureStoreException.of("cannot read payload file " + file + " at " + position, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@code out} filled from {@code position}; when the file ends before it is full, null, or
     * (if {@code upTo}) what there was.
     */
    private static byte[] readFully(FileChannel channel, byte[] out, long position, boolean upTo) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(out);
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                return upTo ? Arrays.copyOf(out, buf.position()) : null;
            }
        }
        return out;
    }

    private FileChannel readChannel() throws ClosedChannelException {
        synchronized (readsLock) {
            if (closed) {
                throw new ClosedChannelException();
            }
            return reads;
        }
    }

    /** Replaces {@code broken} (closed under a reader) unless another reader did already. */
    private void reopenReads(FileChannel broken) throws IOException {
        synchronized (readsLock) {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (reads == broken) {
                reads = FileChannel.open(file, StandardOpenOption.READ);
            }
        }
    }

    /**
     * Hands the buffer to the background writer in whole blocks (the last one padded with zeros);
     * its partial last block, if any, starts the next buffer, to be rewritten with what follows.
     */
    private void submitPending() {
        int filled = pending.position();
        int whole = filled - filled % block;
        int padded = filled == whole ? whole : whole + block;
        ByteBuffer next = background.take();
        next.put(0, pending, whole, filled - whole).position(filled - whole);
        for (int i = filled; i < padded; i++) {
            pending.put(i, (byte) 0);
        }
        background.submit(pending.position(0).limit(padded), pendingStart);
        pending = next;
        pendingStart += whole;
    }

    /** Writes what is pending and cuts off the zeros that padded the last block. */
    @Override
    public synchronized void close() {
        FileChannel r;
        synchronized (readsLock) {
            closed = true;
            r = reads;
        }
        try (r; FileChannel w = writes; background) {
            if (background != null && background.failureReported()) {
                return; // the writer was told when a write failed; the file keeps what was written before
            }
            flush();
            if (w != null && w.size() > end) {
                w.truncate(end);
            }
        } catch (IOException e) {
            throw CaptureStoreException.of("cannot close payload file " + file, e);
        }
    }
}
