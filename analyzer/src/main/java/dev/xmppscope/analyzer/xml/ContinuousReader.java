package dev.xmppscope.analyzer.xml;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.codehaus.stax2.XMLStreamReader2;

/**
 * Parses the top-level elements of one stream, all under the same header, with one Woodstox
 * reader kept open across calls. Creating a reader and parsing the header's namespace declarations
 * cost about as much as parsing a stanza, and the live analysis gets one stanza per chunk.
 *
 * <p>Each call hands over exactly what the framer found: one element, or a run of elements with
 * whitespace between them. The reader therefore never needs a byte that has not arrived. If it
 * asks for one anyway, fails, or ends the elements anywhere but where the framer did, the reader
 * is dropped and the same bytes are parsed by a reader of their own ({@link ElementReader}), whose
 * answer, element or error, stands. Not thread-safe: one stream's parser uses it.
 */
public final class ContinuousReader {
    /** A reader is replaced after this many characters, so Woodstox's per-document state (names seen) stays small. */
    private static final long MAX_CHARS_PER_READER = 4L << 20;

    private final byte[] scope;
    private final OpenReaders open;
    private final Feed feed = new Feed();
    private XMLStreamReader2 reader;
    /** Characters fed to {@link #reader} so far: where it must stand after the last element. */
    private long chars;
    /** How many Woodstox readers this has started (tests check that one serves many elements). */
    private int started;

    /**
     * @param scope the stream header's namespace declarations as a wrapper start tag ({@link StreamHeader#scopeTag()})
     * @param open  the readers this analysis keeps open, a bounded number
     */
    public ContinuousReader(byte[] scope, OpenReaders open) {
        this.scope = scope;
        this.open = open;
    }

    /** Parses {@code count} complete top-level elements in {@code bytes[offset, offset+length)}, whitespace between them. */
    public List<XmlElement> readElements(byte[] bytes, int offset, int length, int count) throws XmlParseException {
        List<XmlElement> out = tryContinuous(bytes, offset, length, count);
        return out != null ? out : ElementReader.readElements(scope, bytes, offset, length, count);
    }

    /** Parses one complete top-level element. */
    public XmlElement readElement(byte[] bytes, int offset, int length) throws XmlParseException {
        List<XmlElement> out = tryContinuous(bytes, offset, length, 1);
        return out != null ? out.get(0) : ElementReader.readElement(scope, bytes, offset, length);
    }

    /** The elements, or null when the kept reader could not give them exactly (it is then dropped). */
    private List<XmlElement> tryContinuous(byte[] bytes, int offset, int length, int count) {
        List<XmlElement> out;
        try {
            out = continuous(bytes, offset, length, count);
        } catch (XMLStreamException | XmlParseException | RuntimeException e) {
            out = null;
        }
        if (out == null) {
            release();
        }
        return out;
    }

    /** Parses with the kept reader; null when an event or the end position differs from what the framer framed. */
    private List<XmlElement> continuous(byte[] bytes, int offset, int length, int count)
            throws XMLStreamException, XmlParseException {
        if (reader == null || chars > MAX_CHARS_PER_READER) {
            release();
            start();
        }
        open.touch(this);
        feed.set(bytes, offset, length);
        chars += Utf8.chars(bytes, offset, length);
        List<XmlElement> out = new ArrayList<>(count);
        while (out.size() < count) {
            int ev = reader.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                out.add(ElementReader.readTree(reader));
            } else if (ev != XMLStreamConstants.SPACE && ev != XMLStreamConstants.CHARACTERS) {
                return null; // markup the framer did not frame: let a reader of their own say what it is
            }
        }
        if (feed.remaining() != 0 || reader.getLocationInfo().getEndingCharOffset() != chars) {
            return null; // the parser ended the elements elsewhere than the framer
        }
        feed.clear();
        return out;
    }

    private void start() throws XMLStreamException {
        feed.set(scope, 0, scope.length);
        reader = (XMLStreamReader2) ElementReader.FACTORY.createXMLStreamReader(feed, "UTF-8");
        reader.next(); // the wrapper's start tag
        chars = Utf8.chars(scope, 0, scope.length);
        started++;
    }

    int readersStarted() {
        return started;
    }

    /** Closes the kept reader, handing Woodstox's buffers back; a next call would start another. */
    public void release() {
        if (reader != null) {
            ElementReader.closeQuietly(reader);
            reader = null;
            open.forget(this);
        }
        feed.clear();
    }

    /**
     * The readers one analysis keeps open, least recently used closed first. A reader holds about
     * 27 KB of buffers, and a proxy may carry 10,000 idle streams; only the busy ones need theirs.
     */
    public static final class OpenReaders {
        private final Map<ContinuousReader, Boolean> lru;

        public OpenReaders(int max) {
            this.lru = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ContinuousReader, Boolean> eldest) {
                    if (size() > max) {
                        remove(eldest.getKey());
                        eldest.getKey().release();
                    }
                    return false;
                }
            };
        }

        void touch(ContinuousReader r) {
            lru.put(r, Boolean.TRUE);
        }

        void forget(ContinuousReader r) {
            lru.remove(r);
        }

        /** How many readers are open (tests check the bound). */
        int size() {
            return lru.size();
        }
    }

    /** The bytes of the current call; asking past them is the reader reading ahead, which must not happen. */
    private static final class Feed extends InputStream {
        private byte[] bytes;
        private int pos;
        private int end;

        void set(byte[] b, int from, int length) {
            bytes = b;
            pos = from;
            end = from + length;
        }

        void clear() {
            bytes = null;
            pos = 0;
            end = 0;
        }

        int remaining() {
            return end - pos;
        }

        @Override
        public int read() throws IOException {
            if (pos >= end) {
                throw new IOException("the parser read past the framed element");
            }
            return bytes[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos >= end) {
                throw new IOException("the parser read past the framed element");
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
