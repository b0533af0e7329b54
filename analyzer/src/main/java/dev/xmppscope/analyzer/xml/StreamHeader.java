package dev.xmppscope.analyzer.xml;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A parsed stream header ({@code <stream:stream ...>}).
 *
 * @param qualifiedName the tag as written, e.g. {@code stream:stream} (a restart repeats it)
 * @param namespace     the element's namespace (RFC 6120: {@code http://etherx.jabber.org/streams})
 * @param localName     {@code stream}
 * @param attributes    name/value pairs, flattened
 * @param declarations  {prefix, uri} pairs declared on the header ("" prefix = default namespace)
 */
public record StreamHeader(String qualifiedName, String namespace, String localName, String[] attributes,
                           List<String[]> declarations) {

    public static final String STREAMS_NS = "http://etherx.jabber.org/streams";

    public String attribute(String name) {
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i].equals(name)) {
                return attributes[i + 1];
            }
        }
        return null;
    }

    /** The default namespace: jabber:client, jabber:server or jabber:component:accept. */
    public String contentNamespace() {
        for (String[] d : declarations) {
            if (d[0].isEmpty()) {
                return d[1];
            }
        }
        return "";
    }

    public boolean isXmppStream() {
        return STREAMS_NS.equals(namespace) && "stream".equals(localName);
    }

    /**
     * A wrapper tag like {@link #scopeTag()} for an element whose stream header is unknown: the
     * content namespace given, and the prefixes streams usually declare.
     */
    public static byte[] assumedScope(String contentNamespace) {
        return ("<w xmlns='" + contentNamespace + "' xmlns:stream='" + STREAMS_NS
                + "' xmlns:db='jabber:server:dialback'>").getBytes(StandardCharsets.UTF_8);
    }

    /** An opening wrapper tag declaring this header's namespaces, to parse its children in scope. */
    public byte[] scopeTag() {
        StringBuilder sb = new StringBuilder("<w");
        for (String[] d : declarations) {
            sb.append(d[0].isEmpty() ? " xmlns" : " xmlns:" + d[0]).append("='")
                    .append(d[1].replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;")).append('\'');
        }
        return sb.append('>').toString().getBytes(StandardCharsets.UTF_8);
    }
}
