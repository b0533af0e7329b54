package dev.xmppscope.capture;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** The capture database could not be opened, read or written; the message says which file and why. */
public class CaptureStoreException extends RuntimeException {
    public CaptureStoreException(String message, Throwable cause) {
        super(message, cause);
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
        return e.getMessage();
    }
}
