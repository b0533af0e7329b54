package dev.xmppscope.analyzer.xml;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed XML element: just enough of a tree to read XMPP (names, namespaces, attributes,
 * direct text, children). Built by {@link ElementReader}; its size is bounded by the stream
 * parser's element size limit.
 */
public final class XmlElement {
    private final String namespace;
    private final String name;
    private final String[] attributes; // name, value pairs; namespaced attributes as "prefix:name"
    private final List<XmlElement> children = new ArrayList<>(2);
    private String text = "";

    public XmlElement(String namespace, String name, String[] attributes) {
        this.namespace = namespace == null ? "" : namespace;
        this.name = name;
        this.attributes = attributes;
    }

    public String namespace() {
        return namespace;
    }

    /** The local name (no prefix). */
    public String name() {
        return name;
    }

    /** The attribute's value, or null; {@code xml:lang} is found by its qualified name. */
    public String attribute(String qualifiedName) {
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i].equals(qualifiedName)) {
                return attributes[i + 1];
            }
        }
        return null;
    }

    /** Attribute name/value pairs in document order, flattened. */
    public String[] attributePairs() {
        return attributes;
    }

    public List<XmlElement> children() {
        return children;
    }

    /** The first child with this local name and namespace, or null. */
    public XmlElement child(String childName, String childNamespace) {
        for (XmlElement c : children) {
            if (c.name.equals(childName) && c.namespace.equals(childNamespace)) {
                return c;
            }
        }
        return null;
    }

    /** The first child in this namespace, or null. */
    public XmlElement childIn(String childNamespace) {
        for (XmlElement c : children) {
            if (c.namespace.equals(childNamespace)) {
                return c;
            }
        }
        return null;
    }

    /** The text directly inside this element (not its children's). */
    public String text() {
        return text;
    }

    /** The text of the first child with this name and namespace, or null. */
    public String childText(String childName, String childNamespace) {
        XmlElement c = child(childName, childNamespace);
        return c == null ? null : c.text;
    }

    public boolean is(String localName, String ns) {
        return name.equals(localName) && namespace.equals(ns);
    }

    void addChild(XmlElement child) {
        children.add(child);
    }

    void setText(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return "{" + namespace + "}" + name;
    }
}
