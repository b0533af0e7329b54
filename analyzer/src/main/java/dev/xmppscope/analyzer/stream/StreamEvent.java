package dev.xmppscope.analyzer.stream;

import dev.xmppscope.analyzer.xml.StreamHeader;
import dev.xmppscope.analyzer.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a {@link StreamParser} found in the bytes fed to it. Offsets are byte offsets within the
 * parser's (direction, TLS layer) stream; {@code at} is the time of the chunk that completed it.
 */
public sealed interface StreamEvent {

    long offset();

    long at();

    /** The stream header, or a new one after a restart (SASL success, or a new TLS layer's first). */
    record StreamOpened(StreamHeader header, boolean restart, long offset, int size, byte[] bytes, int from, long at)
            implements StreamEvent {
        public String xml() {
            return new String(bytes, from, size, StandardCharsets.UTF_8);
        }

        /** A copy of the header's bytes. */
        public byte[] xmlBytes() {
            return Arrays.copyOfRange(bytes, from, from + size);
        }
    }

    /** A complete top-level element (stanza or nonza) with its exact bytes. */
    record ElementParsed(XmlElement element, long offset, int size, byte[] bytes, int from, long at)
            implements StreamEvent {
        public String xml() {
            return new String(bytes, from, size, StandardCharsets.UTF_8);
        }

        /** A copy of the element's bytes. */
        public byte[] xmlBytes() {
            return Arrays.copyOfRange(bytes, from, from + size);
        }
    }

    /** {@code </stream:stream>}. */
    record StreamClosed(long offset, int size, long at) implements StreamEvent {
    }

    /** The stream cannot be parsed from {@code offset} on; {@code reason} says why. Happens once. */
    record StreamFailed(long offset, String reason, long at) implements StreamEvent {
        /** "unparseable from offset N: reason". */
        public String message() {
            return "unparseable from offset " + offset + ": " + reason;
        }
    }

    /**
     * Bytes not parsed: from a failure on, or passed over after a gap to where the stream could be
     * parsed again. {@code head} holds those of them that came in earlier chunks (an element that
     * began there and failed in this one), up to a few KiB; empty when they all came in this chunk.
     * {@code at} is when the first of them came; {@code why} says why they were not parsed, or is
     * null when an earlier {@link StreamFailed} does.
     */
    record Unparsed(long offset, int size, long at, byte[] head, String why) implements StreamEvent {
        public Unparsed(long offset, int size, long at, byte[] head) {
            this(offset, size, at, head, null);
        }

        public Unparsed(long offset, int size, long at) {
            this(offset, size, at, new byte[0], null);
        }
    }
}
