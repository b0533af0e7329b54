package dev.xmppscope.analyzer.model;

import java.util.List;

/**
 * One top-level element of a stream (stanza, nonza, header, close), as listed in the timeline.
 *
 * @param ref         capture-wide key, stable across runs: {@code "<connection>-<direction>-<index>"},
 *                    e.g. {@code "3-s-17"} (s = toServer, c = toClient)
 * @param connection  the connection
 * @param direction   {@code toServer} or {@code toClient}
 * @param at          epoch nanoseconds of the chunk that completed the element
 * @param kind        one of {@link #KINDS}: {@code unparsed} is bytes after a parse error
 * @param type        the {@code type} attribute (or the element name for nonzas), may be null
 * @param from        {@code from} attribute as on the wire, may be null
 * @param to          {@code to} attribute as on the wire, may be null
 * @param id          the XMPP {@code id} attribute, may be null
 * @param namespaces  namespaces of the element and its children
 * @param labels      human labels for those namespaces ("XEP-0198 Stream Management")
 * @param summary     one line for lists ("chat: hello bob", "ping", "SASL auth PLAIN")
 * @param size        bytes of the element on the wire
 * @param offset      byte offset of the element in its (direction, TLS layer) stream
 * @param parseStatus {@code ok}, or where and why parsing failed
 */
public record StanzaSummary(String ref, long connection, String direction, long at, String kind, String type,
                            String from, String to, String id, List<String> namespaces, List<String> labels,
                            String summary, int size, long offset, String parseStatus) {
    /** Every kind an element can have, in the order the UI offers them. */
    public static final List<String> KINDS = List.of("message", "presence", "iq", "stream-header", "features", "tls", "sasl",
            "sm", "dialback", "csi", "stream-error", "close", "other", "unparsed");
}
