package dev.xmppscope.analyzer.xml;

/** An element or header that is not well-formed (or uses XML that XMPP forbids), with the reason. */
public final class XmlParseException extends Exception {
    public XmlParseException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
