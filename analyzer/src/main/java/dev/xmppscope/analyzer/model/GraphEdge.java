package dev.xmppscope.analyzer.model;

import java.util.List;

/**
 * A stream between two entities: a c2s stream (client ↔ its server), or one directed s2s
 * stream (initiating server → receiving server).
 *
 * @param id          stable id, {@code c2s:<connection>} / {@code s2s:<connection>}
 * @param source      node id of the initiator
 * @param target      node id of the receiver
 * @param kind        {@code c2s}, {@code s2s} or {@code component}
 * @param state       {@code negotiating}, {@code established}, {@code closed} or {@code error}
 * @param connections the capture connections this edge stands for
 * @param stanzas     stanzas carried so far
 * @param bytes       bytes carried so far
 * @param error       what went wrong, or null
 * @param warning     what may have gone wrong (credentials without TLS, a server that closed TCP without closing its
 *                    stream...), as its connection's {@link ConnectionView#warning()} says it, or null
 */
public record GraphEdge(String id, String source, String target, String kind, String state, List<Long> connections,
                        long stanzas, long bytes, String error, String warning) {
}
