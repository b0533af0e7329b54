package dev.xmppscope.capture;

/**
 * Receives what a capture is made of, in the order it happened on each connection. The proxy
 * produces these live, the store replays them, importers (capture files, pcap) produce them
 * too, so everything downstream is the same code whatever the source.
 */
public interface CaptureSink {

    void opened(ConnectionOpened connection);

    void chunk(Chunk chunk);

    void event(ConnectionEvent event);

    void closed(ConnectionClosed connection);

    /** Called when a batch of calls is complete (e.g. after each store flush); default: nothing. */
    default void flushed() {
    }
}
