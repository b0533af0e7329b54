package dev.xmppscope.analyzer.model;

import java.util.List;

/** One page of a stanza query, in time order; {@code next} is the cursor for the next page or null. */
public record StanzaPage(List<StanzaSummary> items, String next) {
}
