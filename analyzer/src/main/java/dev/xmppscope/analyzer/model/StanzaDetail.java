package dev.xmppscope.analyzer.model;

/**
 * Everything about one element, for the inspector.
 *
 * @param stanza      the summary
 * @param xml         the element as recorded (secrets already redacted), UTF-8 text
 * @param route       the route this stanza belongs to, or null when it was seen on one link only
 * @param iqPartner   for an IQ: the ref of its request or its result/error, or null
 * @param iqRttNanos  for an answered IQ request: nanoseconds until the answer, or null
 * @param unanswered  true for an IQ request that never got an answer
 * @param error       the stanza/stream error condition it carries, or null
 * @param carries     for a carbon, an archive result or a forward: the ref of the message it carries,
 *                    as first recorded, or null
 */
public record StanzaDetail(StanzaSummary stanza, String xml, StanzaRoute route, String iqPartner,
                           Long iqRttNanos, boolean unanswered, String error, String carries) {
}
