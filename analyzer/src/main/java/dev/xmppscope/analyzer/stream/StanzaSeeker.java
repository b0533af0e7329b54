package dev.xmppscope.analyzer.stream;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Finds where a stream can be parsed again when its bytes are joined part way through: a capture
 * that began after the connection opened (no stream header, maybe mid-stanza), or one that lost
 * bytes (a hole in a pcap). It reads tags as the framer does, ignoring their content, and stops at
 * the first one that starts a top-level piece: a stanza, a stream-level element, a stream header
 * or the stream's close.
 *
 * <p>A {@code <message>} is also found nested (a carbon or an archived message in
 * {@code <forwarded>}, after a {@code <delay/>}). So a candidate counts only when it is the first
 * tag seen, or when the tag before it ended a top-level piece ({@code </message>}, {@code <r/>}, ...):
 * inside a stanza the tag before a nested stanza is its wrapper's. Fed in any chunking.
 */
final class StanzaSeeker {
    /** Names that start a top-level piece in an XMPP stream (stanzas, stream management, dialback, stream-level). */
    private static final Set<String> TOP = Set.of("message", "presence", "iq", "r", "a", "db:result", "db:verify",
            "stream:features", "stream:error", "stream:stream");
    private static final int MAX_NAME = 32;

    private enum State { TEXT, NAME, TAG, MARKUP }

    private State state = State.TEXT;
    private final byte[] name = new byte[MAX_NAME + 1];
    private int nameLength;
    private boolean endTag;
    private byte quote;
    private byte prev;
    /** Whether the tag before the one being read ended a top-level piece; true before any tag. */
    private boolean afterTop = true;
    /** Whether the tag being read names a top-level piece. */
    private boolean topName;

    /**
     * Scans {@code bytes[from, end)}. Returns the index just past the found piece's name (the
     * piece began {@link #candidateLength()} bytes before it, possibly in earlier chunks), or -1
     * when this chunk holds none.
     */
    int scan(byte[] bytes, int from, int end) {
        for (int i = from; i < end; i++) {
            byte b = bytes[i];
            switch (state) {
                case TEXT -> {
                    if (b == '<') {
                        state = State.NAME;
                        nameLength = 0;
                        endTag = false;
                    }
                }
                case NAME -> {
                    if (nameLength == 0 && !endTag && b == '/') {
                        endTag = true;
                    } else if (nameLength == 0 && !endTag && (b == '!' || b == '?')) {
                        state = State.MARKUP; // a comment, CDATA or PI: passed over to its '>'
                    } else if (b == '>' || b == '/' || isSpace(b)) {
                        topName = TOP.contains(new String(name, 0, nameLength, StandardCharsets.US_ASCII));
                        boolean candidate = afterTop && (endTag ? isStream() : topName);
                        if (candidate) {
                            return i;
                        }
                        state = State.TAG;
                        quote = 0;
                        prev = 0;
                        i--; // the tag's end is read in TAG
                    } else if (nameLength <= MAX_NAME) {
                        name[nameLength++] = b;
                    }
                }
                case TAG -> {
                    if (quote != 0) {
                        if (b == quote) {
                            quote = 0;
                        }
                    } else if (b == '"' || b == '\'') {
                        quote = b;
                    } else if (b == '>') {
                        // an end tag, or an empty element, ends a piece there; a start tag opens one
                        afterTop = topName && (endTag || prev == '/');
                        state = State.TEXT;
                    } else if (!isSpace(b)) {
                        prev = b;
                    }
                }
                case MARKUP -> {
                    if (b == '>') {
                        state = State.TEXT;
                    }
                }
                default -> throw new IllegalStateException("seeker state " + state);
            }
        }
        return -1;
    }

    /** How many bytes of the found piece came before the index {@link #scan} returned: its {@code <}, {@code /} and name. */
    int candidateLength() {
        return 1 + (endTag ? 1 : 0) + nameLength;
    }

    /** The found piece's first bytes, up to the index {@link #scan} returned. */
    byte[] candidateBytes() {
        byte[] out = new byte[candidateLength()];
        out[0] = '<';
        int at = 1;
        if (endTag) {
            out[at++] = '/';
        }
        System.arraycopy(name, 0, out, at, nameLength);
        return out;
    }

    /** Whether the found piece is a stream header: the parse then starts outside the stream element. */
    boolean candidateIsHeader() {
        return !endTag && isStream();
    }

    /** How many bytes at the end of what was scanned may begin a piece not yet decided on: a {@code <} and a name so far. */
    int undecided() {
        return state == State.NAME ? candidateLength() : 0;
    }

    private boolean isStream() {
        String n = new String(name, 0, nameLength, StandardCharsets.US_ASCII);
        return n.equals("stream:stream") || n.equals("stream");
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
