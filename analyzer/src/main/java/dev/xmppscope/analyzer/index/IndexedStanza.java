package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaSummary;
import java.nio.charset.StandardCharsets;

/**
 * A stanza as the index stores it: the timeline summary plus the comparison forms of its
 * addresses (effective: a c2s stanza without {@code from} is from the stream's bound JID), the
 * TLS layer, any error condition, the route it joined and the XML, as the UTF-8 bytes it was
 * recorded as: a copy, or where they are in the capture's payload file (read back when asked
 * for), or null when not loaded. Being an array, the XML takes part in {@code equals} by
 * reference only.
 *
 * @param fromBare   {@code fromKey} without its resource (the index stores only the full form)
 * @param toBare     {@code toKey} without its resource
 * @param routeFirst the row key of the first hop of the route this stanza joined as a later hop
 *                   (the route archive files routes under their first hop), or -1
 * @param xmlAt      where the XML's {@code summary.size()} bytes are in the capture's payload file,
 *                   or -1 when {@code xmlUtf8} is the copy kept
 */
public record IndexedStanza(long pk, int directionIndex, StanzaSummary summary, String fromKey, String toKey,
                            String fromBare, String toBare, int layer, String error, long routeFirst, byte[] xmlUtf8,
                            long xmlAt) {

    /** This stanza as a later hop of the route filed under {@code firstHopKey}. */
    public IndexedStanza withRouteFirst(long firstHopKey) {
        return new IndexedStanza(pk, directionIndex, summary, fromKey, toKey, fromBare, toBare, layer, error, firstHopKey,
                xmlUtf8, xmlAt);
    }

    /** This stanza with its XML read back from the payload file. */
    IndexedStanza withXml(byte[] xml) {
        return new IndexedStanza(pk, directionIndex, summary, fromKey, toKey, fromBare, toBare, layer, error, routeFirst,
                xml, xmlAt);
    }

    /** The XML as text, or null when it was not loaded. */
    public String xml() {
        return xmlUtf8 == null ? null : new String(xmlUtf8, StandardCharsets.UTF_8);
    }
}
