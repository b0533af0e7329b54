package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaSummary;
import java.nio.charset.StandardCharsets;

/**
 * A stanza as the index stores it: the timeline summary plus the comparison forms of its
 * addresses (effective: a c2s stanza without {@code from} is from the stream's bound JID), the
 * TLS layer, any error condition, the route it joined and the XML, kept as the UTF-8 bytes it was
 * recorded as (or null when not loaded). Being an array, the XML takes part in {@code equals} by
 * reference only.
 *
 * @param fromBare   {@code fromKey} without its resource (the index stores only the full form)
 * @param toBare     {@code toKey} without its resource
 * @param routeFirst the row key of the first hop of the route this stanza joined as a later hop
 *                   (the route archive files routes under their first hop), or -1
 */
public record IndexedStanza(long pk, int directionIndex, StanzaSummary summary, String fromKey, String toKey,
                            String fromBare, String toBare, int layer, String error, long routeFirst, byte[] xmlUtf8) {

    /** This stanza as a later hop of the route filed under {@code firstHopKey}. */
    public IndexedStanza withRouteFirst(long firstHopKey) {
        return new IndexedStanza(pk, directionIndex, summary, fromKey, toKey, fromBare, toBare, layer, error, firstHopKey,
                xmlUtf8);
    }

    /** The XML as text, or null when it was not loaded. */
    public String xml() {
        return xmlUtf8 == null ? null : new String(xmlUtf8, StandardCharsets.UTF_8);
    }
}
