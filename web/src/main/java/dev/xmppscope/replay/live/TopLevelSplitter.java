package dev.xmppscope.replay.live;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one direction of an XMPP stream into its top-level pieces: the stream header (an open
 * tag that never closes), each complete element, and the closing tag. Sans-io and lenient: it
 * only counts tags (quotes, comments, CDATA and processing instructions respected); the
 * analyzer's StreamParser is the strict reader. The replay needs just the boundaries, both of
 * a recording and of a live server's answers, in any chunking.
 */
final class TopLevelSplitter {
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final StringBuilder tag = new StringBuilder();
    private int depth; // 0 outside the stream, 1 inside the stream element, 2+ inside a top-level element
    private boolean inTag;
    private char quote;

    /** Feeds bytes; returns the pieces they complete (UTF-8 text, exactly as sent). */
    List<String> feed(byte[] bytes, int from, int length) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < from + length; i++) {
            byte b = bytes[i];
            if (depth <= 1 && !inTag && current.size() == 0 && (b == ' ' || b == '\n' || b == '\r' || b == '\t')) {
                continue; // whitespace between top-level elements (keepalives)
            }
            current.write(b);
            char c = (char) (b & 0xFF);
            if (!inTag) {
                if (c == '<') {
                    inTag = true;
                    tag.setLength(0);
                    tag.append(c);
                }
                continue;
            }
            tag.append(c);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if ((c == '"' || c == '\'') && !tag.toString().startsWith("<!")) {
                quote = c;
                continue;
            }
            if (c != '>' || !tagComplete()) {
                continue;
            }
            inTag = false;
            String t = tag.toString();
            if (t.startsWith("<?") || t.startsWith("<!--")) {
                if (depth <= 1) {
                    current.reset(); // the XML declaration and comments between elements are not pieces
                }
                continue;
            }
            if (t.startsWith("<![CDATA[")) {
                continue;
            }
            if (t.startsWith("</")) {
                depth--;
                if (depth <= 1) {
                    out.add(take());
                    if (depth < 1) {
                        depth = 0;
                    }
                }
            } else if (t.endsWith("/>")) {
                if (depth <= 1) {
                    out.add(take());
                }
            } else if (depth <= 1 && isStreamHeader(t)) {
                depth = 1; // a stream header, first or a restart: it stays open
                out.add(take());
            } else {
                depth = Math.max(depth, 1) + 1; // an element outside any stream (e.g. a bare error) counts as top-level
            }
        }
        return out;
    }

    private boolean tagComplete() {
        String t = tag.toString();
        if (t.startsWith("<!--")) {
            return t.endsWith("-->");
        }
        if (t.startsWith("<![CDATA[")) {
            return t.endsWith("]]>");
        }
        return true;
    }

    private static boolean isStreamHeader(String t) {
        return t.startsWith("<stream:stream") || t.startsWith("<stream ");
    }

    private String take() {
        String s = current.toString(StandardCharsets.UTF_8);
        current.reset();
        return s;
    }
}
