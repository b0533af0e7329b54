package dev.xmppscope.capture.pcap;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts one direction of a TCP connection back in order: segments may arrive out of order,
 * twice (retransmissions), or overlapping; what comes out is each byte once, in stream order.
 * Sequence numbers are 32-bit and wrap; offsets here are 64-bit positions in the stream.
 */
final class TcpStreamReassembler {
    private static final long MASK = 0xFFFFFFFFL;
    /** Past this much data waiting behind a hole, the hole is taken as lost from the capture. */
    private static final long MAX_PENDING = 16L << 20;

    private long isn = -1;
    private long delivered;
    private final TreeMap<Long, byte[]> pending = new TreeMap<>();
    private long pendingBytes;

    /** A piece of the stream that became available, after {@code missingBefore} lost bytes (usually 0). */
    record Piece(long offset, long missingBefore, byte[] data) {
    }

    /** The SYN's sequence number: data starts one past it. */
    void syn(long seq) {
        if (isn < 0) {
            isn = (seq + 1) & MASK;
        }
    }

    boolean started() {
        return isn >= 0;
    }

    /** Bytes delivered so far. */
    long position() {
        return delivered;
    }

    /** Accepts a segment; returns what is now contiguous (possibly nothing). */
    List<Piece> accept(long seq, byte[] payload) {
        if (payload.length == 0) {
            return List.of();
        }
        if (isn < 0) {
            isn = seq; // capture began mid-stream: take the first data we see as the start
        }
        long rel = relative(seq);
        long end = rel + payload.length;
        if (end <= delivered) {
            return List.of(); // a retransmission of what we already have
        }
        if (rel > delivered) {
            byte[] old = pending.get(rel);
            if (old == null || old.length < payload.length) {
                pending.put(rel, payload);
                pendingBytes += payload.length - (old == null ? 0 : old.length);
            }
            if (pendingBytes > MAX_PENDING) {
                return skipHole();
            }
            return List.of();
        }
        List<Piece> out = new ArrayList<>(1);
        ByteArrayOutputStream run = new ByteArrayOutputStream(payload.length);
        long start = delivered;
        append(run, rel, payload);
        drain(run);
        out.add(new Piece(start, 0, run.toByteArray()));
        return out;
    }

    /** At the end of the flow: whatever waits behind holes comes out, with the holes counted. */
    List<Piece> flush() {
        List<Piece> out = new ArrayList<>();
        while (!pending.isEmpty()) {
            out.addAll(skipHole());
        }
        return out;
    }

    private List<Piece> skipHole() {
        Map.Entry<Long, byte[]> first = pending.firstEntry();
        long missing = first.getKey() - delivered;
        delivered = first.getKey();
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        long start = delivered;
        drain(run);
        return List.of(new Piece(start, missing, run.toByteArray()));
    }

    private void drain(ByteArrayOutputStream run) {
        while (!pending.isEmpty() && pending.firstKey() <= delivered) {
            Map.Entry<Long, byte[]> e = pending.pollFirstEntry();
            pendingBytes -= e.getValue().length;
            append(run, e.getKey(), e.getValue());
        }
    }

    private void append(ByteArrayOutputStream run, long rel, byte[] data) {
        long skip = delivered - rel;
        if (skip >= data.length) {
            return;
        }
        run.write(data, (int) skip, (int) (data.length - skip));
        delivered = rel + data.length;
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
