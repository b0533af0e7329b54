package dev.xmppscope.analyzer.stream;

import java.util.Arrays;
import java.util.List;

/**
 * Finds the boundaries of an XMPP stream's top-level pieces in a byte stream fed in arbitrary
 * chunks: stream headers (and restarts), complete top-level elements, the closing tag. It reads
 * only XML's ASCII markup bytes, so a multi-byte UTF-8 character split across chunks needs no care,
 * and it knows the exact byte offset and size of every piece. Woodstox then parses each piece.
 *
 * <p>It is the memory fence against hostile streams: it refuses DTDs (billion laughs, external
 * entities) before any parser sees them, and bounds element depth and element size, so a piece
 * is never buffered past {@code maxElementBytes} (plus one chunk). After the first error it stops;
 * the caller treats the rest of the stream as unparsed.
 *
 * <p>It matches each end tag to its start tag by a hash of their names, so that an element closed
 * by the wrong end tag (a client's {@code <body>} closed by {@code </message>}) is handed to the
 * parser, which says what is wrong, as soon as that end tag comes: counting depth alone took it
 * for still open, and the failure surfaced only with the peer's next bytes, after the server had
 * already answered it. A hash collision only delays the failure to where depth alone finds it.
 */
final class ElementFramer {

    enum FrameKind { HEADER, ELEMENT, CLOSE }

    /** A framed piece; {@code bytes[from, from+length)} holds it, {@code offset} is its stream offset. */
    record Frame(FrameKind kind, byte[] bytes, int from, int length, long offset) {
    }

    private static final int TEXT = 0;
    private static final int LT = 1;
    private static final int START_TAG = 2;
    private static final int END_TAG = 3;
    private static final int PI = 4;
    private static final int BANG = 5;
    private static final int COMMENT = 6;
    private static final int CDATA = 7;
    private static final int MAX_NAME = 256;

    private final int maxElementBytes;
    private final int maxDepth;

    private long pos;
    private int depth;
    private int state = TEXT;
    private byte quote;
    private byte prev;
    private byte prev2;
    private final byte[] name = new byte[MAX_NAME];
    private int nameLength;
    private boolean nameDone;
    /** Hash of the name of the tag being read (start or end), across chunks. */
    private int nameHash;
    /** The end tag's name has ended (whitespace before its {@code >}). */
    private boolean endNameDone;
    /** The name hash of the open element at each depth (2 and deeper: inside a top-level element). */
    private int[] openNames = new int[16];
    private final byte[] bang = new byte[8];
    private int bangLength;
    private byte[] streamName;
    /** Framing resumed after skipped bytes ({@link #resume}): an end tag at the stream's level must be the stream's. */
    private boolean strictClose;
    private boolean markupAtTop; // a PI or comment between top-level pieces: not part of any piece

    private long chunkStartPos;
    private int chunkLength;
    private long itemStart = -1;
    private int itemChunkStart = -1;
    private byte[] buffer = new byte[0];
    private int buffered;

    private String error;
    private long errorOffset = -1;
    /** The stream offset just past the byte at which the error was found. */
    private long errorEnd = -1;
    private int chunkFrom;

    ElementFramer(long startOffset, int maxElementBytes, int maxDepth) {
        this.pos = startOffset;
        this.maxElementBytes = maxElementBytes;
        this.maxDepth = maxDepth;
    }

    /** Bytes held for an element not yet complete (the memory the framer uses). */
    int bufferCapacity() {
        return buffer.length;
    }

    String error() {
        return error;
    }

    long errorOffset() {
        return errorOffset;
    }

    /** The stream offset just past the byte at which the error was found: where a resumed parse looks on from. */
    long errorEnd() {
        return errorEnd;
    }

    long position() {
        return pos;
    }

    /** Stream offset of the top-level piece read so far but not complete yet, or -1 when there is none. */
    long pendingStart() {
        return itemStart;
    }

    /** The first (up to {@code max}) bytes of the piece not complete yet ({@link #pendingStart}), between feeds. */
    byte[] pendingBytes(int max) {
        return itemStart < 0 ? new byte[0] : Arrays.copyOf(buffer, Math.min(buffered, max));
    }

    /**
     * Scans {@code bytes[from, from+length)} and appends the pieces it completes to {@code out}.
     * Returns false if the stream became unparseable (then see {@link #error()}); bytes from
     * {@link #errorOffset()} on are not framed.
     */
    boolean feed(byte[] bytes, int from, int length, List<Frame> out) {
        if (error != null) {
            pos += length;
            return false;
        }
        int end = from + length;
        itemChunkStart = -1; // an item carried over from the last chunk is in the buffer
        chunkStartPos = pos;
        chunkLength = length;
        chunkFrom = from;
        int chunkBase = from;
        for (int i = from; i < end; i++) {
            byte b = bytes[i];
            switch (state) {
                case TEXT -> {
                    if (b == '<') {
                        if (depth <= 1) {
                            startItem(i, chunkBase);
                        }
                        state = LT;
                    } else if (depth == 0) {
                        if (!isSpace(b) && !isBom(b)) {
                            return fail(pos + (i - chunkBase), "text before the stream header (not an XMPP stream?)", bytes, i, end);
                        }
                    } else {
                        i = before(bytes, i, end, (byte) '<'); // character data: only its end matters
                    }
                }
                case LT -> {
                    if (b == '?') {
                        state = PI;
                        prev = 0;
                    } else if (b == '!') {
                        state = BANG;
                        bangLength = 0;
                    } else if (b == '/') {
                        state = END_TAG;
                        quote = 0;
                        nameHash = 0;
                        endNameDone = false;
                    } else {
                        state = START_TAG;
                        quote = 0;
                        nameLength = 0;
                        nameDone = false;
                        nameHash = 0;
                        i = nameRun(bytes, i, end);
                    }
                    markupAtTop = depth <= 1 && (b == '?' || b == '!');
                }
                case START_TAG -> {
                    if (quote != 0) {
                        if (b == quote) {
                            quote = 0;
                        } else {
                            i = before(bytes, i, end, quote); // an attribute value: only its end matters
                        }
                    } else if (b == '"' || b == '\'') {
                        quote = b;
                        nameDone = true;
                    } else if (b == '>') {
                        if (!closeStartTag(prev == '/', bytes, i, chunkBase, out)) {
                            return fail(errorOffset, error, bytes, i, end);
                        }
                        state = TEXT;
                    } else {
                        if (!nameDone) {
                            if (isSpace(b) || b == '/') {
                                nameDone = true;
                            } else {
                                nameHash = 31 * nameHash + b; // a name that went on past the last chunk's end
                                if (depth <= 1) {
                                    addName(b);
                                }
                            }
                        }
                        if (!isSpace(b)) {
                            prev = b;
                        }
                        if (nameDone) {
                            i = skipInTag(bytes, i, end); // attribute names, '=' and spaces: nothing to track
                        }
                    }
                }
                case END_TAG -> {
                    if (b != '>') {
                        i = endNameRun(bytes, i, end);
                    } else {
                        if (depth == 0) {
                            return fail(pos + (i - chunkBase), "closing tag outside any stream", bytes, i, end);
                        }
                        if (depth == 1 && strictClose && nameHash != hash(streamName)) {
                            // what resumed as a top-level piece was nested in one whose start was skipped
                            return fail(itemOrHere(i, chunkBase), "an end tag at the stream's level that does not close the stream",
                                    bytes, i, end);
                        }
                        if (depth >= 2 && openNames[depth] != nameHash) {
                            // the parser says what is wrong with the element, from its start to this end tag
                            long start = itemOrHere(i, chunkBase);
                            emit(FrameKind.ELEMENT, bytes, i, chunkBase, out);
                            return fail(start, "an end tag that does not match its start tag", bytes, i, end);
                        }
                        depth--;
                        if (depth == 0) {
                            emit(FrameKind.CLOSE, bytes, i, chunkBase, out);
                        } else if (depth == 1) {
                            emit(FrameKind.ELEMENT, bytes, i, chunkBase, out);
                        }
                        if (error != null) {
                            return fail(errorOffset, error, bytes, i, end);
                        }
                        state = TEXT;
                    }
                }
                case PI -> {
                    if (b == '>' && prev == '?') {
                        endTopMarkup();
                        state = TEXT;
                    }
                    prev = b;
                }
                case BANG -> {
                    bang[bangLength++] = b;
                    if (bangLength == 2 && bang[0] == '-' && bang[1] == '-') {
                        state = COMMENT;
                        prev = 0;
                        prev2 = 0;
                    } else if (bangLength == 7 && startsWith(bang, "[CDATA[")) {
                        state = CDATA;
                        prev = 0;
                        prev2 = 0;
                    } else if (bangLength == 7 && startsWith(bang, "DOCTYPE")) {
                        return fail(itemOrHere(i, chunkBase), "a DOCTYPE (XMPP forbids DTDs and entity declarations, RFC 6120 §11.1)", bytes, i, end);
                    } else if (bangLength == 8 || !plausibleBang()) {
                        return fail(itemOrHere(i, chunkBase), "malformed markup after '<!'", bytes, i, end);
                    }
                }
                case COMMENT, CDATA -> {
                    byte close = state == COMMENT ? (byte) '-' : (byte) ']';
                    if (b == '>' && prev == close && prev2 == close) {
                        if (state == COMMENT) {
                            endTopMarkup();
                        }
                        state = TEXT;
                    }
                    prev2 = prev;
                    prev = b;
                }
                default -> throw new IllegalStateException("framer state " + state);
            }
        }
        pos += end - chunkBase;
        if (itemStart >= 0) {
            int keepFrom = itemChunkStart >= 0 ? itemChunkStart : from;
            append(bytes, keepFrom, end - keepFrom);
            itemChunkStart = -1;
            if (pos - itemStart > maxElementBytes) {
                return fail(itemStart, "element larger than " + maxElementBytes + " bytes", bytes, end, end);
            }
        }
        if (error != null) { // set by emit() when a piece completed over the size limit
            return fail(errorOffset, error, bytes, end, end);
        }
        return true;
    }

    /**
     * Goes on framing from stream offset {@code offset} at {@code depth} (1: inside the stream
     * element, 0: before a header), the bytes before it skipped ({@link StanzaSeeker}), even after
     * an error. From here on an end tag at the stream's level must close the stream: a piece taken
     * for top-level that was nested (its wrapper's start skipped) then fails at its wrapper's end.
     */
    void resume(long offset, int depth) {
        pos = offset;
        this.depth = depth;
        state = TEXT;
        itemStart = -1;
        itemChunkStart = -1;
        buffered = 0;
        error = null;
        errorOffset = -1;
        errorEnd = -1;
        markupAtTop = false;
        if (streamName == null) {
            streamName = "stream:stream".getBytes(java.nio.charset.StandardCharsets.US_ASCII); // the prefix nearly every stream uses
        }
        strictClose = true;
    }

    private static int hash(byte[] name) {
        int h = 0;
        for (byte b : name) {
            h = 31 * h + b;
        }
        return h;
    }

    private boolean closeStartTag(boolean selfClosing, byte[] bytes, int i, int chunkBase, List<Frame> out) {
        if (depth == 0) {
            streamName = Arrays.copyOf(name, nameLength);
            depth = 1;
            emit(FrameKind.HEADER, bytes, i, chunkBase, out);
            return error == null;
        } else if (depth == 1 && !selfClosing && isStreamName()) {
            emit(FrameKind.HEADER, bytes, i, chunkBase, out); // a stream restart
            return error == null;
        } else if (selfClosing) {
            if (depth == 1) {
                emit(FrameKind.ELEMENT, bytes, i, chunkBase, out);
                return error == null;
            }
        } else {
            depth++;
            if (depth > maxDepth) {
                error = "elements nested deeper than " + (maxDepth - 1) + " levels";
                errorOffset = itemOrHere(i, chunkBase);
                return false;
            }
            if (depth >= openNames.length) {
                openNames = Arrays.copyOf(openNames, Math.min(maxDepth + 1, openNames.length * 2));
            }
            openNames[depth] = nameHash;
        }
        return true;
    }

    /**
     * Reads a start tag's name from {@code i} (the byte after {@code <}) up to, not including, the
     * byte that ends it in this chunk, and returns the index of the name's last byte: the main
     * loop goes on with the byte that ends it. Only a name at the top (depth 0 or 1) is kept, to
     * recognise the stream's header and its restarts; deeper names, nearly all of them, are passed
     * over in this tight loop instead of a state dispatch and a copy per byte. {@code prev}
     * becomes the name's last byte (never a {@code /}, so the tag is not taken for an empty one).
     */
    private int nameRun(byte[] bytes, int i, int end) {
        int j = i + 1; // the byte after '<' is the name's first, whatever it is: malformed input stays malformed
        int h = bytes[i];
        // a quote ends the name here as it does byte by byte (it opens a value there): where a read
        // ends must not change how a malformed tag like <a='>'> is framed
        while (j < end && !isSpace(bytes[j]) && bytes[j] != '/' && bytes[j] != '>' && bytes[j] != '"' && bytes[j] != '\'') {
            h = 31 * h + bytes[j];
            j++;
        }
        nameHash = h;
        if (depth <= 1) {
            for (int k = i; k < j; k++) {
                addName(bytes[k]);
            }
        }
        prev = bytes[j - 1];
        return j - 1;
    }

    /**
     * Reads an end tag from {@code i} (a byte of it that is not its {@code >}): hashes its name, up
     * to whitespace or the chunk's end, then passes over what is left before the {@code >}.
     * Returns the index the main loop goes on after.
     */
    private int endNameRun(byte[] bytes, int i, int end) {
        int j = i;
        if (!endNameDone) {
            int h = nameHash;
            while (j < end && bytes[j] != '>' && !isSpace(bytes[j])) {
                h = 31 * h + bytes[j];
                j++;
            }
            nameHash = h;
            if (j == end || bytes[j] == '>') {
                return j - 1;
            }
            endNameDone = true;
        }
        return before(bytes, j, end, (byte) '>');
    }

    /**
     * The index just before the next {@code wanted} byte after {@code i} (or the chunk's last
     * index): the main loop goes on from there. Runs of bytes whose content the framer ignores
     * are skipped in this tight loop instead of a state dispatch per byte.
     */
    private static int before(byte[] bytes, int i, int end, byte wanted) {
        int j = i + 1;
        while (j < end && bytes[j] != wanted) {
            j++;
        }
        return j - 1;
    }

    /**
     * Skips to just before the next quote or {@code >} after {@code i} in a start tag, keeping
     * {@code prev} (the last byte that is not a space: a {@code /} there makes the tag empty).
     */
    private int skipInTag(byte[] bytes, int i, int end) {
        int j = i + 1;
        while (j < end && bytes[j] != '"' && bytes[j] != '\'' && bytes[j] != '>') {
            j++;
        }
        for (int k = j - 1; k > i; k--) {
            if (!isSpace(bytes[k])) {
                prev = bytes[k];
                break;
            }
        }
        return j - 1;
    }

    private void startItem(int i, int chunkBase) {
        itemStart = pos + (i - chunkBase);
        itemChunkStart = i;
        buffered = 0;
    }

    private void endTopMarkup() {
        if (markupAtTop && depth <= 1) {
            itemStart = -1;
            itemChunkStart = -1;
            buffered = 0;
        }
        markupAtTop = false;
    }

    private void emit(FrameKind kind, byte[] bytes, int i, int chunkBase, List<Frame> out) {
        long offset = itemStart;
        int size = (int) (pos + (i - chunkBase) + 1 - itemStart);
        if (size > maxElementBytes) {
            // checked here too so that one huge chunk never reaches the XML parser
            error = "element larger than " + maxElementBytes + " bytes";
            errorOffset = itemStart;
            itemStart = -1;
            return;
        }
        if (itemChunkStart >= 0) {
            out.add(new Frame(kind, bytes, itemChunkStart, i + 1 - itemChunkStart, offset));
        } else {
            append(bytes, chunkBase, i + 1 - chunkBase);
            out.add(new Frame(kind, Arrays.copyOf(buffer, buffered), 0, buffered, offset));
        }
        itemStart = -1;
        itemChunkStart = -1;
        buffered = 0;
    }

    private boolean fail(long offset, String reason, byte[] bytes, int i, int end) {
        if (error == null) {
            error = reason;
            errorOffset = offset;
        }
        errorEnd = chunkStartPos + Math.min(chunkLength, i - chunkFrom + 1);
        pos = chunkStartPos + chunkLength; // the whole chunk is consumed, framed or not
        itemStart = -1;
        buffered = 0;
        buffer = new byte[0];
        return false;
    }

    private long itemOrHere(int i, int chunkBase) {
        return itemStart >= 0 ? itemStart : pos + (i - chunkBase);
    }

    private void append(byte[] bytes, int from, int length) {
        if (buffered + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffered + length, Math.min(buffer.length * 2 + 256, maxElementBytes + length)));
        }
        System.arraycopy(bytes, from, buffer, buffered, length);
        buffered += length;
    }

    private void addName(byte b) {
        if (nameLength < MAX_NAME) {
            name[nameLength++] = b;
        }
    }

    private boolean isStreamName() {
        return streamName != null && nameLength == streamName.length && Arrays.equals(name, 0, nameLength, streamName, 0, nameLength);
    }

    private boolean plausibleBang() {
        String[] starts = {"--", "[CDATA[", "DOCTYPE"};
        for (String s : starts) {
            boolean ok = true;
            for (int k = 0; k < bangLength && k < s.length(); k++) {
                if (bang[k] != s.charAt(k)) {
                    ok = false;
                    break;
                }
            }
            if (ok && bangLength <= s.length()) {
                return true;
            }
        }
        return false;
    }

    private boolean startsWith(byte[] b, String s) {
        for (int k = 0; k < s.length(); k++) {
            if (b[k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static boolean isBom(byte b) {
        return b == (byte) 0xEF || b == (byte) 0xBB || b == (byte) 0xBF;
    }
}
