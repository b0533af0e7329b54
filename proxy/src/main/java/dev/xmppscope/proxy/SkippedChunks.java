package dev.xmppscope.proxy;

import dev.xmppscope.capture.Chunk;

/**
 * Chunks the {@link Recorder} wrote without holding them until their commit, because no
 * listener was taking chunks from memory (none, or all behind and catching up from the store):
 * what a {@link ListenerFeed} needs of them to catch up, without their bytes. Holding every
 * chunk of a commit interval kept up to a tenth of a second of a flood alive through the young
 * collections, which copied it each time and grew the heap.
 */
final class SkippedChunks {
    private long fromAtNanos = Long.MAX_VALUE;
    private long bytes;
    private long count;

    void add(Chunk c) {
        fromAtNanos = Math.min(fromAtNanos, c.atNanos());
        bytes += ListenerFeed.sizeOf(c);
        count++;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** The capture time of the earliest one. */
    long fromAtNanos() {
        return fromAtNanos;
    }

    /** Their size as a feed counts it. */
    long bytes() {
        return bytes;
    }

    long count() {
        return count;
    }
}
