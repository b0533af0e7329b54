package dev.xmppscope.analyzer.stream;

import dev.xmppscope.analyzer.stream.ElementFramer.Frame;
import dev.xmppscope.analyzer.stream.ElementFramer.FrameKind;
import dev.xmppscope.analyzer.xml.ContinuousReader;
import dev.xmppscope.analyzer.xml.ElementReader;
import dev.xmppscope.analyzer.xml.StreamHeader;
import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xml.XmlParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one direction of one TLS layer of an XMPP connection: bytes in (any chunking), events out.
 * Sans-io: no sockets, no threads, no clock; the caller passes each chunk's time.
 *
 * <p>Stream restarts within the layer (after SASL success) are recognised by the repeated stream
 * tag; a new TLS layer (after STARTTLS) needs a new parser. The first error (not well-formed,
 * a DTD, too deep, too large, not an XMPP stream) ends parsing: one {@link StreamEvent.StreamFailed},
 * then every further byte is reported as {@link StreamEvent.Unparsed}. Memory stays bounded by
 * {@code maxElementBytes} plus one chunk.
 *
 * <p>Bytes missing from a capture ({@link #gap}) are different: the parse goes on at the next
 * piece that can be parsed on its own ({@link StanzaSeeker}), the bytes passed over reported as
 * {@link StreamEvent.Unparsed}. A capture that began after its connection opened starts with such
 * a gap, and with no header, so its elements are read in an assumed stream namespace. Once the
 * parse has resumed, a failure passes over the rest of its chunk and looks for a piece again: it
 * may be the resumption's misreading (a nested stanza taken for a top-level one), not the peer's.
 */
public final class StreamParser {
    /** Prosody's default c2s stanza limit is 256 KiB; leave room for servers configured higher. */
    public static final int DEFAULT_MAX_ELEMENT_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_MAX_DEPTH = 256;
    /** What an {@link StreamEvent.Unparsed} keeps of the bytes that came before its chunk. */
    static final int UNPARSED_HEAD_BYTES = 4096;

    private final ElementFramer framer;
    private final List<Frame> frames = new ArrayList<>();
    private final ContinuousReader.OpenReaders openReaders;
    private StreamHeader header;
    /** Parses the elements after the current header; null before it. */
    private ContinuousReader elements;
    private boolean failed;
    /** Once failed, the stream offset of the next byte (the framer is no longer fed). */
    private long failedPosition;
    /** When the first byte of the piece the framer holds incomplete came, or -1 when it holds none. */
    private long pendingSince = -1;
    // the chunk being fed: where it starts, and when the piece pending before it began to come (else the chunk's time)
    private long chunkStart;
    private long startedBefore;
    // after a gap: the stream namespace to assume if no header was seen, and whether the gap is still to be acted on
    private String assumedNamespace;
    private boolean gapPending;
    /** Looks for where to resume, while bytes are passed over after a gap; null otherwise. */
    private StanzaSeeker seeker;
    /** While seeking: the stream offset of the next byte to be fed, and of the first one not reported yet. */
    private long seekPosition;
    private long seekReported;
    /** While seeking: the bytes of earlier chunks not reported yet (the start of a tag not decided on). */
    private byte[] withheld = new byte[0];
    /** While seeking: something but whitespace was passed over (and reported) since the seeking began. */
    private boolean passedOverText;
    /** The parse resumed after a gap at least once. */
    private boolean resumed;

    public StreamParser() {
        this(0, DEFAULT_MAX_ELEMENT_BYTES, DEFAULT_MAX_DEPTH);
    }

    /** A parser keeping its own reader open (see the constructor below). */
    public StreamParser(long startOffset, int maxElementBytes, int maxDepth) {
        this(startOffset, maxElementBytes, maxDepth, new ContinuousReader.OpenReaders(1));
    }

    /**
     * @param startOffset     stream offset of the first byte that will be fed
     * @param maxElementBytes the largest top-level element accepted
     * @param maxDepth        the deepest nesting accepted, counting the stream element as level 1
     * @param openReaders     the parse readers kept open between chunks, shared by an analysis's parsers
     */
    public StreamParser(long startOffset, int maxElementBytes, int maxDepth, ContinuousReader.OpenReaders openReaders) {
        this.framer = new ElementFramer(startOffset, maxElementBytes, maxDepth + 1);
        this.openReaders = openReaders;
    }

    /**
     * Hands back the parse reader this stream keeps open (its stream ended, or a new layer took
     * over), so it no longer holds a place among the open readers; more bytes would start another.
     */
    public void releaseReader() {
        if (elements != null) {
            elements.release();
        }
    }

    public List<StreamEvent> feed(byte[] bytes, long at) {
        return feed(bytes, 0, bytes.length, at);
    }

    /**
     * Bytes are missing from the capture before the next ones fed: the parse goes on at the next
     * piece that can be parsed alone. An element still incomplete is reported unparsed.
     *
     * @param contentNamespace the stream namespace ({@code jabber:client}, {@code jabber:server})
     *                         to read elements in if no stream header was seen before the gap
     */
    public void gap(String contentNamespace) {
        gapPending = true;
        assumedNamespace = contentNamespace;
    }

    /** Feeds the next bytes of the stream, received at {@code at} (epoch nanoseconds). */
    public List<StreamEvent> feed(byte[] bytes, int from, int length, long at) {
        List<StreamEvent> events = new ArrayList<>(4);
        if (gapPending) {
            gapPending = false;
            startSeeking(at, events);
        }
        int end = from + length;
        int next = from;
        do {
            if (seeker != null) {
                next = seek(bytes, next, end - next, at, events);
                if (next < 0) {
                    return events;
                }
            }
            if (failed) {
                if (end > next) {
                    events.add(new StreamEvent.Unparsed(failedPosition, end - next, at));
                    failedPosition += end - next;
                }
                return events;
            }
            next = frame(bytes, next, end - next, at, events);
        } while (next >= 0); // a resumed parse failed, and looks for a piece again in the rest of the chunk
        return events;
    }

    /**
     * Frames and parses {@code bytes[from, from+length)}. Returns -1, or, when a parse resumed after
     * a gap failed, the index in {@code bytes} from which it looks for a piece again.
     */
    private int frame(byte[] bytes, int from, int length, long at, List<StreamEvent> events) {
        frames.clear();
        chunkStart = framer.position();
        startedBefore = pendingSince < 0 ? at : pendingSince;
        boolean ok = framer.feed(bytes, from, length, frames);
        long end = framer.position();
        long pending = framer.pendingStart();
        pendingSince = pending < 0 ? -1 : pending >= chunkStart ? at : startedBefore;
        for (int i = 0; i < frames.size(); ) {
            int run = elementRun(i);
            if (run > 1 && parseRun(i, run, at, events)) {
                i += run;
                continue;
            }
            // one frame at a time: headers, closes, and a run that failed (to find the culprit)
            for (int k = i; k < i + Math.max(run, 1); k++) {
                Frame f = frames.get(k);
                String problem = handle(f, at, events);
                if (problem != null) {
                    return fail(f.offset(), problem, f.offset() + f.length(), end, at, events, f, from);
                }
            }
            i += Math.max(run, 1);
        }
        if (!ok) {
            return fail(framer.errorOffset(), framer.error(), framer.errorEnd(), end, at, events, null, from);
        }
        return -1;
    }

    /**
     * Gives up on this stream from {@code position} (the stream offset of the next byte to be fed)
     * on: every further byte is reported {@link StreamEvent.Unparsed}. For when its analysis broke.
     */
    public void abandon(long position) {
        failed = true;
        failedPosition = position;
        seeker = null;
        releaseReader();
    }

    /**
     * The stream has ended (its connection closed): an element it began and never completed (an
     * unclosed quote, tag or element, or a connection cut mid-stanza) is reported unparsed, dated
     * when its first bytes came; nothing otherwise. Then, as after any failure, nothing more is parsed.
     */
    public List<StreamEvent> endOfStream() {
        long start = framer.pendingStart();
        if (failed || seeker != null || start < 0) {
            return List.of();
        }
        long end = framer.position();
        byte[] head = framer.pendingBytes(UNPARSED_HEAD_BYTES);
        abandon(end);
        return List.of(new StreamEvent.StreamFailed(start, "the stream ended inside an element that never completed ("
                        + (end - start) + " bytes: an unclosed tag, quote or element, or a connection cut mid-stanza)", pendingSince),
                new StreamEvent.Unparsed(start, (int) Math.min(Integer.MAX_VALUE, end - start), pendingSince, head));
    }

    /** Passes over what was before the gap: an element it cut is reported, and bytes are sought through from here. */
    private void startSeeking(long at, List<StreamEvent> events) {
        long pending = framer.pendingStart();
        long position = position();
        if (seeker != null) {
            // a gap while still seeking (the framer's piece was reported at the last one): what was held back goes too
            passOver(new byte[0], 0, position, position, at, events);
        } else if (!failed && pending >= 0) {
            events.add(new StreamEvent.Unparsed(pending, (int) Math.min(Integer.MAX_VALUE, position - pending), pendingSince,
                    framer.pendingBytes(UNPARSED_HEAD_BYTES), "cut short: the capture lacks the bytes after these"));
        }
        if (elements == null) {
            elements = new ContinuousReader(StreamHeader.assumedScope(assumedNamespace), openReaders);
        }
        seekFrom(position);
    }

    /** Looks for where to resume from stream offset {@code position} on, nothing passed over yet. */
    private void seekFrom(long position) {
        seeker = new StanzaSeeker();
        seekPosition = position;
        seekReported = position;
        withheld = new byte[0];
        passedOverText = false;
        pendingSince = -1;
    }

    /**
     * Scans a chunk for where the parse can resume; reports what it passes over. Returns the index
     * in {@code bytes} to frame from (the framer has been given what of the piece came before it),
     * or -1 when the whole chunk was passed over.
     */
    private int seek(byte[] bytes, int from, int length, long at, List<StreamEvent> events) {
        int end = from + length;
        int found = seeker.scan(bytes, from, end);
        long chunkOffset = seekPosition;
        seekPosition += length;
        if (found < 0) {
            // keep back the start of a tag not yet decided on: it may be the piece to resume at
            int keep = Math.min(seeker.undecided(), withheld.length + length);
            passOver(bytes, from, chunkOffset, seekPosition - keep, at, events);
            byte[] all = concat(withheld, bytes, from, length);
            withheld = Arrays.copyOfRange(all, all.length - keep, all.length);
            return -1;
        }
        byte[] piece = seeker.candidateBytes();
        long start = chunkOffset + (found - from) - piece.length;
        passOver(bytes, from, chunkOffset, start, at, events);
        boolean header = seeker.candidateIsHeader();
        seeker = null;
        withheld = new byte[0];
        failed = false;
        resumed = true;
        framer.resume(start, header ? 0 : 1);
        framer.feed(piece, 0, piece.length, frames); // a tag's start alone: no piece completes
        pendingSince = at;
        return found;
    }

    /** Reports the bytes from the last one reported up to {@code to} (withheld ones first) as passed over. */
    private void passOver(byte[] bytes, int from, long chunkOffset, long to, long at, List<StreamEvent> events) {
        if (to <= seekReported) {
            return;
        }
        byte[] head = seekReported < chunkOffset ? Arrays.copyOf(withheld, (int) Math.min(withheld.length, to - seekReported))
                : new byte[0];
        int chunkFrom = from + (int) Math.max(0, seekReported - chunkOffset);
        passedOverText = passedOverText || !whitespace(head, 0, head.length)
                || !whitespace(bytes, chunkFrom, Math.max(chunkFrom, from + (int) (to - chunkOffset)));
        if (passedOverText) { // whitespace before anything else (an idle stream's keepalives) is between stanzas: no part of one missed
            events.add(new StreamEvent.Unparsed(seekReported, (int) (to - seekReported), at, head,
                    "passed over: the capture lacks the bytes before these, and the stream is parsed again from the next stanza"));
        }
        seekReported = to;
    }

    private static byte[] concat(byte[] a, byte[] b, int from, int length) {
        byte[] out = Arrays.copyOf(a, a.length + length);
        System.arraycopy(b, from, out, a.length, length);
        return out;
    }

    /** The current stream header (the latest, after restarts), or null before it. */
    public StreamHeader header() {
        return header;
    }

    public boolean failed() {
        return failed;
    }

    /** Bytes reserved for an incomplete element; tests check that hostile input keeps it bounded. */
    int bufferCapacity() {
        return framer.bufferCapacity();
    }

    /** Stream offset of the next byte to be fed. */
    public long position() {
        return seeker != null ? seekPosition : failed ? failedPosition : framer.position();
    }

    /** How many element frames from {@code i} on lie back to back in one array, whitespace between. */
    private int elementRun(int i) {
        Frame first = frames.get(i);
        if (first.kind() != FrameKind.ELEMENT) {
            return 0;
        }
        int n = 1;
        while (i + n < frames.size()) {
            Frame prev = frames.get(i + n - 1);
            Frame next = frames.get(i + n);
            if (next.kind() != FrameKind.ELEMENT || next.bytes() != prev.bytes() || !whitespace(prev.bytes(),
                    prev.from() + prev.length(), next.from())) {
                break;
            }
            n++;
        }
        return n;
    }

    private static boolean whitespace(byte[] b, int from, int to) {
        if (to < from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\n' && b[i] != '\r' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Parses a run of elements with one reader; false if any fails (the caller then goes one by one). */
    private boolean parseRun(int i, int n, long at, List<StreamEvent> events) {
        Frame first = frames.get(i);
        Frame last = frames.get(i + n - 1);
        List<XmlElement> parsed;
        try {
            parsed = elements.readElements(first.bytes(), first.from(), last.from() + last.length() - first.from(), n);
        } catch (XmlParseException e) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            Frame f = frames.get(i + k);
            events.add(new StreamEvent.ElementParsed(parsed.get(k), f.offset(), f.length(), f.bytes(), f.from(), at));
        }
        return true;
    }

    private String handle(Frame f, long at, List<StreamEvent> events) {
        try {
            switch (f.kind()) {
                case HEADER -> {
                    StreamHeader h = ElementReader.readHeader(f.bytes(), f.from(), f.length());
                    if (!h.isXmppStream()) {
                        return "not an XMPP stream: the root element is <" + h.qualifiedName() + "> in namespace '"
                                + h.namespace() + "'";
                    }
                    boolean restart = header != null;
                    header = h;
                    releaseReader();
                    elements = new ContinuousReader(h.scopeTag(), openReaders);
                    events.add(new StreamEvent.StreamOpened(h, restart, f.offset(), f.length(), f.bytes(), f.from(), at));
                }
                case ELEMENT -> {
                    XmlElement e = elements.readElement(f.bytes(), f.from(), f.length());
                    events.add(new StreamEvent.ElementParsed(e, f.offset(), f.length(), f.bytes(), f.from(), at));
                }
                case CLOSE -> events.add(new StreamEvent.StreamClosed(f.offset(), f.length(), at));
                default -> throw new IllegalStateException("frame kind " + f.kind());
            }
            return null;
        } catch (XmlParseException e) {
            return e.getMessage();
        }
    }

    /**
     * Gives up from {@code offset}; {@code frame}, when the parse of a frame failed, holds the
     * bytes of it that came before this chunk (the framer keeps none of them after its own failures).
     * What began in an earlier chunk failed when those bytes came: the peer's answer to them (a
     * stream error) then comes after them, not before. A parse resumed after a gap does not give
     * up: it looks for a piece again from {@code resumeAt}; returns its index in the chunk fed
     * (whose first byte, at {@code from}, is at {@link #chunkStart}), else -1.
     */
    private int fail(long offset, String reason, long resumeAt, long end, long chunkAt, List<StreamEvent> events, Frame frame,
                     int from) {
        long at = offset < chunkStart ? startedBefore : chunkAt;
        long upTo = resumed ? Math.max(chunkStart, Math.min(resumeAt, end)) : end;
        if (!resumed) {
            abandon(end);
            events.add(new StreamEvent.StreamFailed(offset, reason, at));
        }
        if (upTo > offset) {
            byte[] head = new byte[0];
            if (frame != null && offset < chunkStart) {
                int before = (int) Math.min(UNPARSED_HEAD_BYTES, chunkStart - offset);
                head = Arrays.copyOfRange(frame.bytes(), frame.from(), frame.from() + before);
            }
            events.add(new StreamEvent.Unparsed(offset, (int) Math.min(Integer.MAX_VALUE, upTo - offset), at, head,
                    resumed ? reason + " (the capture lacks bytes before: parsed again from the next stanza)" : null));
        }
        if (!resumed) {
            return -1;
        }
        // most likely the resumption's own misreading (a nested stanza taken for a top-level one), not the peer's
        seekFrom(upTo);
        return from + (int) (upTo - chunkStart);
    }
}
