package dev.xmppscope.analyzer.model;

/** A search stopped because a newer one of the same client began ({@link StanzaQuery.Search}); the web API answers 409. */
public final class SearchSupersededException extends RuntimeException {
    public SearchSupersededException(String message) {
        super(message, null, false, false); // expected, and often: no stack trace to fill
    }
}
