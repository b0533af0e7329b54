package dev.xmppscope.capture;

/**
 * A chunk as it was stored: with where its bytes are in the capture's payload file. The recorder
 * hands these to its listeners once committed, so that the live analysis indexes stanzas by
 * their place there, as an analysis of the stored capture does ({@link CaptureSink#storedChunk}).
 */
public record StoredChunk(Chunk chunk, StoredPayloads payloads, long position) implements CaptureRecord {

    @Override
    public void deliverTo(CaptureSink sink) {
        sink.storedChunk(chunk, payloads, position);
    }
}
