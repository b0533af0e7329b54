package dev.xmppscope.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a stored capture back, either as records or by replaying it into a {@link CaptureSink}
 * in the order it happened, which is how every consumer (analyzer, exporters) reads it.
 */
public final class CaptureReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureReader.class);

    private final Connection connection;
    private final PayloadLog payloads;
    private final StoredPayloads stored;

    CaptureReader(Connection connection, PayloadLog payloads, StoredPayloads stored) {
        this.connection = connection;
        this.payloads = payloads;
        this.stored = stored;
        try (Statement st = connection.createStatement()) {
            // a transaction then sees the database as of its first read (see inOneSnapshot)
            st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT");
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot open a capture reader", e);
        }
    }

    /**
     * Runs {@code read} on one snapshot of the database. A replay reads several tables one after
     * another (connections, chunk batches, events) while the recorder may be committing: without a
     * snapshot it could see an event whose chunks were committed after it listed the batches, and a
     * listener catching up from the store then skipped those chunks as already seen.
     */
    private void inOneSnapshot(Runnable read) {
        try {
            connection.setAutoCommit(false);
            try {
                read.run();
            } finally {
                connection.commit(); // ends the read-only transaction: the next read sees new data
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot read the capture", e);
        }
    }

    public List<ConnectionRecord> connections() {
        try (PreparedStatement ps = connection.prepareStatement(CONNECTION_COLUMNS + " ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            List<ConnectionRecord> out = new ArrayList<>();
            while (rs.next()) {
                out.add(connectionRecord(rs));
            }
            return out;
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot read connections", e);
        }
    }

    public Optional<ConnectionRecord> connection(long id) {
        try (PreparedStatement ps = connection.prepareStatement(CONNECTION_COLUMNS + " WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(connectionRecord(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot read connection " + id, e);
        }
    }

    /**
     * Feeds the whole capture to {@code sink} in time order across connections: each
     * connection's {@code opened} first, then its chunks and events interleaved by time (ties by
     * seq), then its {@code closed} if it was seen to close. Streams from the database; the
     * capture need not fit in memory.
     */
    public void replay(CaptureSink sink) {
        replay(sink, null);
    }

    /** Like {@link #replay(CaptureSink)}, for one connection. */
    public void replayConnection(long id, CaptureSink sink) {
        replay(sink, id);
    }

    private void replay(CaptureSink sink, Long onlyConnection) {
        inOneSnapshot(() -> replayInSnapshot(sink, onlyConnection));
    }

    private void replayInSnapshot(CaptureSink sink, Long onlyConnection) {
        List<ConnectionRecord> conns = onlyConnection == null ? connections()
                : connection(onlyConnection).map(List::of).orElse(List.of());
        List<ConnectionRecord> byOpen = new ArrayList<>(conns);
        byOpen.sort(Comparator.comparingLong((ConnectionRecord c) -> c.opened().atNanos()).thenComparingLong(ConnectionRecord::id));
        List<ConnectionRecord> byClose = new ArrayList<>(conns.stream().filter(c -> c.closed() != null).toList());
        byClose.sort(Comparator.comparingLong((ConnectionRecord c) -> c.closed().atNanos()).thenComparingLong(ConnectionRecord::id));
        int[] next = {0, 0}; // the next connection to open, to close
        // Opens the connections opened by an item's time and closes those closed before it.
        LongConsumer before = at -> {
            while (next[0] < byOpen.size() && byOpen.get(next[0]).opened().atNanos() <= at) {
                sink.opened(byOpen.get(next[0]++).opened());
            }
            while (next[1] < byClose.size() && byClose.get(next[1]).closed().atNanos() < at) {
                sink.closed(byClose.get(next[1]++).closed());
            }
        };
        // a connection's own chunks are not bounded by its opening and closing times (the relay
        // stamps them on other threads), so the whole capture is read and filtered
        visitStored(onlyConnection, Long.MIN_VALUE, (c, position) -> {
            before.accept(c.atNanos());
            chunk(sink, c, position);
        }, e -> {
            before.accept(e.atNanos());
            sink.event(e);
        });
        before.accept(Long.MAX_VALUE); // what opened or closed after the last item
        sink.flushed();
    }

    /**
     * Feeds {@code sink} the chunks and events recorded at or after {@code fromNanos}, in time
     * order (ties: connection, seq, a chunk before the event that shares its seq), without any
     * {@code opened}, {@code closed} or {@code flushed} calls. For a consumer catching up with a
     * capture that is still being recorded; it walks the time indexes, not the whole capture.
     */
    public void replayChunksAndEventsFrom(long fromNanos, CaptureSink sink) {
        inOneSnapshot(() -> visitStored(null, fromNanos, (c, position) -> chunk(sink, c, position), sink::event));
    }

    /**
     * Feeds {@code sink} the chunks (with their bytes) and events from {@code fromNanos} on, in
     * capture order ({@link StoredItems}); chunks whose bytes are past a torn tail are skipped and counted in the log.
     */
    private void visitStored(Long onlyConnection, long fromNanos, ObjLongConsumer<Chunk> chunks,
                             Consumer<ConnectionEvent> events) {
        long[] torn = {0};
        try {
            StoredItems.visit(connection, onlyConnection, fromNanos, new StoredItems.Visitor() {
                @Override
                public void chunk(ChunkBatch.Entry e) {
                    byte[] bytes = e.payloadPos() < 0 ? new byte[0] : payloads.read(e.payloadPos(), e.length());
                    if (bytes == null) {
                        torn[0]++;
                    } else {
                        chunks.accept(e.toChunk(bytes), e.payloadPos());
                    }
                }

                @Override
                public void event(ConnectionEvent e) {
                    events.accept(e);
                }
            });
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot read the capture", e);
        }
        if (torn[0] > 0) {
            LOG.warn("{} chunks point past the end of {} (a torn tail after a crash); skipped them", torn[0], payloads.file());
        }
    }

    /** Gives {@code sink} a chunk read from the store, with where its bytes are when it kept some. */
    private void chunk(CaptureSink sink, Chunk c, long position) {
        if (position < 0) {
            sink.chunk(c);
        } else {
            sink.storedChunk(c, stored, position);
        }
    }

    private static final String CONNECTION_COLUMNS = "SELECT id, route, listen, client, server, tls_mode, opened_at,"
            + " closed_at, close_reason, close_detail, bytes_to_server, bytes_to_client FROM connections";

    private static ConnectionRecord connectionRecord(ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        ConnectionOpened opened = new ConnectionOpened(id, rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), TlsMode.ofCliName(rs.getString(6)), rs.getLong(7));
        long closedAt = rs.getLong(8);
        ConnectionClosed closed = rs.wasNull() ? null : new ConnectionClosed(id, closedAt,
                CloseReason.valueOf(rs.getString(9)), rs.getString(10), rs.getLong(11), rs.getLong(12));
        return new ConnectionRecord(opened, closed);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot close capture reader", e);
        }
    }
}
