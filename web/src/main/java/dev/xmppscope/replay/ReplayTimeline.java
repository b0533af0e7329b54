package dev.xmppscope.replay;

import dev.xmppscope.capture.CaptureRecord;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.file.CaptureSource;
import dev.xmppscope.capture.pcap.TopLevelSplitter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole capture held in memory in replay order, so that a replay can move back and forth in
 * it. Samples and typical debugging captures are small; a capture of many megabytes belongs in
 * {@code xmppscope open}, which streams from the database instead.
 */
public final class ReplayTimeline {
    private final List<Item> items;
    private final long end;

    /**
     * One call the capture makes on a sink, with its time.
     *
     * @param completesElement for a chunk: it ends exactly where a top-level element (or stream
     *                         header) ends, so delivering it shows one more stanza
     */
    public record Item(long at, CaptureRecord record, boolean completesElement) {
        Item(long at, CaptureRecord record) {
            this(at, record, false);
        }

        void deliver(CaptureSink sink) {
            record.deliverTo(sink);
        }

        /** True for a chunk carrying XMPP bytes (what a "step" advances to). */
        public boolean isXml() {
            return record instanceof Chunk c && c.layer().isXml() && c.length() > 0;
        }
    }

    private ReplayTimeline(List<Item> items) {
        this.items = Collections.unmodifiableList(items);
        long max = items.get(0).at();
        for (Item i : items) {
            max = Math.max(max, i.at());
        }
        this.end = max;
    }

    /**
     * Reads {@code source} once, completely. XMPP chunks holding several top-level elements are
     * cut at element boundaries (same time, consecutive offsets), so a step shows one stanza.
     */
    public static ReplayTimeline load(CaptureSource source) {
        List<Item> items = new ArrayList<>();
        Map<String, TopLevelSplitter> splitters = new HashMap<>();
        source.replay(new CaptureSink() {
            @Override
            public void opened(ConnectionOpened c) {
                items.add(new Item(c.atNanos(), c));
            }

            @Override
            public void chunk(Chunk c) {
                if (!c.layer().isXml() || c.length() == 0) {
                    items.add(new Item(c.atNanos(), c));
                    return;
                }
                TopLevelSplitter splitter = splitters.computeIfAbsent(c.connectionId() + "/" + c.direction() + "/" + c.layer(),
                        k -> new TopLevelSplitter());
                int start = 0;
                for (int end : splitter.boundaries(c.bytes(), 0, c.length())) {
                    items.add(new Item(c.atNanos(), slice(c, start, end), true));
                    start = end;
                }
                if (start < c.length()) {
                    items.add(new Item(c.atNanos(), slice(c, start, c.length()), false));
                }
            }

            @Override
            public void event(ConnectionEvent e) {
                items.add(new Item(e.atNanos(), e));
            }

            @Override
            public void closed(ConnectionClosed c) {
                items.add(new Item(c.atNanos(), c));
            }
        });
        if (items.isEmpty()) {
            throw new IllegalArgumentException("the capture is empty: there is nothing to replay");
        }
        return new ReplayTimeline(items);
    }

    /** The part [from, to) of a chunk, as a chunk of its own at the same time (same seq: they share one read). */
    private static Chunk slice(Chunk c, int from, int to) {
        if (from == 0 && to == c.length()) {
            return c;
        }
        return new Chunk(c.connectionId(), c.seq(), c.direction(), c.atNanos(), c.layer(), c.offset() + from, to - from,
                Arrays.copyOfRange(c.bytes(), from, to), c.redacted());
    }

    public List<Item> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    public Item get(int index) {
        return items.get(index);
    }

    /** Capture time of the first record. */
    public long start() {
        return items.get(0).at();
    }

    /** Capture time of the last record (the timeline never runs backwards: the max). */
    public long end() {
        return end;
    }
}
