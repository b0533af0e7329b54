package dev.xmppscope.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The append-only file that holds chunk bytes next to the H2 database ({@code PATH.payloads}).
 *
 * <p>Why not BLOBs in H2: measured on loopback, H2 alone stored 64 KiB rows at 38–77 MB/s, so
 * recording throttled the relay; appending to a plain file keeps up and H2 keeps only small
 * index rows. Bytes are written before the rows that point at them are committed, so a committed
 * row never points past the file's end unless the OS itself lost data (then the chunk is skipped
 * as a torn tail, see {@link #read}). Bytes written but never committed (a kill between the two
 * writes) are unreferenced garbage, never misread.
 */
final class PayloadLog implements AutoCloseable {
    private static final int BUFFER = 256 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer pending = ByteBuffer.allocateDirect(BUFFER);
    private long pendingStart;
    private long end;

    PayloadLog(Path file) {
        this.file = file;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            end = channel.size();
            pendingStart = end;
        } catch (IOException e) {
            throw new CaptureStoreException("cannot open payload file " + file + ": " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    /** Appends {@code bytes} and returns the position they will be found at once {@link #flush()}ed. */
    synchronized long append(byte[] bytes) {
        long position = end;
        try {
            if (bytes.length > pending.remaining()) {
                writePending();
            }
            if (bytes.length >= BUFFER) {
                writeFully(ByteBuffer.wrap(bytes), position);
                pendingStart = position + bytes.length;
            } else {
                pending.put(bytes);
            }
        } catch (IOException e) {
            throw new CaptureStoreException("cannot append to payload file " + file + ": " + e.getMessage(), e);
        }
        end += bytes.length;
        return position;
    }

    /** Hands everything appended so far to the OS (it survives a process kill from here on). */
    synchronized void flush() {
        try {
            writePending();
        } catch (IOException e) {
            throw new CaptureStoreException("cannot write payload file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code length} bytes at {@code position}, or returns null when the file ends before
     * them (a torn tail after a crash of the machine).
     */
    byte[] read(long position, int length) {
        byte[] out = new byte[length];
        ByteBuffer buf = ByteBuffer.wrap(out);
        try {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, position + buf.position());
                if (n < 0) {
                    return null;
                }
            }
        } catch (IOException e) {
            throw new CaptureStoreException("cannot read payload file " + file + " at " + position + ": " + e.getMessage(), e);
        }
        return out;
    }

    private void writePending() throws IOException {
        pending.flip();
        writeFully(pending, pendingStart);
        pending.clear();
        pendingStart = end;
    }

    private void writeFully(ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            at += channel.write(buf, at);
        }
    }

    @Override
    public synchronized void close() {
        try {
            writePending();
            channel.close();
        } catch (IOException e) {
            throw new CaptureStoreException("cannot close payload file " + file + ": " + e.getMessage(), e);
        }
    }
}
