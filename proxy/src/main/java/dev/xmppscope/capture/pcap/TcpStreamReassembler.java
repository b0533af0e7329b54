package dev.xmppscope.capture.pcap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts one direction of a TCP connection back in order: segments may arrive out of order,
 * twice (retransmissions), or overlapping; what comes out is each byte once, in stream order.
 * Sequence numbers are 32-bit and wrap; offsets here are 64-bit positions in the stream.
 *
 * <p>A hole the capture will never fill is passed over as soon as that is known: at once where
 * the capture's snap length cut a frame's data short, when the receiver acknowledges data beyond
 * it (a packet the capturing tool did not save: the receiver had it), or when too much waits
 * behind it. What waited comes out then, each segment with its own time: held until the
 * connection's end, all of it was dated at the end.
 */
final class TcpStreamReassembler {
    private static final long MASK = 0xFFFFFFFFL;
    /** Past this much data waiting behind a hole, the hole is taken as lost from the capture. */
    private static final long MAX_PENDING = 16L << 20;

    private long isn = -1;
    private long delivered;
    private final TreeMap<Long, Segment> pending = new TreeMap<>();
    private long pendingBytes;
    /** Ranges of the stream (by start) that were sent but cut from their frames by the snap length: they never come. */
    private final TreeMap<Long, Cut> cuts = new TreeMap<>();

    private record Segment(byte[] data, long atNanos) {
    }

    private record Cut(long end, long atNanos) {
    }

    /**
     * A piece of the stream that became available at {@code atNanos}: {@code data} from stream
     * offset {@code offset}, or, with no data, a hole of {@code missingBefore} bytes the capture
     * lacks there ({@code cutBySnaplen}: its frames were cut short by the capture's snap length).
     */
    record Piece(long offset, long missingBefore, boolean cutBySnaplen, byte[] data, long atNanos) {
        static Piece hole(long offset, long missing, boolean cutBySnaplen, long atNanos) {
            return new Piece(offset, missing, cutBySnaplen, new byte[0], atNanos);
        }
    }

    /** Whether this direction's data starts right after sequence number {@code synSeq} (a SYN's). */
    boolean startsAfter(long synSeq) {
        return isn == ((synSeq + 1) & MASK);
    }

    /** Whether {@code seq} falls within {@code window} bytes of where this direction's stream is (false before its first data). */
    boolean near(long seq, long window) {
        return isn >= 0 && Math.abs(relative(seq) - delivered) <= window;
    }

    /** The SYN's sequence number: data starts one past it. */
    void syn(long seq) {
        if (isn < 0) {
            isn = (seq + 1) & MASK;
        }
    }

    /**
     * Accepts a segment received at {@code atNanos} whose data was {@code wireLength} bytes on the
     * wire, {@code payload} the part captured; returns what is now contiguous (possibly nothing).
     */
    List<Piece> accept(long seq, byte[] payload, int wireLength, long atNanos) {
        if (wireLength == 0) {
            return List.of();
        }
        if (isn < 0) {
            isn = seq; // capture began mid-stream: take the first data we see as the start
        }
        long rel = relative(seq);
        if (wireLength > payload.length && rel + wireLength > delivered) {
            cuts.put(rel + payload.length, new Cut(rel + wireLength, atNanos));
        }
        if (rel <= delivered && pending.isEmpty() && cuts.isEmpty()) { // in order, nothing waiting: nearly every segment
            long skip = delivered - rel;
            if (skip >= payload.length) {
                return List.of(); // a retransmission of what we already have
            }
            Piece p = new Piece(delivered, 0, false, skip == 0 ? payload : Arrays.copyOfRange(payload, (int) skip, payload.length),
                    atNanos);
            delivered = rel + payload.length;
            return List.of(p);
        }
        List<Piece> out = new ArrayList<>(1);
        if (rel + payload.length > delivered) {
            Segment old = pending.get(rel);
            if (old == null || old.data().length < payload.length) {
                pending.put(rel, new Segment(payload, atNanos));
                pendingBytes += payload.length - (old == null ? 0 : old.data().length);
            }
        }
        release(out);
        if (pendingBytes > MAX_PENDING) {
            skipHole(out);
        }
        return out;
    }

    /**
     * The receiver acknowledged this direction up to sequence number {@code ack}: a hole below
     * that will not be filled by a retransmission the capture could show.
     */
    List<Piece> acknowledged(long ack) {
        if (isn < 0 || pending.isEmpty()) {
            return List.of();
        }
        long acked = relative(ack);
        List<Piece> out = new ArrayList<>();
        while (!pending.isEmpty() && pending.firstKey() <= acked) {
            skipHole(out);
        }
        return out;
    }

    /** At the end of the flow: whatever waits behind holes comes out, with the holes counted. */
    List<Piece> flush() {
        List<Piece> out = new ArrayList<>();
        while (!pending.isEmpty()) {
            skipHole(out);
        }
        return out;
    }

    /** Passes the hole before the first waiting segment, then releases what follows it. */
    private void skipHole(List<Piece> out) {
        Map.Entry<Long, Segment> next = pending.firstEntry();
        if (next.getKey() > delivered) {
            out.add(Piece.hole(delivered, next.getKey() - delivered, false, next.getValue().atNanos()));
            delivered = next.getKey();
        }
        release(out);
    }

    /** Hands out what is contiguous from where the stream stands, each segment with its own time, passing cut ranges. */
    private void release(List<Piece> out) {
        while (true) {
            Map.Entry<Long, Segment> e = pending.firstEntry();
            if (e != null && e.getKey() <= delivered) {
                pending.pollFirstEntry();
                byte[] data = e.getValue().data();
                pendingBytes -= data.length;
                long skip = delivered - e.getKey();
                if (skip < data.length) {
                    out.add(new Piece(delivered, 0, false, Arrays.copyOfRange(data, (int) skip, data.length), e.getValue().atNanos()));
                    delivered = e.getKey() + data.length;
                }
                continue;
            }
            Map.Entry<Long, Cut> c = cuts.floorEntry(delivered);
            if (c == null) {
                return;
            }
            cuts.remove(c.getKey());
            if (c.getValue().end() > delivered) { // the stream reached a range cut from its frame: it never comes
                out.add(Piece.hole(delivered, c.getValue().end() - delivered, true, c.getValue().atNanos()));
                delivered = c.getValue().end();
            }
        }
    }

    /** The 64-bit stream offset of a 32-bit sequence number, taking the one nearest to where we are. */
    private long relative(long seq) {
        long rel32 = (seq - isn) & MASK;
        long rel = (delivered & ~MASK) + rel32;
        if (rel - delivered > (1L << 31)) {
            rel -= 1L << 32;
        } else if (delivered - rel > (1L << 31)) {
            rel += 1L << 32;
        }
        return rel;
    }
}
