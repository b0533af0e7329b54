package dev.xmppscope.analyzer.model;

import java.util.List;

/**
 * One page of a stanza query, in time order. {@code next} is the cursor of the page after it,
 * {@code previous} of the page before it; null when there is none (the first page has no
 * previous; the newest page has no next yet, as a live capture keeps growing).
 */
public record StanzaPage(List<StanzaSummary> items, String next, String previous) {
}
