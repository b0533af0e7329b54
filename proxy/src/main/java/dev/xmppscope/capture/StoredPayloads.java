package dev.xmppscope.capture;

import java.nio.file.Path;

/**
 * Reads the bytes of a capture's chunks where its payload file holds them
 * ({@link CaptureStore#payloadFile}). The analysis index keeps, for a stanza read from a stored
 * chunk, where its bytes are instead of a copy of them: the copy made the index as large as the
 * capture and compressing it was a third of an analysis's CPU. The file is only ever appended to,
 * so a position handed out stays valid for the life of the capture.
 */
public final class StoredPayloads implements AutoCloseable {
    private final Path file;
    private PayloadLog log; // opened on the first read when not a store's own
    /** Whether this opens the file itself (and so closes it), rather than reading through a store's. */
    private final boolean opensItsFile;

    private StoredPayloads(Path file, PayloadLog log) {
        this.file = file;
        this.log = log;
        this.opensItsFile = log == null;
    }

    /** The payloads of an open store, through its own file handle. */
    static StoredPayloads of(PayloadLog log) {
        return new StoredPayloads(log.file(), log);
    }

    /**
     * The payloads of the capture at {@code capture} (its database path or base path), opened for
     * reading on the first read: for a process that holds the capture's analysis file but not its
     * database (the live analysis worker).
     */
    public static StoredPayloads openReadOnly(Path capture) {
        return new StoredPayloads(CaptureStore.payloadFile(capture), null);
    }

    /** The {@code length} bytes at {@code position}, or null when the file ends before them. */
    public byte[] read(long position, int length) {
        return log().read(position, length);
    }

    /** Up to {@code length} bytes at {@code position}: fewer where the file ends before them. */
    public byte[] readUpTo(long position, int length) {
        return log().readUpTo(position, length);
    }

    private synchronized PayloadLog log() {
        if (log == null) {
            log = PayloadLog.openReadOnly(file);
        }
        return log;
    }

    /** Closes the file if this opened it (a store closes its own). */
    @Override
    public synchronized void close() {
        if (opensItsFile && log != null) {
            log.close();
        }
    }
}
