package dev.xmppscope.proxy;

/**
 * Implemented by a capture sink that can fall behind (the {@link Recorder}): the proxy pauses
 * reading from both peers of a connection while the sink is behind, so recording never drops
 * data and never grows without bound. TCP flow control then slows the peers down.
 */
public interface RecordingBackpressure {

    /** True while the sink holds more unwritten data than it wants. */
    boolean isBehind();

    /** Runs {@code resume} once the sink has caught up (at once, on the caller's thread, if it is not behind). */
    void whenCaughtUp(Runnable resume);
}
