package dev.xmppscope.capture;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** The capture database could not be opened, read or written; the message says which file and why. */
public class CaptureStoreException extends RuntimeException {
    /** The operating system's words for ENOSPC, which is worth a plainer hint. */
    private static final String NO_SPACE = "No space left on device";

    public CaptureStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "{@code what}: why", the why found in {@code cause} by {@link #reason}. */
    public static CaptureStoreException of(String what, Throwable cause) {
        return new CaptureStoreException(what + ": " + reason(cause), cause);
    }

    /**
     * Why a storage call failed, in words: the operating system's reason when an I/O error is among
     * the causes (H2 wraps it in messages about its own classes: "Writing to
     * sun.nio.ch.FileChannelImpl@5d82071f failed; length 8192 at 16384"), else the failure's message.
     */
    public static String reason(Throwable failure) {
        IOException innermost = ioCause(failure);
        if (innermost == null) {
            return failure.getMessage() != null ? failure.getMessage() : failure.toString();
        }
        String why = why(innermost);
        return NO_SPACE.equals(why) ? why + " (the disk is full)" : why;
    }

    /** Whether a failure came from the file system (an I/O error among its causes), not from a bug. */
    public static boolean fromFiles(Throwable failure) {
        return ioCause(failure) != null;
    }

    private static IOException ioCause(Throwable failure) {
        IOException innermost = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException io) {
                innermost = io;
            }
        }
        return innermost;
    }

    /** Whether a failure came from a full disk. */
    public static boolean diskFull(Throwable failure) {
        return reason(failure).startsWith(NO_SPACE);
    }

    /** Why an I/O call failed, in words: NIO's file exceptions carry only the file's name as their message. */
    static String why(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof EOFException && e.getMessage() == null) {
            return "the file ends before the data it should hold (it was not written whole: a full disk does that)";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
