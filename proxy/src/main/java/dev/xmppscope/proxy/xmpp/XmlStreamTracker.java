package dev.xmppscope.proxy.xmpp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Follows the element structure of one direction of an XMPP stream, fed bytes as they arrive
 * in arbitrary pieces (sans-io: no sockets, no threads). It reports tags with their depth
 * (0 = the {@code <stream:stream>} header, 1 = a top-level element such as a stanza,
 * {@code <starttls/>} or {@code <stream:features>}), their namespace, their attributes and
 * their absolute byte offsets, plus the byte ranges of character data.
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

    /** Receives what the tracker finds. Offsets are absolute within the stream, end exclusive. */
    public interface Listener {
        void tag(Tag tag);

        /**
         * Asked for each start or empty tag before it is parsed, with only its local name (the
         * undecoded bytes {@code name[from, to)}) and its depth: returning true skips the element
         * unseen (not reported, content included), which is much cheaper than
         * {@link XmlStreamTracker#skipElement()} after parsing. Bytes, not a string: this is asked
         * for nearly every stanza of a stream. Stream headers are never offered.
         */
        default boolean passOver(byte[] name, int from, int to, int depth) {
            return false;
        }

        /** Character data (CDATA sections included, markers and all) inside {@code inside}, or null at stream level. */
        default void text(long from, long to, Element inside, List<Element> ancestors) {
        }

        /**
         * Character data of an element named as {@link #watchInSkipped} says, inside an element
         * being skipped: its text and the content of its CDATA sections (not their markers), up to
         * its end tag or its first child element (which XMPP never puts in such an element).
         */
        default void watchedText(long from, long to) {
        }
    }

    private enum State { TEXT, LT, TAG, TAG_QUOTE, BANG, COMMENT, CDATA, PI, DOCTYPE, SKIP_NAME, WATCHED_TEXT, WATCHED_CDATA }

    /** Stands on the stack for an element skipped before it was parsed. */
    private static final Element PASSED_OVER = new Element("", "", Map.of());
    private static final byte[] COMMENT_OPEN = {'-', '-'};
    private static final byte[] CDATA_OPEN = {'[', 'C', 'D', 'A', 'T', 'A', '['};
    private static final byte[] STREAM = {'s', 't', 'r', 'e', 'a', 'm'};

    private final List<Element> stack = new ArrayList<>();
    private final List<Element> readOnlyStack = Collections.unmodifiableList(stack);
    private final List<Map<String, String>> prefixes = new ArrayList<>();
    private State state = State.TEXT;
    private long offset;
    private long tagStart;
    private byte quote;
    private byte[] tag = new byte[256];
    private int tagLength;
    /** The tag being read has its name complete (and was offered to {@link Listener#passOver}). */
    private boolean tagNamed;
    private boolean tagTooLong;
    private int bangLength;
    private boolean bangCdata;
    private int tail1 = -1;
    private int tail2 = -1;
    // skipping an element's content (see skipElement): its qualified name, how many elements of that
    // name are open (itself included), how much of the name a tag seen in SKIP_NAME matched so far,
    // and the first/last bytes of a same-named tag
    private byte[] skipName = new byte[32];
    private int skipNameLength;
    private int skipNesting;
    private int skipMatched;
    private boolean skipClosing;
    private boolean skipRequested;
    /** The skipped element's name (its first eight bytes) as {@link ByteScan#prefixWord} and the mask to compare it under. */
    private long skipWord;
    private long skipMask;
    private byte skipFirst;
    private byte skipLast;
    /** Skipping began inside the skipped element's own start tag, which may yet turn out empty ({@code />}). */
    private boolean skipOwnStartTag;
    // an element name watched for while skipping (see watchInSkipped), how much of it the tag seen
    // in SKIP_NAME matched so far (-1: no longer), and whether the tag being passed is one
    private byte[] watched;
    // the watched names' first eight bytes (see skipWord); until one is set, eight 0xFF bytes that
    // begin no UTF-8 name (and were they there, the state machine would decide, as for any match)
    private long watchedWord = -1L;
    private long watchedMask = -1L;
    private int watchedMatched = -1;
    private boolean skipWatchedTag;
    /** A {@code '<'} was met in a watched element's text: a CDATA section there is watched text too. */
    private boolean watchedMarkup;
    // an element whose attribute of a given name is watched for while skipping (see
    // watchAttributeInSkipped); such a tag is read byte by byte: where its attributes are (0 between
    // two, 1 in a name, 2 after a name, 3 after '='), how much of the watched name the current one
    // matched (-1: it differs), and whether the quoted value being passed is the watched one's
    private byte[] watchedAttrElement;
    private byte[] watchedAttr;
    private long attrElementWord = -1L;
    private long attrElementMask = -1L;
    private int attrElementMatched = -1;
    private boolean skipAttrTag;
    private int attrState;
    private int attrMatched;
    private boolean reportQuoted;
    private boolean halted;

    /** Bytes consumed so far: the absolute offset of the next byte (stops advancing once {@link #halt() halted}). */
    public long offset() {
        return offset;
    }

    /** The innermost open element, or null. */
    public Element current() {
        return stack.isEmpty() ? null : stack.get(stack.size() - 1);
    }

    public int depth() {
        return stack.size();
    }

    /**
     * Called from {@link Listener#tag} for a {@link TagKind#START} tag: the element's content and
     * end tag are passed over without being reported, and it is then popped as if its end tag had
     * been seen. Skipping still honours comments and CDATA, but builds no strings and looks
     * only at tags with the skipped element's name (its end tag is the first one not matched by
     * a nested start tag of that name), so a caller that only cares about a few elements pays
     * little for the others.
     */
    public void skipElement() {
        skipRequested = true;
    }

    /**
     * Makes skipping report the text of elements with this unprefixed name to
     * {@link Listener#watchedText}, wherever they are in what is skipped: the one thing a skipped
     * element is still looked at for.
     */
    public void watchInSkipped(String name) {
        watched = name.getBytes(StandardCharsets.UTF_8);
        watchedWord = ByteScan.prefixWord(watched, watched.length);
        watchedMask = ByteScan.prefixMask(watched.length);
    }

    /**
     * Makes skipping report the value of the attribute {@code attribute} of elements named
     * {@code element} (both unprefixed) to {@link Listener#watchedText}, as for
     * {@link #watchInSkipped}.
     */
    public void watchAttributeInSkipped(String element, String attribute) {
        watchedAttrElement = element.getBytes(StandardCharsets.UTF_8);
        watchedAttr = attribute.getBytes(StandardCharsets.UTF_8);
        attrElementWord = ByteScan.prefixWord(watchedAttrElement, watchedAttrElement.length);
        attrElementMask = ByteScan.prefixMask(watchedAttrElement.length);
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
        long textStart = -1;
        int i = from;
        while (i < to) {
            if (skipNesting > 0) {
                i = skip(bytes, i, to, offset - from, listener);
                continue;
            }
            byte b = bytes[i];
            long pos = offset + (i - from);
            switch (state) {
                case TEXT -> {
                    int lt = ByteScan.indexOf(bytes, (byte) '<', i, to);
                    if (lt < 0) {
                        if (textStart < 0) {
                            textStart = pos;
                        }
                        i = to;
                        continue;
                    }
                    if (lt > i && textStart < 0) {
                        textStart = pos;
                    }
                    long ltPos = offset + (lt - from);
                    if (textStart >= 0) {
                        emitText(textStart, ltPos, listener);
                        textStart = -1;
                    }
                    state = State.LT;
                    tagStart = ltPos;
                    tagLength = 0;
                    tagTooLong = false;
                    i = lt + 1;
                    continue;
                }
                case LT -> {
                    if (b == '?') {
                        state = State.PI;
                        resetTail();
                    } else if (b == '!') {
                        state = State.BANG;
                        bangLength = 0;
                    } else {
                        state = State.TAG;
                        append(bytes, i, i + 1);
                        tagNamed = b == '/' || ByteScan.endsName(b); // end tags are never passed over
                    }
                }
                case TAG -> {
                    if (!tagNamed) {
                        // offered for passing over as soon as its name is complete: a passed-over
                        // start tag is then neither copied nor parsed (skip() finds where it ends)
                        int e = ByteScan.indexOfNameEnd(bytes, i, to);
                        append(bytes, i, e < 0 ? to : e);
                        i = e < 0 ? to : e;
                        if (e >= 0) {
                            tagNamed = true;
                            passedOver(listener);
                        }
                        continue;
                    }
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
                    int j = ByteScan.indexOf(bytes, quote, i, to);
                    int stop = j < 0 ? to : j + 1;
                    append(bytes, i, stop);
                    if (j >= 0) {
                        state = State.TAG;
                    }
                    i = stop;
                    continue;
                }
                case BANG -> textStart = bang(b, tagStart, textStart);
                case COMMENT -> {
                    if (b == '>' && tail1 == '-' && tail2 == '-') {
                        state = State.TEXT;
                    }
                    shift(b);
                }
                case CDATA -> {
                    if (textStart < 0) {
                        textStart = pos; // a CDATA section continuing from the previous feed
                    }
                    if (b == '>' && tail1 == ']' && tail2 == ']') {
                        state = State.TEXT;
                    }
                    shift(b);
                }
                case PI -> {
                    if (b == '>' && tail1 == '?') {
                        state = State.TEXT;
                    }
                    shift(b);
                }
                case DOCTYPE -> {
                    if (b == '>') {
                        state = State.TEXT;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
            i++;
        }
        long end = offset + (to - from);
        if (textStart >= 0 && (state == State.TEXT || state == State.CDATA)) {
            emitText(textStart, end, listener);
        }
        offset = end;
    }

    /** After {@code <!}: a comment, a CDATA section or a declaration. Returns the (maybe started) text start. */
    private long bang(byte b, long ltPos, long textStart) {
        if (bangLength == 0) {
            bangCdata = b == '['; // the openers differ in their first byte: it decides which one is matched
        }
        boolean comment = !bangCdata && bangLength < COMMENT_OPEN.length && COMMENT_OPEN[bangLength] == b;
        boolean cdata = bangCdata && bangLength < CDATA_OPEN.length && CDATA_OPEN[bangLength] == b;
        if (comment || cdata) {
            bangLength++;
            if (comment && bangLength == COMMENT_OPEN.length) {
                state = State.COMMENT;
                resetTail();
            } else if (cdata && bangLength == CDATA_OPEN.length) {
                state = State.CDATA;
                resetTail();
                return ltPos;
            }
            return textStart;
        }
        state = b == '>' ? State.TEXT : State.DOCTYPE;
        return textStart;
    }

    /**
     * Passes over the content of a skipped element without reporting anything; returns where
     * it stopped: {@code to}, or right after the skipped element's end tag.
     */
    private int skip(byte[] bytes, int i, int to, long base, Listener listener) {
        while (i < to) {
            switch (state) {
                case TEXT -> {
                    int lt = nextTagNamedLikeSkipped(bytes, i, to);
                    if (lt < 0) {
                        return to;
                    }
                    int closed = afterPlainEndTag(bytes, lt, to);
                    if (closed < 0) {
                        state = State.LT;
                        i = lt + 1;
                    } else if (--skipNesting == 0) { // the usual end of a skipped stanza, decided here
                        pop();
                        return closed;
                    } else {
                        i = closed;
                    }
                }
                case LT -> {
                    byte b = bytes[i++];
                    watchedMarkup &= b == '!'; // only a CDATA section keeps a watched element's text going
                    if (b == '?') {
                        state = State.PI;
                        resetTail();
                    } else if (b == '!') {
                        state = State.BANG;
                        bangLength = 0;
                    } else {
                        // only tags named like the skipped element change its nesting: '<' cannot
                        // occur in attribute values, so other tags need no parsing at all
                        skipClosing = b == '/';
                        skipMatched = 0;
                        watchedMatched = watched != null && !skipClosing ? 0 : -1;
                        attrElementMatched = watchedAttrElement != null && !skipClosing ? 0 : -1;
                        state = State.SKIP_NAME;
                        if (!skipClosing) {
                            i--; // b is the name's first byte: SKIP_NAME matches it
                        }
                    }
                }
                case SKIP_NAME -> {
                    // the qualified name against the skipped element's, and (start tags) the local
                    // name against the watched ones: a prefix restarts those
                    while (i < to && !ByteScan.endsName(bytes[i])) {
                        byte c = bytes[i++];
                        skipMatched = skipMatched >= 0 && skipMatched < skipNameLength && skipName[skipMatched] == c
                                ? skipMatched + 1 : -1;
                        if (c == ':' && !skipClosing) {
                            watchedMatched = watched != null ? 0 : -1;
                            attrElementMatched = watchedAttrElement != null ? 0 : -1;
                            continue;
                        }
                        watchedMatched = watchedMatched >= 0 && watchedMatched < watched.length && watched[watchedMatched] == c
                                ? watchedMatched + 1 : -1;
                        attrElementMatched = attrElementMatched >= 0 && attrElementMatched < watchedAttrElement.length
                                && watchedAttrElement[attrElementMatched] == c ? attrElementMatched + 1 : -1;
                    }
                    if (i == to) {
                        return to;
                    }
                    byte b = bytes[i];
                    // "<name/>" changes no nesting and can be ignored like any other name
                    boolean sameName = skipMatched == skipNameLength && (b == '>' || ByteScan.isWhitespace(b));
                    if (sameName) {
                        state = State.TAG; // parsed from its name's end: is it empty, where does it end
                        skipFirst = skipClosing ? (byte) '/' : skipName[0];
                        skipLast = skipName[skipNameLength - 1];
                    } else if (watchedMatched >= 0 && watchedMatched == watched.length && ByteScan.endsName(b)) {
                        state = State.TAG; // its text follows its start tag, unless that is empty
                        skipWatchedTag = true;
                        skipLast = watched[watched.length - 1];
                    } else if (attrElementMatched >= 0 && attrElementMatched == watchedAttrElement.length && ByteScan.endsName(b)) {
                        state = State.TAG;
                        skipAttrTag = true;
                        attrState = 0;
                        attrMatched = -1;
                    } else {
                        state = State.TEXT;
                    }
                }
                case WATCHED_TEXT -> {
                    int lt = ByteScan.indexOf(bytes, (byte) '<', i, to);
                    int end = lt < 0 ? to : lt;
                    if (end > i) {
                        listener.watchedText(base + i, base + end);
                    }
                    if (lt < 0) {
                        return to;
                    }
                    state = State.LT;
                    watchedMarkup = true;
                    i = lt + 1;
                }
                case WATCHED_CDATA -> i = passWatchedCdata(bytes, i, to, base, listener);
                case TAG -> {
                    if (skipAttrTag) {
                        i = passWatchedAttributes(bytes, i, to);
                        continue;
                    }
                    // a quoted value is passed in place (no state change): tags here have several
                    int j;
                    byte b;
                    while ((j = ByteScan.indexOfTagStop(bytes, i, to)) >= 0 && (b = bytes[j]) != '>') {
                        int close = ByteScan.indexOf(bytes, b, j + 1, to);
                        skipLast = b;
                        if (close < 0) {
                            quote = b;
                            state = State.TAG_QUOTE;
                            return to;
                        }
                        i = close + 1;
                    }
                    int end = j < 0 ? to : j;
                    // the last non-blank byte before the stop: '/' makes an empty-element tag
                    int k = end - 1;
                    while (k >= i && ByteScan.isWhitespace(bytes[k])) {
                        k--;
                    }
                    byte last = k >= i ? bytes[k] : skipLast;
                    skipLast = last;
                    if (j < 0) {
                        return to;
                    }
                    i = j + 1;
                    state = State.TEXT;
                    if (skipWatchedTag) {
                        skipWatchedTag = false;
                        if (last != '/') {
                            state = State.WATCHED_TEXT;
                        }
                        continue;
                    }
                    if (skipOwnStartTag) {
                        skipOwnStartTag = false;
                        if (last == '/') {
                            skipNesting--; // an empty element: nothing more to skip
                        }
                    } else if (skipFirst == '/') {
                        skipNesting--;
                    } else if (last != '/') {
                        skipNesting++;
                    }
                    if (skipNesting == 0) {
                        pop();
                        return i;
                    }
                }
                case TAG_QUOTE -> {
                    int j = ByteScan.indexOf(bytes, quote, i, to);
                    int end = j < 0 ? to : j;
                    if (reportQuoted && end > i) {
                        listener.watchedText(base + i, base + end);
                    }
                    if (j < 0) {
                        return to;
                    }
                    reportQuoted = false;
                    state = State.TAG;
                    i = j + 1;
                }
                case BANG -> {
                    bang(bytes[i++], 0, -1);
                    if (watchedMarkup && state != State.BANG) {
                        watchedMarkup = false;
                        if (state == State.CDATA) {
                            state = State.WATCHED_CDATA;
                        }
                    }
                }
                case COMMENT, CDATA, PI, DOCTYPE -> {
                    byte b = bytes[i++];
                    boolean closes = b == '>' && switch (state) {
                        case COMMENT -> tail1 == '-' && tail2 == '-';
                        case CDATA -> tail1 == ']' && tail2 == ']';
                        case PI -> tail1 == '?';
                        default -> true;
                    };
                    if (closes) {
                        state = State.TEXT;
                    }
                    shift(b);
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return to;
    }

    /**
     * Passes the content of a CDATA section in a watched element, reporting it, up to its
     * {@code "]]>"} (then back to the element's text); returns where it stopped. A {@code ']'}
     * that ends a feed may begin that marker, so it is held back from the report, and stays
     * unmasked if the next feed shows it was content.
     */
    private int passWatchedCdata(byte[] bytes, int i, int to, long base, Listener listener) {
        int start = i;
        while (i < to) {
            byte b = bytes[i++];
            if (b == '>' && tail1 == ']' && tail2 == ']') {
                int contentEnd = Math.max(start, i - 3);
                if (contentEnd > start) {
                    listener.watchedText(base + start, base + contentEnd);
                }
                resetTail();
                state = State.WATCHED_TEXT;
                return i;
            }
            shift(b);
        }
        int end = to;
        while (end > start && end > to - 2 && bytes[end - 1] == ']') {
            end--;
        }
        if (end > start) {
            listener.watchedText(base + start, base + end);
        }
        return to;
    }

    /**
     * Passes a start tag named as {@link #watchAttributeInSkipped} says, from where it stands,
     * byte by byte up to its end or a quoted value (then TAG_QUOTE, reporting it if it is the
     * watched attribute's); returns where it stopped.
     */
    private int passWatchedAttributes(byte[] bytes, int i, int to) {
        while (i < to) {
            byte c = bytes[i++];
            if (c == '>') {
                state = State.TEXT;
                skipAttrTag = false; // named unlike the skipped element: no nesting to count
                return i;
            } else if (c == '"' || c == '\'') {
                quote = c;
                reportQuoted = attrState == 3 && attrMatched == watchedAttr.length;
                attrState = 0;
                state = State.TAG_QUOTE;
                return i;
            } else if (ByteScan.isWhitespace(c)) {
                attrState = attrState == 1 ? 2 : attrState;
            } else if (c == '=') {
                attrMatched = attrState == 1 || attrState == 2 ? attrMatched : -1;
                attrState = 3;
            } else if (c == '/') {
                attrState = 0;
            } else if (attrState == 1) {
                attrMatched = attrMatched >= 0 && attrMatched < watchedAttr.length && watchedAttr[attrMatched] == c
                        ? attrMatched + 1 : -1;
            } else if (attrState != 3) { // an unquoted value (malformed) is ignored
                attrState = 1;
                attrMatched = watchedAttr[0] == c ? 1 : -1;
            }
        }
        return to;
    }

    /**
     * The next {@code '<'} in {@code bytes[i, to)} that may open a tag named like the skipped
     * element, a start tag named like a watched one (prefixed names included), a comment, CDATA or
     * a PI, or -1. Other tags are hopped over here without going through the state machine: most
     * tags in a skipped stanza. Names are compared a word at a time (their first eight bytes), so
     * a {@code <markable/>} in a message or a {@code <priority>} in a presence is hopped over too;
     * the state machine decides the few that match, and the tags too close to the piece's end.
     */
    private int nextTagNamedLikeSkipped(byte[] bytes, int i, int to) {
        long skipW = skipWord;
        long skipM = skipMask;
        long watchedW = watchedWord;
        long watchedM = watchedMask;
        long attrW = attrElementWord;
        long attrM = attrElementMask;
        boolean watching = watched != null || watchedAttrElement != null;
        while (true) {
            int lt = ByteScan.indexOf(bytes, (byte) '<', i, to);
            if (lt < 0 || lt + 10 > to) {
                return lt;
            }
            long name = ByteScan.word(bytes, lt + 1);
            byte b = (byte) name;
            if (b == '/') {
                if (((ByteScan.word(bytes, lt + 2) ^ skipW) & skipM) == 0) {
                    return lt;
                }
            } else if (b == '!' || b == '?' || ((name ^ skipW) & skipM) == 0 || ((name ^ watchedW) & watchedM) == 0
                    || ((name ^ attrW) & attrM) == 0 || (watching && ByteScan.nameHasColon(bytes, lt + 1, to))) {
                return lt;
            }
            i = lt + 1;
        }
    }

    /**
     * Right after the tag at {@code lt}, found by {@link #nextTagNamedLikeSkipped}, if it is the
     * skipped element's end tag written plainly ({@code </name>}, no blank before the {@code '>'}),
     * within {@code bytes[lt, to)}; else -1, and the state machine reads the tag.
     */
    private int afterPlainEndTag(byte[] bytes, int lt, int to) {
        int nameEnd = lt + 2 + skipNameLength;
        if (nameEnd >= to || bytes[lt + 1] != '/' || bytes[nameEnd] != '>') {
            return -1;
        }
        // where its name's first eight bytes were in this piece, the scan found this end tag by
        // them: only a longer name's rest is left (comparing it all again, per stanza, was 7% of a
        // saturated relay's event loops)
        int compared = lt + 10 <= to ? Math.min(8, skipNameLength) : 0;
        return compared == skipNameLength
                || Arrays.equals(bytes, lt + 2 + compared, nameEnd, skipName, compared, skipNameLength) ? nameEnd + 1 : -1;
    }

    private void emitText(long from, long to, Listener listener) {
        if (to > from) {
            listener.text(from, to, current(), readOnlyStack); // a view: listeners use it during the call only
        }
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

    private void resetTail() {
        tail1 = -1;
        tail2 = -1;
    }

    private void shift(byte b) {
        tail2 = tail1;
        tail1 = b;
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
        skipRequested = false;
        listener.tag(t);
        if (skipRequested && kind == TagKind.START) {
            skipRequested = false;
            beginSkip();
        }
    }

    /**
     * Offers a start or empty tag, read up to the end of its name, to {@link Listener#passOver} by
     * its local name; on yes, skips it unparsed from there, the rest of the tag included.
     */
    private void passedOver(Listener listener) {
        int nameEnd = 0;
        int localStart = 0;
        while (nameEnd < tagLength) {
            byte c = tag[nameEnd];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/') {
                break;
            }
            if (c == ':') {
                localStart = nameEnd + 1;
            }
            nameEnd++;
        }
        if (nameEnd == 0 || Arrays.equals(tag, localStart, nameEnd, STREAM, 0, STREAM.length)
                || !listener.passOver(tag, localStart, nameEnd, stack.size())) {
            return;
        }
        stack.add(PASSED_OVER); // popped where skip() finds its end, right after "/>" if it is empty
        prefixes.add(Map.of());
        beginSkip();
        skipOwnStartTag = true;
        skipLast = tag[nameEnd - 1];
    }

    /** Starts skipping the content of the start tag in {@code tag}; a tag without a name (malformed) is not skipped. */
    private void beginSkip() {
        int n = 0;
        while (n < tagLength && !ByteScan.isWhitespace(tag[n]) && tag[n] != '/') {
            n++;
        }
        if (n == 0) {
            return;
        }
        if (n > skipName.length) {
            skipName = new byte[n];
        }
        System.arraycopy(tag, 0, skipName, 0, n);
        skipNameLength = n;
        skipMask = ByteScan.prefixMask(n);
        skipWord = ByteScan.word(skipName, 0) & skipMask; // it holds at least 32 bytes: one load, not a loop per stanza
        skipNesting = 1;
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
