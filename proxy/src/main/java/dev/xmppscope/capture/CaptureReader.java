package dev.xmppscope.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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

    CaptureReader(Connection connection, PayloadLog payloads) {
        this.connection = connection;
        this.payloads = payloads;
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
            throw new CaptureStoreException("cannot read connections: " + e.getMessage(), e);
        }
    }

    public Optional<ConnectionRecord> connection(long id) {
        try (PreparedStatement ps = connection.prepareStatement(CONNECTION_COLUMNS + " WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(connectionRecord(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new CaptureStoreException("cannot read connection " + id + ": " + e.getMessage(), e);
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
        List<ConnectionRecord> conns = onlyConnection == null ? connections()
                : connection(onlyConnection).map(List::of).orElse(List.of());
        List<ConnectionRecord> byOpen = new ArrayList<>(conns);
        byOpen.sort(Comparator.comparingLong((ConnectionRecord c) -> c.opened().atNanos()).thenComparingLong(ConnectionRecord::id));
        List<ConnectionRecord> byClose = new ArrayList<>(conns.stream().filter(c -> c.closed() != null).toList());
        byClose.sort(Comparator.comparingLong((ConnectionRecord c) -> c.closed().atNanos()).thenComparingLong(ConnectionRecord::id));
        int nextOpen = 0;
        int nextClose = 0;
        String where = onlyConnection == null ? "" : " WHERE connection = " + onlyConnection;
        String sql = chunksAndEvents(where);
        long torn = 0;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long at = rs.getLong(3);
                    while (nextOpen < byOpen.size() && byOpen.get(nextOpen).opened().atNanos() <= at) {
                        sink.opened(byOpen.get(nextOpen++).opened());
                    }
                    while (nextClose < byClose.size() && byClose.get(nextClose).closed().atNanos() < at) {
                        sink.closed(byClose.get(nextClose++).closed());
                    }
                    if (!deliver(rs, sink)) {
                        torn++;
                    }
                }
            }
        } catch (SQLException e) {
            throw new CaptureStoreException("cannot read the capture: " + e.getMessage(), e);
        }
        if (torn > 0) {
            LOG.warn("{} chunks point past the end of {} (a torn tail after a crash); skipped them", torn, payloads.file());
        }
        while (nextOpen < byOpen.size()) {
            sink.opened(byOpen.get(nextOpen++).opened());
        }
        while (nextClose < byClose.size()) {
            sink.closed(byClose.get(nextClose++).closed());
        }
        sink.flushed();
    }

    /**
     * Feeds {@code sink} the chunks and events recorded at or after {@code fromNanos}, in time
     * order (ties: connection, seq, a chunk before the event that shares its seq), without any
     * {@code opened}, {@code closed} or {@code flushed} calls. For a consumer catching up with a
     * capture that is still being recorded; it walks the time indexes, not the whole capture.
     */
    public void replayChunksAndEventsFrom(long fromNanos, CaptureSink sink) {
        String sql = chunksAndEvents(" WHERE at >= ?");
        long torn = 0;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, fromNanos);
            ps.setLong(2, fromNanos);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!deliver(rs, sink)) {
                        torn++;
                    }
                }
            }
        } catch (SQLException e) {
            throw new CaptureStoreException("cannot read the capture from " + fromNanos + ": " + e.getMessage(), e);
        }
        if (torn > 0) {
            LOG.warn("{} chunks point past the end of {} (a torn tail after a crash); skipped them", torn, payloads.file());
        }
    }

    /**
     * Chunks and events in capture order: time, then connection and seq, a chunk before the
     * event that shares its seq. Read rows with {@link #deliver}.
     */
    private static String chunksAndEvents(String where) {
        return "SELECT connection, seq, at, 0 AS what, direction, layer, stream_offset, length, redacted, payload_pos,"
                + " NULL AS kind, NULL AS detail FROM chunks" + where
                + " UNION ALL SELECT connection, seq, at, 1, direction, NULL, NULL, NULL, NULL, NULL, kind, detail"
                + " FROM connection_events" + where
                + " ORDER BY at, connection, seq, what";
    }

    /** Hands one row of {@link #chunksAndEvents} to {@code sink}; false when its bytes are past a torn tail. */
    private boolean deliver(ResultSet rs, CaptureSink sink) throws SQLException {
        long conn = rs.getLong(1);
        long seq = rs.getLong(2);
        long at = rs.getLong(3);
        if (rs.getInt(4) == 0) {
            int length = rs.getInt(8);
            long pos = rs.getLong(10);
            byte[] bytes = pos < 0 ? new byte[0] : payloads.read(pos, length);
            if (bytes == null) {
                return false;
            }
            sink.chunk(new Chunk(conn, seq, Direction.ofCode(rs.getInt(5)), at, TlsLayer.ofCode(rs.getInt(6)),
                    rs.getLong(7), length, bytes, rs.getBoolean(9)));
        } else {
            Object dir = rs.getObject(5);
            sink.event(new ConnectionEvent(conn, seq, at, dir == null ? null : Direction.ofCode(((Number) dir).intValue()),
                    EventKind.valueOf(rs.getString(11)), rs.getString(12)));
        }
        return true;
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
            throw new CaptureStoreException("cannot close capture reader: " + e.getMessage(), e);
        }
    }
}
