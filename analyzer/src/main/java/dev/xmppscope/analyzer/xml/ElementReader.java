package dev.xmppscope.analyzer.xml;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.exc.WstxLazyException;
import com.ctc.wstx.stax.WstxInputFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.codehaus.stax2.XMLInputFactory2;

/**
 * Parses one framed piece of an XMPP stream with Woodstox: a stream header, or a complete
 * top-level element given the namespace declarations in scope (from its stream header).
 *
 * <p>Configured for hostile input: no DTD, no external entities, no entity expansion (an entity
 * reference other than the five predefined ones is an error, as RFC 6120 §11.1 requires), and
 * Woodstox's own limits as a second fence behind the framer's.
 */
public final class ElementReader {
    static final XMLInputFactory FACTORY = createFactory();
    private static final Pattern WOODSTOX_LOCATION = Pattern.compile("\\s*at \\[row,col [^\\]]*\\]: \\[\\d+,\\d+\\]");

    private ElementReader() {
    }

    private static XMLInputFactory createFactory() {
        WstxInputFactory f = new WstxInputFactory();
        f.configureForSpeed();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, 1000);
        f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 1000);
        f.setProperty(WstxInputProperties.P_MAX_ENTITY_COUNT, 1L);
        // closing the reader closes its in-memory input too, which hands Woodstox's buffers back to
        // its per-thread recycler: without it every element allocated two fresh 8k-char buffers
        f.setProperty(XMLInputFactory2.P_AUTO_CLOSE_INPUT, true);
        return f;
    }

    /** Parses a stream header start tag ({@code <stream:stream ...>}, unclosed). */
    public static StreamHeader readHeader(byte[] bytes, int offset, int length) throws XmlParseException {
        XMLStreamReader r = null;
        try {
            r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(bytes, offset, length), "UTF-8");
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    List<String[]> decls = new ArrayList<>();
                    for (int i = 0; i < r.getNamespaceCount(); i++) {
                        decls.add(new String[] {r.getNamespacePrefix(i) == null ? "" : r.getNamespacePrefix(i),
                                r.getNamespaceURI(i)});
                    }
                    String prefix = r.getPrefix();
                    String qname = prefix == null || prefix.isEmpty() ? r.getLocalName() : prefix + ":" + r.getLocalName();
                    return new StreamHeader(qname, r.getNamespaceURI(), r.getLocalName(), attributes(r), decls);
                }
                checkAllowed(r, ev);
            }
            throw new XmlParseException("no stream header element", null);
        } catch (XMLStreamException | WstxLazyException e) {
            throw new XmlParseException(reason(e), e);
        } finally {
            closeQuietly(r);
        }
    }

    /**
     * Parses one complete top-level element. {@code scope} is the opening tag of a wrapper element
     * carrying the stream header's namespace declarations (see {@link StreamHeader#scopeTag()}).
     */
    public static XmlElement readElement(byte[] scope, byte[] bytes, int offset, int length) throws XmlParseException {
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(scope), new ByteArrayInputStream(bytes, offset, length));
        XMLStreamReader r = null;
        try {
            r = FACTORY.createXMLStreamReader(in, "UTF-8");
            int ev = r.next(); // the wrapper
            while (r.hasNext()) {
                ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    return readTree(r);
                }
                checkAllowed(r, ev);
            }
            throw new XmlParseException("no element", null);
        } catch (XMLStreamException | WstxLazyException e) {
            throw new XmlParseException(reason(e), e);
        } finally {
            closeQuietly(r);
        }
    }

    /**
     * Parses {@code count} consecutive complete top-level elements (separated by whitespace at most)
     * with one reader: the bulk path, since a reader costs more to create than a stanza to parse.
     */
    public static List<XmlElement> readElements(byte[] scope, byte[] bytes, int offset, int length, int count)
            throws XmlParseException {
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(scope), new ByteArrayInputStream(bytes, offset, length));
        XMLStreamReader r = null;
        List<XmlElement> out = new ArrayList<>(count);
        try {
            r = FACTORY.createXMLStreamReader(in, "UTF-8");
            r.next(); // the wrapper
            while (out.size() < count && r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    out.add(readTree(r));
                } else {
                    checkAllowed(r, ev);
                }
            }
            if (out.size() != count) {
                throw new XmlParseException("expected " + count + " elements, found " + out.size(), null);
            }
            return out;
        } catch (XMLStreamException | WstxLazyException e) {
            throw new XmlParseException(reason(e), e);
        } finally {
            closeQuietly(r);
        }
    }

    static XmlElement readTree(XMLStreamReader r) throws XMLStreamException, XmlParseException {
        List<XmlElement> stack = new ArrayList<>();
        // each open element's text so far: null, a String (one run of text, the usual case, since
        // the reader coalesces), or a StringBuilder once a child splits it into several runs
        List<CharSequence> texts = new ArrayList<>();
        XmlElement root = new XmlElement(r.getNamespaceURI(), r.getLocalName(), attributes(r));
        stack.add(root);
        texts.add(null);
        while (true) {
            int ev = r.next();
            switch (ev) {
                case XMLStreamConstants.START_ELEMENT -> {
                    XmlElement child = new XmlElement(r.getNamespaceURI(), r.getLocalName(), attributes(r));
                    stack.get(stack.size() - 1).addChild(child);
                    stack.add(child);
                    texts.add(null);
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    int top = stack.size() - 1;
                    CharSequence text = texts.remove(top);
                    XmlElement done = stack.remove(top);
                    if (text != null) {
                        done.setText(text.toString());
                    }
                    if (top == 0) {
                        return done;
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    int top = texts.size() - 1;
                    CharSequence text = texts.get(top);
                    if (text == null) {
                        texts.set(top, new String(r.getTextCharacters(), r.getTextStart(), r.getTextLength()));
                    } else {
                        StringBuilder sb = text instanceof StringBuilder b ? b : new StringBuilder(text);
                        sb.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                        texts.set(top, sb);
                    }
                }
                default -> checkAllowed(r, ev);
            }
        }
    }

    private static void checkAllowed(XMLStreamReader r, int ev) throws XmlParseException {
        if (ev == XMLStreamConstants.ENTITY_REFERENCE) {
            throw new XmlParseException("entity reference &" + r.getLocalName()
                    + "; (XMPP allows only the predefined entities, RFC 6120 §11.1)", null);
        }
        if (ev == XMLStreamConstants.DTD) {
            throw new XmlParseException("a DTD (XMPP forbids them, RFC 6120 §11.1)", null);
        }
    }

    private static String[] attributes(XMLStreamReader r) {
        int n = r.getAttributeCount();
        String[] out = new String[n * 2];
        for (int i = 0; i < n; i++) {
            String prefix = r.getAttributePrefix(i);
            String local = r.getAttributeLocalName(i);
            out[2 * i] = prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
            out[2 * i + 1] = r.getAttributeValue(i);
        }
        return out;
    }

    /**
     * The parser's message without its location block. Woodstox reports some errors (a malformed
     * character reference in text) only when the text is read, as an unchecked exception.
     */
    private static String reason(Exception e) {
        Throwable t = e instanceof WstxLazyException && e.getCause() != null ? e.getCause() : e;
        String msg = t.getMessage() == null ? t.toString() : t.getMessage();
        // Woodstox prefixes a location block ("ParseError at [row,col]:[1,5]\nMessage: ...") or
        // appends one (" at [row,col {unknown-source}]: [1,103]"): a place in the piece it was given,
        // where the stream offset the failure is reported at is what means something to a reader
        int m = msg.indexOf("Message: ");
        msg = m >= 0 ? msg.substring(m + 9) : msg;
        return WOODSTOX_LOCATION.matcher(msg.replace('\n', ' ')).replaceAll("").trim();
    }

    static void closeQuietly(XMLStreamReader r) {
        if (r == null) {
            return;
        }
        try {
            r.close();
        } catch (XMLStreamException e) {
            // closing an in-memory reader releases buffers only; nothing to report
            assert e != null;
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
