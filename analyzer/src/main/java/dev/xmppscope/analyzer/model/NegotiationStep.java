package dev.xmppscope.analyzer.model;

/**
 * One step of a stream's negotiation, in order.
 *
 * @param connection the connection
 * @param index      0-based position among the stream's steps
 * @param at         epoch nanoseconds
 * @param direction  {@code toServer} or {@code toClient}
 * @param step       short machine name: {@code header}, {@code features}, {@code starttls}, {@code proceed},
 *                   {@code tls}, {@code sasl-mechanisms} (the proxy changed or held the offer; the offer
 *                   itself is in the {@code features} step), {@code sasl-auth}, {@code sasl-challenge},
 *                   {@code sasl-response}, {@code sasl-continue} and {@code sasl-next} (SASL2 tasks),
 *                   {@code sasl-success}, {@code sasl-failure}, {@code restart}, {@code bind}, {@code session},
 *                   {@code register} (in-band registration),
 *                   {@code sm-enable}, {@code sm-enabled}, {@code sm-resume}, {@code sm-resumed}, {@code sm-ack},
 *                   {@code sm-unacked} (stanzas never acknowledged by the connection's end), {@code iq-unanswered}
 *                   (requests never answered by then), {@code csi},
 *                   {@code dialback-result}, {@code dialback-verify}, {@code bidi} (XEP-0288), {@code stream-error}, {@code close}, ...
 * @param title      the step in plain words ("Server offers STARTTLS, SASL (SCRAM-SHA-1, PLAIN)")
 * @param detail     specifics (condition text, stream id, bound JID), may be empty
 * @param status     {@code ok}, {@code failed}, {@code warning} (may have gone wrong: credentials without TLS,
 *                   stanzas never acknowledged), {@code pending} (waiting for an answer) or {@code info}
 * @param stanzaRef  the element this step was read from, or null (e.g. a TLS handshake)
 */
public record NegotiationStep(long connection, int index, long at, String direction, String step, String title,
                              String detail, String status, String stanzaRef) {
}
