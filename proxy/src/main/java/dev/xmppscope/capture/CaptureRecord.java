package dev.xmppscope.capture;

/**
 * One of the four things a capture is made of (a chunk also as it was stored, {@link StoredChunk}).
 * Code that queues or stores them generically (the recorder, listener feeds, replay timelines)
 * hands one back to a {@link CaptureSink} with {@link #deliverTo} instead of dispatching on its type.
 */
public sealed interface CaptureRecord permits ConnectionOpened, Chunk, StoredChunk, ConnectionEvent,
        ConnectionClosed {

    /** Calls the sink method for this kind of record. */
    void deliverTo(CaptureSink sink);
}
