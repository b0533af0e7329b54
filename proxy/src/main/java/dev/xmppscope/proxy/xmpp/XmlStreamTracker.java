package dev.xmppscope.proxy.xmpp;

import dev.xmppscope.capture.ByteSearch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Follows the element structure of one direction of an XMPP stream, fed bytes as they arrive
 * in arbitrary pieces (sans-io: no sockets, no threads). It reports tags with their depth
 * (0 = the {@code <stream:stream>} header, 1 = a top-level element such as a stanza,
 * {@code <starttls/>} or {@code <stream:features>}), their namespace, their attributes and
 * their absolute byte offsets.
 *
 * <p>It is deliberately forgiving rather than validating: the proxy relays whatever the peers
 * send, and this only has to recognise the few elements the proxy acts on. Quotes inside tags,
 * comments, processing instructions and CDATA sections are honoured, so a {@code '>'} in an
 * attribute value or a {@code <proceed/>} inside CDATA never fools it. A new stream header
 * (stream restart after TLS or SASL) resets the element stack.
 */
public final class XmlStreamTracker {
    public static final String STREAMS_NS = "http://etherx.jabber.org/streams";
    private static final int MAX_TAG_BYTES = 64 * 1024;

    /** What a tag was. */
    public enum TagKind { START, END, EMPTY }

    /** An open element on the stack. */
    public record Element(String localName, String namespace, Map<String, String> attributes) {
        public String attribute(String name) {
            return attributes.get(name);
        }
    }

    /**
     * A tag. {@code depth} counts enclosing elements: 0 for the stream header, 1 for top-level
     * elements. {@code ancestors} lists the enclosing elements, outermost first.
     */
    public record Tag(TagKind kind, String localName, String namespace, Map<String, String> attributes, int depth,
                      long start, long end, List<Element> ancestors) {
        public boolean is(String local, String ns) {
            return localName.equals(local) && ns.equals(namespace);
        }

        public boolean isStreamHeader() {
            return kind != TagKind.END && is("stream", STREAMS_NS);
        }

        public String attribute(String name) {
            return attributes.get(name);
        }
    }

    /** Receives the tags the tracker finds. Offsets are absolute within the stream, end exclusive. */
    @FunctionalInterface
    public interface Listener {
        void tag(Tag tag);
    }

    private enum State { TEXT, LT, TAG, TAG_QUOTE, SECTION }

    private final List<Element> stack = new ArrayList<>();
    private final List<Map<String, String>> prefixes = new ArrayList<>();
    private State state = State.TEXT;
    private long offset;
    private long tagStart;
    private byte quote;
    private byte[] tag = new byte[256];
    private int tagLength;
    private boolean tagTooLong;
    private final MarkupSection section = new MarkupSection();
    private boolean halted;

    /** Bytes consumed so far: the absolute offset of the next byte (stops advancing once {@link #halt() halted}). */
    public long offset() {
        return offset;
    }

    /** The innermost open element, or null. */
    private Element current() {
        return stack.isEmpty() ? null : stack.get(stack.size() - 1);
    }

    /** Stops tracking for good: later bytes (the rest of the current feed included) are ignored. */
    public void halt() {
        halted = true;
    }

    public boolean halted() {
        return halted;
    }

    public void feed(byte[] bytes, Listener listener) {
        feed(bytes, 0, bytes.length, listener);
    }

    /** Consumes {@code bytes[from, to)}. */
    public void feed(byte[] bytes, int from, int to, Listener listener) {
        if (halted) {
            return;
        }
        int i = from;
        while (i < to) {
            byte b = bytes[i];
            switch (state) {
                case TEXT -> {
                    int lt = ByteSearch.indexOf(bytes, (byte) '<', i, to);
                    if (lt < 0) {
                        i = to;
                        continue;
                    }
                    state = State.LT;
                    tagStart = offset + (lt - from);
                    tagLength = 0;
                    tagTooLong = false;
                    i = lt + 1;
                    continue;
                }
                case LT -> {
                    if (b == '?') {
                        state = State.SECTION;
                        section.startPi();
                    } else if (b == '!') {
                        state = State.SECTION;
                        section.startBang();
                    } else {
                        state = State.TAG;
                        append(bytes, i, i + 1);
                    }
                }
                case TAG -> {
                    int j = ByteScan.indexOfTagStop(bytes, i, to);
                    if (j < 0) {
                        j = to;
                    }
                    append(bytes, i, j);
                    if (j == to) {
                        i = to;
                        continue;
                    }
                    if (bytes[j] == '>') {
                        state = State.TEXT;
                        i = j + 1;
                        tagComplete(offset + (j + 1 - from), listener);
                        if (halted) {
                            return;
                        }
                        continue;
                    }
                    quote = bytes[j];
                    state = State.TAG_QUOTE;
                    append(bytes, j, j + 1);
                    i = j + 1;
                    continue;
                }
                case TAG_QUOTE -> {
                    int j = ByteSearch.indexOf(bytes, quote, i, to);
                    int stop = j < 0 ? to : j + 1;
                    append(bytes, i, stop);
                    if (j >= 0) {
                        state = State.TAG;
                    }
                    i = stop;
                    continue;
                }
                case SECTION -> {
                    if (section.feed(b)) {
                        state = State.TEXT;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
            i++;
        }
        offset += to - from;
    }

    private void append(byte[] bytes, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        if (tagLength + n > MAX_TAG_BYTES) {
            tagTooLong = true;
            n = MAX_TAG_BYTES - tagLength;
        }
        if (tagLength + n > tag.length) {
            tag = Arrays.copyOf(tag, Math.min(MAX_TAG_BYTES, Math.max(tag.length * 2, tagLength + n)));
        }
        System.arraycopy(bytes, from, tag, tagLength, n);
        tagLength += n;
    }

    private void tagComplete(long end, Listener listener) {
        String raw = new String(tag, 0, tagLength, StandardCharsets.UTF_8);
        TagKind kind;
        if (raw.startsWith("/")) {
            kind = TagKind.END;
            raw = raw.substring(1);
        } else if (raw.endsWith("/")) {
            kind = TagKind.EMPTY;
            raw = raw.substring(0, raw.length() - 1);
        } else {
            kind = TagKind.START;
        }
        int nameEnd = 0;
        while (nameEnd < raw.length() && !Character.isWhitespace(raw.charAt(nameEnd))) {
            nameEnd++;
        }
        String qname = raw.substring(0, nameEnd);
        int colon = qname.indexOf(':');
        String prefix = colon < 0 ? "" : qname.substring(0, colon);
        String local = colon < 0 ? qname : qname.substring(colon + 1);
        if (kind == TagKind.END) {
            int depth = Math.max(0, stack.size() - 1);
            Element closing = current();
            String ns = closing != null ? closing.namespace() : resolve(prefix, Map.of());
            if (!stack.isEmpty()) {
                pop();
            }
            listener.tag(new Tag(kind, local, ns, Map.of(), depth, tagStart, end, List.copyOf(stack)));
            return;
        }
        TagAttributes attrs = TagAttributes.parse(tagTooLong ? "" : raw.substring(nameEnd));
        Map<String, String> declared = attrs.declarations();
        String ns = resolve(prefix, declared);
        if (local.equals("stream") && STREAMS_NS.equals(ns)) {
            // a stream header (first or restart): everything before it is history
            stack.clear();
            prefixes.clear();
        }
        Element element = new Element(local, ns, attrs);
        Tag t = new Tag(kind, local, ns, attrs, stack.size(), tagStart, end, List.copyOf(stack));
        if (kind == TagKind.START) {
            stack.add(element);
            prefixes.add(declared);
        }
        listener.tag(t);
    }

    /** Closes the innermost open element: it and its prefix declarations leave the stack. */
    private void pop() {
        stack.remove(stack.size() - 1);
        prefixes.remove(prefixes.size() - 1);
    }

    private String resolve(String prefix, Map<String, String> declared) {
        if (declared.containsKey(prefix)) {
            return declared.get(prefix);
        }
        for (int i = prefixes.size() - 1; i >= 0; i--) {
            String ns = prefixes.get(i).get(prefix);
            if (ns != null) {
                return ns;
            }
        }
        if (prefix.equals("stream")) {
            return STREAMS_NS; // tolerate a missing declaration, as servers do
        }
        return "";
    }
}
