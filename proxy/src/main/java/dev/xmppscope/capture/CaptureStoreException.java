package dev.xmppscope.capture;

/** The capture database could not be opened, read or written; the message says which file and why. */
public class CaptureStoreException extends RuntimeException {
    public CaptureStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
