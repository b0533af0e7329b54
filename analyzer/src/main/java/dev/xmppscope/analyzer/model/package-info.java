/**
 * What the analyzer tells the rest of xmppscope: read-only views of connections, negotiation
 * steps, stanzas, routes and the entity graph, and the events that announce changes to them.
 * These records are the contract between {@code analyzer} and {@code web}; the JSON API
 * serializes them as they are (times are nanoseconds since the Unix epoch).
 */
package dev.xmppscope.analyzer.model;
