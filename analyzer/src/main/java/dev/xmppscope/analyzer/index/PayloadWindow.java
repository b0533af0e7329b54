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

    /** Where the bytes come from: up to {@code length} bytes at {@code position}, fewer where the file ends. */
    interface Source {
        byte[] readUpTo(long position, int length);
    }

    private final Source payloads;
    private byte[] window = new byte[0];
    private long start = -1;

    PayloadWindow(StoredPayloads payloads) {
        this(payloads::readUpTo);
    }

    PayloadWindow(Source payloads) {
        this.payloads = payloads;
    }

    /** The {@code length} bytes at {@code position}, or null when the file ends before them. */
    byte[] read(long position, int length) {
        if (start < 0 || position < start || position + length > start + window.length) {
            int size = Math.max(WINDOW, length);
            // a scan against time order (the newest page, "Load earlier") meets the stanzas backwards in
            // the file: its window ends with this one, where a window starting at each stanza read
            // 256 KiB per stanza, and a search back from the newest page ran 30 times slower than forwards
            start = start >= 0 && position < start ? Math.max(0, position + length - size) : position;
            window = payloads.readUpTo(start, size);
        }
        int from = (int) (position - start);
        return from + length > window.length ? null : Arrays.copyOfRange(window, from, from + length);
    }
}
