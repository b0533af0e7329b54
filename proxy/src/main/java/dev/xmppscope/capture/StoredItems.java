package dev.xmppscope.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Reads stored chunks and events in capture order: time, then connection and seq, a chunk before
 * the event that shares its seq.
 *
 * <p>Chunk batches are written in commit order, and one batch's time range can overlap the
 * next's (the relay's event loops stamp chunks before the recorder sees them). So the batches in
 * the range are listed by their earliest time, and a batch is decoded only when nothing earlier
 * can still come from the batches not read yet; events stream from their time index beside
 * them. Memory holds the batches that overlap in time, not the capture.
 */
final class StoredItems {
    private static final Comparator<ChunkBatch.Entry> ORDER = Comparator.comparingLong(ChunkBatch.Entry::atNanos)
            .thenComparingLong(ChunkBatch.Entry::connection).thenComparingLong(ChunkBatch.Entry::seq);

    /** Receives the items in capture order. */
    interface Visitor {
        void chunk(ChunkBatch.Entry entry);

        void event(ConnectionEvent event);
    }

    private StoredItems() {
    }

    /**
     * Visits the chunks and events at or after {@code fromNanos} of connection
     * {@code onlyConnection} or, when it is null, of all.
     */
    static void visit(Connection db, Long onlyConnection, long fromNanos, Visitor visitor) throws SQLException {
        Batches batches = batchesByFirstAt(db, fromNanos);
        long[] ids = batches.ids();
        long[] firstAts = batches.firstAts();
        PriorityQueue<ChunkBatch.Entry> pending = new PriorityQueue<>(ORDER);
        String eventSql = "SELECT connection, seq, at, direction, kind, detail FROM connection_events WHERE at >= ?"
                + (onlyConnection == null ? "" : " AND connection = ?") + " ORDER BY at, connection, seq";
        try (PreparedStatement entries = db.prepareStatement("SELECT entries FROM chunk_batch_entries WHERE batch = ?");
             PreparedStatement events = db.prepareStatement(eventSql)) {
            events.setLong(1, fromNanos);
            if (onlyConnection != null) {
                events.setLong(2, onlyConnection);
            }
            events.setFetchSize(1000);
            try (ResultSet rs = events.executeQuery()) {
                ConnectionEvent event = nextEvent(rs);
                int next = 0;
                while (true) {
                    long earliest = Math.min(pending.isEmpty() ? Long.MAX_VALUE : pending.peek().atNanos(),
                            event == null ? Long.MAX_VALUE : event.atNanos());
                    if (next < ids.length && firstAts[next] <= earliest) {
                        load(entries, ids[next++], onlyConnection, fromNanos, pending);
                        continue;
                    }
                    if (pending.isEmpty() && event == null) {
                        return;
                    }
                    if (event == null || (!pending.isEmpty() && chunkFirst(pending.peek(), event))) {
                        visitor.chunk(pending.poll());
                    } else {
                        visitor.event(event);
                        event = nextEvent(rs);
                    }
                }
            }
        }
    }

    /** Batch ids and their earliest times, in the same order. */
    private record Batches(long[] ids, long[] firstAts) {
    }

    /** The batches with chunks at or after {@code fromNanos}, by earliest time. */
    private static Batches batchesByFirstAt(Connection db, long fromNanos) throws SQLException {
        long[] ids = new long[64];
        long[] firstAts = new long[64];
        int n = 0;
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT id, first_at FROM chunk_batches WHERE last_at >= ? ORDER BY first_at, id")) {
            ps.setLong(1, fromNanos);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == ids.length) {
                        ids = Arrays.copyOf(ids, n * 2);
                        firstAts = Arrays.copyOf(firstAts, n * 2);
                    }
                    ids[n] = rs.getLong(1);
                    firstAts[n++] = rs.getLong(2);
                }
            }
        }
        return new Batches(Arrays.copyOf(ids, n), Arrays.copyOf(firstAts, n));
    }

    private static void load(PreparedStatement entries, long batch, Long onlyConnection, long fromNanos,
                             PriorityQueue<ChunkBatch.Entry> into) throws SQLException {
        entries.setLong(1, batch);
        try (ResultSet rs = entries.executeQuery()) {
            if (rs.next()) {
                ChunkBatch.decode(rs.getBytes(1), e -> {
                    if ((onlyConnection == null || e.connection() == onlyConnection) && e.atNanos() >= fromNanos) {
                        into.add(e);
                    }
                });
            }
        }
    }

    /** Whether the chunk comes before the event: earlier, or at the same time, connection and seq. */
    private static boolean chunkFirst(ChunkBatch.Entry chunk, ConnectionEvent event) {
        if (chunk.atNanos() != event.atNanos()) {
            return chunk.atNanos() < event.atNanos();
        }
        if (chunk.connection() != event.connectionId()) {
            return chunk.connection() < event.connectionId();
        }
        return chunk.seq() <= event.seq();
    }

    private static ConnectionEvent nextEvent(ResultSet rs) throws SQLException {
        if (!rs.next()) {
            return null;
        }
        Object dir = rs.getObject(4);
        return new ConnectionEvent(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                dir == null ? null : Direction.ofCode(((Number) dir).intValue()), EventKind.valueOf(rs.getString(5)),
                rs.getString(6));
    }
}
