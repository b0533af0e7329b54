package dev.xmppscope.capture;

import java.util.function.Consumer;

/**
 * Receives what a capture is made of, in the order it happened on each connection. The proxy
 * produces these live, the store replays them, importers (capture files, pcap) produce them
 * too, so everything downstream is the same code whatever the source.
 */
public interface CaptureSink {

    void opened(ConnectionOpened connection);

    void chunk(Chunk chunk);

    /**
     * A chunk replayed from a capture store, with where its bytes lie in that store's payload
     * file: a sink that can point at them instead of keeping a copy (the analysis index) takes
     * them here. Default: {@link #chunk}.
     */
    default void storedChunk(Chunk chunk, StoredPayloads payloads, long position) {
        chunk(chunk);
    }

    void event(ConnectionEvent event);

    void closed(ConnectionClosed connection);

    /** Called when a batch of calls is complete (e.g. after each store flush); default: nothing. */
    default void flushed() {
    }

    /**
     * Whether it looks at chunks at all (default: yes). A recorder listener that does not (the
     * proxy's connection log) is not handed them: they only filled its queue, and a flood that put
     * it behind (its thread runs at idle priority) had it read every byte back from the store to
     * ignore them.
     */
    default boolean takesChunks() {
        return true;
    }

    /** A sink that hands each chunk to {@code chunks} and ignores connections and events. */
    static CaptureSink ofChunks(Consumer<Chunk> chunks) {
        return new CaptureSink() {
            @Override
            public void opened(ConnectionOpened connection) {
            }

            @Override
            public void chunk(Chunk chunk) {
                chunks.accept(chunk);
            }

            @Override
            public void event(ConnectionEvent event) {
            }

            @Override
            public void closed(ConnectionClosed connection) {
            }
        };
    }

    /** A sink that drops everything it is given. */
    static CaptureSink discarding() {
        return ofChunks(chunk -> { });
    }
}
