package dev.xmppscope.capture.pcap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one direction of an XMPP stream into its top-level pieces: the stream header (an open
 * tag that never closes), each complete element, and the closing tag. Sans-io and lenient: it
 * only counts tags (quotes, comments, CDATA and processing instructions respected); the
 * analyzer's StreamParser is the strict reader. Export, replay and replay-to-a-server need just
 * the boundaries: one stanza per pcapng segment, one stanza per replay step, the pieces of a
 * recording and of a live server's answers, in any chunking.
 */
public final class TopLevelSplitter {
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    /**
     * The markup being read, by what decides it: its first bytes and its last three. Keeping it
     * whole made each {@code '>'} and quote inside a long comment or CDATA section cost its length
     * again (a 450 KB CDATA body of HTML took 2.6 s).
     */
    private final TagEnds tag = new TagEnds();
    private int depth; // 0 outside the stream, 1 inside the stream element, 2+ inside a top-level element
    private boolean inTag;
    private char quote;

    public TopLevelSplitter() {
    }

    /** Feeds bytes; returns the pieces they complete (UTF-8 text, exactly as sent). */
    public List<String> feed(byte[] bytes, int from, int length) {
        return feed(bytes, from, length, null);
    }

    /**
     * Feeds bytes; returns, for each piece they complete, the position just after its last byte
     * (relative to {@code from}).
     */
    public List<Integer> boundaries(byte[] bytes, int from, int length) {
        List<Integer> ends = new ArrayList<>();
        feed(bytes, from, length, ends);
        return ends;
    }

    private List<String> feed(byte[] bytes, int from, int length, List<Integer> ends) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < from + length; i++) {
            String piece = step(bytes[i]);
            if (piece != null) {
                out.add(piece);
                if (ends != null) {
                    ends.add(i + 1 - from);
                }
            }
        }
        return out;
    }

    /** Takes one byte; returns the piece it completes, or null. */
    private String step(byte b) {
        if (depth <= 1 && !inTag && current.size() == 0 && (b == ' ' || b == '\n' || b == '\r' || b == '\t')) {
            return null; // whitespace between top-level elements (keepalives)
        }
        current.write(b);
        char c = (char) (b & 0xFF);
        if (!inTag) {
            if (c == '<') {
                inTag = true;
                tag.start(c);
            }
            return null;
        }
        tag.append(c);
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            }
            return null;
        }
        if ((c == '"' || c == '\'') && !tag.startsWith("<!")) {
            quote = c;
            return null;
        }
        if (c != '>' || !tagComplete()) {
            return null;
        }
        inTag = false;
        if (tag.startsWith("<?") || tag.startsWith("<!--")) {
            if (depth <= 1) {
                current.reset(); // the XML declaration and comments between elements are not pieces
            }
            return null;
        }
        if (tag.startsWith("<![CDATA[")) {
            return null;
        }
        if (tag.startsWith("</")) {
            depth--;
            if (depth <= 1) {
                depth = Math.max(depth, 0);
                return take();
            }
            return null;
        }
        if (tag.endsWith("/>")) {
            return depth <= 1 ? take() : null;
        }
        if (depth <= 1 && isStreamHeader(tag)) {
            depth = 1; // a stream header, first or a restart: it stays open
            return take();
        }
        depth = Math.max(depth, 1) + 1; // an element outside any stream (e.g. a bare error) counts as top-level
        return null;
    }

    private boolean tagComplete() {
        if (tag.startsWith("<!--")) {
            return tag.endsWith("-->");
        }
        if (tag.startsWith("<![CDATA[")) {
            return tag.endsWith("]]>");
        }
        return true;
    }

    private static boolean isStreamHeader(TagEnds t) {
        return t.startsWith("<stream:stream") || t.startsWith("<stream ");
    }

    /** The first {@value #HEAD} characters of a tag and its last three: all that the splitter asks of it. */
    private static final class TagEnds {
        static final int HEAD = 16;
        private final StringBuilder head = new StringBuilder(HEAD);
        private final char[] tail = new char[3];
        private int length;

        void start(char c) {
            head.setLength(0);
            length = 0;
            append(c);
        }

        void append(char c) {
            if (head.length() < HEAD) {
                head.append(c);
            }
            tail[length % 3] = c;
            length++;
        }

        /** For a prefix of at most {@value #HEAD} characters. */
        boolean startsWith(String prefix) {
            if (head.length() < prefix.length()) {
                return false;
            }
            for (int k = 0; k < prefix.length(); k++) {
                if (head.charAt(k) != prefix.charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        /** For a suffix of at most three characters. */
        boolean endsWith(String suffix) {
            int n = suffix.length();
            if (length < n) {
                return false;
            }
            for (int k = 0; k < n; k++) {
                if (tail[(length - n + k) % 3] != suffix.charAt(k)) {
                    return false;
                }
            }
            return true;
        }
    }

    private String take() {
        String s = current.toString(StandardCharsets.UTF_8);
        current.reset();
        return s;
    }
}
