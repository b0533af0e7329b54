package dev.xmppscope.analyzer.model;

import java.util.List;

/**
 * One page of a stanza query, in time order. {@code next} is the cursor of the page after it,
 * {@code previous} of the page before it; null when there is none (the first page has no
 * previous; the newest page has no next yet, as a live capture keeps growing).
 *
 * <p>A query reads a bounded number of elements, so that one whose filters match little answers
 * in about a second however long the capture: {@code searchedTo} is null when the page is whole
 * (full, or the timeline's end reached), else the time (nanos) of the last element read before the
 * query stopped. The page then holds what it found up to there, maybe nothing, and {@code next}
 * (or {@code previous}, for a page read backwards) searches on from there.
 */
public record StanzaPage(List<StanzaSummary> items, String next, String previous, Long searchedTo) {
}
