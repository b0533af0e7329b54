package dev.xmppscope.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * Writes capture data in batches: calls accumulate until {@link #commit()}, which writes them
 * in one transaction. Used from one thread (the recorder's writer, an importer).
 */
public final class CaptureWriter implements CaptureSink, AutoCloseable {
    private final Connection connection;
    private final PayloadLog payloads;
    private long lastPosition = -1;
    private final PreparedStatement insertConnection;
    private final ChunkBatch batch = new ChunkBatch();
    private final ChunkBatchRows batchRows;
    private final PreparedStatement insertEvent;
    private final PreparedStatement updateClosed;
    private static final long CHECKPOINT_INTERVAL_MS = 200;

    private int pending;
    private long lastCheckpoint = System.nanoTime();

    CaptureWriter(Connection connection, PayloadLog payloads) {
        this.connection = connection;
        this.payloads = payloads;
        try {
            connection.setAutoCommit(false);
            insertConnection = connection.prepareStatement(
                    "INSERT INTO connections (id, route, listen, client, server, tls_mode, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
            batchRows = new ChunkBatchRows(connection);
            insertEvent = connection.prepareStatement(
                    "INSERT INTO connection_events (connection, seq, at, direction, kind, detail) VALUES (?, ?, ?, ?, ?, ?)");
            updateClosed = connection.prepareStatement(
                    "UPDATE connections SET closed_at = ?, close_reason = ?, close_detail = ?, bytes_to_server = ?,"
                            + " bytes_to_client = ? WHERE id = ?");
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot prepare capture writer", e);
        }
    }

    @Override
    public void opened(ConnectionOpened c) {
        try {
            // Connections go in at once (not batched) so that chunks batched after them never
            // reference a row that is not there yet.
            insertConnection.setLong(1, c.id());
            insertConnection.setString(2, c.route());
            insertConnection.setString(3, c.listen());
            insertConnection.setString(4, c.client());
            insertConnection.setString(5, c.server());
            insertConnection.setString(6, c.tlsMode().cliName());
            insertConnection.setLong(7, c.atNanos());
            insertConnection.executeUpdate();
            pending++;
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot record connection " + c.id(), e);
        }
    }

    @Override
    public void chunk(Chunk c) {
        // encrypted chunks keep no bytes: -1 says so
        lastPosition = c.bytes().length == 0 ? -1 : payloads.append(c.bytes());
        batch.add(c, lastPosition);
        pending++;
        if (batch.isFull()) {
            try {
                payloads.flush(); // a row never points at bytes not yet handed to the OS
                batchRows.write(batch);
            } catch (SQLException e) {
                throw CaptureStoreException.of("cannot record chunks of connection " + c.connectionId(), e);
            }
        }
    }

    @Override
    public void event(ConnectionEvent e) {
        try {
            insertEvent.setLong(1, e.connectionId());
            insertEvent.setLong(2, e.seq());
            insertEvent.setLong(3, e.atNanos());
            if (e.direction() == null) {
                insertEvent.setNull(4, Types.TINYINT);
            } else {
                insertEvent.setInt(4, e.direction().code());
            }
            insertEvent.setString(5, e.kind().name());
            insertEvent.setString(6, e.detail());
            insertEvent.addBatch();
            pending++;
        } catch (SQLException ex) {
            throw CaptureStoreException.of("cannot record an event of connection " + e.connectionId(), ex);
        }
    }

    @Override
    public void closed(ConnectionClosed c) {
        try {
            updateClosed.setLong(1, c.atNanos());
            updateClosed.setString(2, c.reason().name());
            updateClosed.setString(3, c.detail());
            updateClosed.setLong(4, c.bytesToServer());
            updateClosed.setLong(5, c.bytesToClient());
            updateClosed.setLong(6, c.id());
            updateClosed.addBatch();
            pending++;
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot record the close of connection " + c.id(), e);
        }
    }

    /** Where the bytes of the last chunk written are in the payload file; -1 when it kept none (encrypted). */
    public long lastPayloadPosition() {
        return lastPosition;
    }

    /** Writes everything since the last commit in one transaction, payload bytes first. */
    public void commit() {
        if (pending == 0) {
            return;
        }
        payloads.flush();
        try {
            batchRows.write(batch);
            insertEvent.executeBatch();
            updateClosed.executeBatch();
            connection.commit();
            pending = 0;
            checkpointIfDue();
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot write a batch to the capture database", e);
        }
    }

    /**
     * H2 hands committed pages to the file from a background thread (WRITE_DELAY), which a busy
     * machine can hold off for longer than a second; an explicit checkpoint every
     * {@value #CHECKPOINT_INTERVAL_MS} ms keeps "durable within a fraction of a second" true
     * under load without a disk write per commit.
     */
    private void checkpointIfDue() throws SQLException {
        long now = System.nanoTime();
        if (now - lastCheckpoint >= CHECKPOINT_INTERVAL_MS * 1_000_000L) {
            try (Statement st = connection.createStatement()) {
                st.execute("CHECKPOINT");
            }
            lastCheckpoint = now;
        }
    }

    @Override
    public void flushed() {
        commit();
    }

    @Override
    public void close() {
        try {
            commit();
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                throw CaptureStoreException.of("cannot close capture writer", e);
            }
        }
    }
}
