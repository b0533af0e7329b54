package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.stream.StreamEvent;
import dev.xmppscope.analyzer.stream.StreamParser;
import dev.xmppscope.analyzer.xml.ContinuousReader;
import dev.xmppscope.analyzer.xmpp.Ns;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parse of every stream of a capture: a parser per connection and direction, replaced when a
 * new TLS layer starts, turning each chunk into {@link StreamEvent}s. Kept apart from the model
 * so that a bulk analysis parses ahead of it, on the thread that reads the capture and a second
 * one ({@link Analyzer#analyze}): the parse was half of the analysis thread's time. Each lane of
 * streams ({@link #lane}) is used by one thread at a time.
 */
final class StreamParsers {
    /**
     * The streams are split between two lanes, so that a bulk analysis can parse them on two
     * threads ({@link Analyzer#analyze}). Each lane keeps its own parsers and parse readers: a
     * reader closed to make room must be one its own thread is not using.
     */
    static final int LANES = 2;
    private final Lane[] lanes = {new Lane(), new Lane()};

    /** One lane's streams. Used by one thread at a time. */
    private static final class Lane {
        /** The busy streams' parse readers stay open between chunks; 32 a lane hold about 1 MB. */
        final ContinuousReader.OpenReaders openReaders = new ContinuousReader.OpenReaders(32);
        /** Per connection: the parser and its layer of each direction. */
        final Map<Long, Streams> connections = new HashMap<>();
    }

    private static final class Streams {
        final StreamParser[] parsers = new StreamParser[2];
        final TlsLayer[] layers = new TlsLayer[2];
        /** A gap before a direction's first chunk: the namespace to assume, else null. */
        final String[] gaps = new String[2];
    }

    /**
     * The lane that parses {@code c}'s stream. A connection's two directions go to different
     * lanes, so that both lanes have work even when one connection carries the capture.
     */
    static int lane(Chunk c) {
        return lane(c.connectionId(), c.direction());
    }

    static int lane(long connectionId, Direction d) {
        return (int) ((connectionId ^ d.code()) & 1);
    }

    /**
     * The stream namespace a connection to {@code server} ("host:port") is read in when its header
     * is not in the capture: its port says whether it is a server-to-server one.
     */
    static String assumedNamespace(String server) {
        String port = server == null ? "" : server.substring(server.lastIndexOf(':') + 1);
        return port.equals("5269") || port.equals("5270") ? Ns.SERVER : Ns.CLIENT;
    }

    /**
     * Bytes are missing from the stream of connection {@code id} in direction {@code d} before its
     * next chunk (see {@link StreamParser#gap}). From the thread that parses that stream's lane.
     */
    void gap(long id, Direction d, String contentNamespace) {
        Streams s = lanes[lane(id, d)].connections.computeIfAbsent(id, k -> new Streams());
        int i = d.code();
        if (s.parsers[i] != null) {
            s.parsers[i].gap(contentNamespace);
        } else {
            s.gaps[i] = contentNamespace; // the capture began mid-stream: before the stream's first chunk
        }
    }

    /**
     * A chunk parsed: its events, or the failure the parser met (a bug: the stream is then given
     * up from the chunk's end, and what follows reads as unparsed).
     *
     * @param position where the chunk's bytes are in the capture's payload file, or -1
     * @param facts    the facts of each parsed element, at its event's index (null elsewhere)
     */
    record Parsed(Chunk chunk, long position, List<StreamEvent> events, ElementFacts[] facts, Throwable failure) {
    }

    /** Parses {@code c} (of an XML layer) on its stream's parser, and works out its elements' facts. */
    Parsed parse(Chunk c, long position) {
        StreamParser p = parser(c);
        try {
            List<StreamEvent> events = p.feed(c.bytes(), 0, c.bytes().length, c.atNanos());
            return new Parsed(c, position, events, facts(events), null);
        } catch (RuntimeException | StackOverflowError e) {
            p.abandon(c.offset() + c.length());
            return new Parsed(c, position, List.of(), new ElementFacts[0], e);
        }
    }

    private static ElementFacts[] facts(List<StreamEvent> events) {
        ElementFacts[] facts = new ElementFacts[events.size()];
        for (int i = 0; i < facts.length; i++) {
            if (events.get(i) instanceof StreamEvent.ElementParsed e) {
                facts[i] = ElementFacts.of(e.element());
            }
        }
        return facts;
    }

    /** What a chunk of a stream given up on is: its bytes, not parsed (whatever {@code parsed} made of them). */
    static Parsed unparsed(Parsed parsed) {
        Chunk c = parsed.chunk();
        List<StreamEvent> events = c.length() == 0 ? List.of()
                : List.of(new StreamEvent.Unparsed(c.offset(), c.length(), c.atNanos()));
        return new Parsed(c, parsed.position(), events, new ElementFacts[events.size()], null);
    }

    /** Gives up on {@code c}'s stream from the chunk's end on: the model failed on it. */
    void abandon(Chunk c) {
        parser(c).abandon(c.offset() + c.length());
    }

    /**
     * Connection {@code c} ended: the parse of each of its streams in {@code lane} ends (an element
     * left incomplete is reported, see {@link StreamParser#endOfStream}, unless the capture stopped before the
     * connection did), and their parse readers go
     * back (a late chunk would start another). From the thread that parses that lane. Returns what
     * the end found, as the parse of an empty chunk at the stream's end, or null when it found nothing.
     */
    Parsed end(ConnectionClosed c, int lane) {
        Streams s = lanes[lane].connections.get(c.id());
        if (s == null) {
            return null;
        }
        Parsed found = null;
        for (int i = 0; i < s.parsers.length; i++) {
            StreamParser p = s.parsers[i];
            if (p == null) {
                continue;
            }
            // a capture that stopped (UNKNOWN: the proxy killed, its disk full) cut the element, not the stream
            List<StreamEvent> events = c.reason() == CloseReason.UNKNOWN ? List.of() : p.endOfStream();
            p.releaseReader();
            if (!events.isEmpty()) { // one direction a lane: at most one found
                Chunk end = Chunk.of(c.id(), 0, Direction.ofCode(i), c.atNanos(), s.layers[i], p.position(), new byte[0]);
                found = new Parsed(end, -1, events, new ElementFacts[events.size()], null);
            }
        }
        return found;
    }

    private StreamParser parser(Chunk c) {
        Lane lane = lanes[lane(c)];
        Streams s = lane.connections.computeIfAbsent(c.connectionId(), id -> new Streams());
        int i = c.direction().code();
        if (s.parsers[i] == null || s.layers[i] != c.layer()) {
            if (s.parsers[i] != null) {
                s.parsers[i].releaseReader(); // the layer below (before STARTTLS) sends nothing more
            }
            s.parsers[i] = new StreamParser(c.offset(), StreamParser.DEFAULT_MAX_ELEMENT_BYTES,
                    StreamParser.DEFAULT_MAX_DEPTH, lane.openReaders);
            s.layers[i] = c.layer();
            if (s.gaps[i] != null) {
                s.parsers[i].gap(s.gaps[i]);
                s.gaps[i] = null;
            }
        }
        return s.parsers[i];
    }
}
