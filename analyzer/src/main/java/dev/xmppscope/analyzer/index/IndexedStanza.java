package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaSummary;
import java.nio.charset.StandardCharsets;

/**
 * A stanza as the index stores it: the timeline summary plus the comparison forms of its
 * addresses (effective: a c2s stanza without {@code from} is from the stream's bound JID), the
 * TLS layer, any error condition and the XML, kept as the UTF-8 bytes it was recorded as (or null
 * when not loaded). Being an array, the XML takes part in {@code equals} by reference only.
 */
public record IndexedStanza(long pk, int directionIndex, StanzaSummary summary, String fromKey, String toKey,
                            String fromBare, String toBare, int layer, String error, byte[] xmlUtf8) {

    /** The XML as text, or null when it was not loaded. */
    public String xml() {
        return xmlUtf8 == null ? null : new String(xmlUtf8, StandardCharsets.UTF_8);
    }
}
