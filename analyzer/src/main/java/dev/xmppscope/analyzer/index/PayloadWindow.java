package dev.xmppscope.analyzer.index;

import dev.xmppscope.capture.StoredPayloads;
import java.util.Arrays;

/**
 * Reads the XML of the stanzas one scan of the timeline meets from the payload file, a window of
 * {@value #WINDOW} bytes at a time: they lie there nearly in the order the scan meets them, and a
 * read per stanza made a search of the XML's text twice as slow as when the index held copies.
 * One per scan, on its thread.
 */
final class PayloadWindow {
    private static final int WINDOW = 256 << 10;

    private final StoredPayloads payloads;
    private byte[] window = new byte[0];
    private long start = -1;

    PayloadWindow(StoredPayloads payloads) {
        this.payloads = payloads;
    }

    /** The {@code length} bytes at {@code position}, or null when the file ends before them. */
    byte[] read(long position, int length) {
        if (start < 0 || position < start || position + length > start + window.length) {
            start = position;
            window = payloads.readUpTo(position, Math.max(WINDOW, length));
        }
        int from = (int) (position - start);
        return from + length > window.length ? null : Arrays.copyOfRange(window, from, from + length);
    }
}
