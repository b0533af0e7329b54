package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaSummary;

/**
 * A stanza as the index stores it: the timeline summary plus the comparison forms of its
 * addresses (effective: a c2s stanza without {@code from} is from the stream's bound JID), the
 * TLS layer, any error condition and the XML.
 */
public record IndexedStanza(long pk, int directionIndex, StanzaSummary summary, String fromKey, String toKey,
                            String fromBare, String toBare, int layer, String error, String xml) {
}
