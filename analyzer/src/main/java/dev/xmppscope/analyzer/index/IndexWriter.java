package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import dev.xmppscope.capture.BackgroundThreads;
import dev.xmppscope.capture.CaptureStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Writes batches of stanzas to H2 on its own thread, so parsing the next chunks overlaps with
 * the inserts. At most {@code MAX_QUEUED} batches wait; beyond that the ingest thread blocks
 * (memory stays bounded). A write failure is reported on the next call from the ingest side.
 */
final class IndexWriter implements AutoCloseable {
    private static final int MAX_QUEUED = 4;
    private static final String DUPLICATE_KEY = "23505";

    private final Connection connection;
    private final String where;
    private final PreparedStatement insertStanza;
    private final PreparedStatement insertJid;
    private final PreparedStatement insertNs;
    private final PreparedStatement insertXml;
    private final Namespaces namespaces;
    private final Consumer<List<IndexedStanza>> written;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            r -> BackgroundThreads.newThread("xmppscope-index-writer", r));
    private final Semaphore slots = new Semaphore(MAX_QUEUED);
    private volatile RuntimeException failure;

    IndexWriter(Connection connection, String where, Namespaces namespaces, Consumer<List<IndexedStanza>> written)
            throws SQLException {
        this.connection = connection;
        this.where = where;
        this.namespaces = namespaces;
        this.written = written;
        connection.setAutoCommit(false);
        insertStanza = connection.prepareStatement("INSERT INTO analysis_stanzas (pk, ref, connection, direction, idx, at, kind,"
                + " type, from_jid, to_jid, from_key, to_key, from_bare, to_bare, xmpp_id, namespaces, summary, size,"
                + " layer, stream_offset, parse_status, error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        insertXml = connection.prepareStatement("INSERT INTO analysis_stanza_xml (pk, xml) VALUES (?, ?)");
        insertJid = connection.prepareStatement("INSERT INTO analysis_stanza_jids (jid, at, pk) VALUES (?, ?, ?)");
        insertNs = connection.prepareStatement("INSERT INTO analysis_stanza_ns (ns, at, pk) VALUES (?, ?, ?)");
    }

    /** Queues a batch for writing; blocks while {@code MAX_QUEUED} batches are already waiting. */
    void submit(List<IndexedStanza> batch) {
        checkFailure();
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureStoreException("interrupted while queueing stanzas for the index in " + where, e);
        }
        thread.execute(() -> {
            try {
                if (failure == null) {
                    write(batch);
                    written.accept(batch);
                }
            } catch (SQLException | RuntimeException e) {
                failure = new CaptureStoreException("cannot write stanzas to the index in " + where + ": " + e.getMessage(), e);
            } finally {
                slots.release();
            }
        });
    }

    /** Runs DDL statements on the writer's own connection and thread, after the batches queued before them. */
    void execute(List<String> statements) {
        try {
            thread.submit(() -> {
                try (java.sql.Statement st = connection.createStatement()) {
                    for (String sql : statements) {
                        st.execute(sql);
                    }
                    connection.commit();
                }
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureStoreException("interrupted while building the index of " + where, e);
        } catch (ExecutionException e) {
            throw new CaptureStoreException("cannot build the stanza index in " + where + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** Returns once every batch submitted so far is committed. */
    void awaitWritten() {
        try {
            thread.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureStoreException("interrupted while waiting for the index writer of " + where, e);
        } catch (ExecutionException e) {
            throw new CaptureStoreException("the index writer of " + where + " failed: " + e.getCause(), e.getCause());
        }
        checkFailure();
    }

    private void checkFailure() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    private void write(List<IndexedStanza> batch) throws SQLException {
        try {
            writeBatch(batch);
        } catch (SQLException e) {
            if (!isDuplicate(e)) {
                throw e;
            }
            // another analyzer on the same database indexed some of these already: keep the rest
            connection.rollback();
            insertStanza.clearBatch();
            insertJid.clearBatch();
            insertNs.clearBatch();
            insertXml.clearBatch();
            for (IndexedStanza s : batch) {
                try {
                    writeBatch(List.of(s));
                } catch (SQLException one) {
                    if (!isDuplicate(one)) {
                        throw one;
                    }
                    connection.rollback();
                    insertStanza.clearBatch();
                    insertJid.clearBatch();
                    insertNs.clearBatch();
                    insertXml.clearBatch();
                }
            }
        }
    }

    private static boolean isDuplicate(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() != t ? t.getCause() : null) {
            if (t instanceof SQLException s) {
                if (DUPLICATE_KEY.equals(s.getSQLState())) {
                    return true;
                }
                SQLException next = s.getNextException();
                if (next != null && DUPLICATE_KEY.equals(next.getSQLState())) {
                    return true;
                }
            }
        }
        return false;
    }

    private void writeBatch(List<IndexedStanza> batch) throws SQLException {
        for (IndexedStanza s : batch) {
            StanzaSummary m = s.summary();
            insertStanza.setLong(1, s.pk());
            insertStanza.setString(2, m.ref());
            insertStanza.setLong(3, m.connection());
            insertStanza.setInt(4, s.directionIndex());
            insertStanza.setInt(5, Integer.parseInt(m.ref().substring(m.ref().lastIndexOf('-') + 1)));
            insertStanza.setLong(6, m.at());
            insertStanza.setString(7, m.kind());
            insertStanza.setString(8, m.type());
            insertStanza.setString(9, m.from());
            insertStanza.setString(10, m.to());
            insertStanza.setString(11, s.fromKey());
            insertStanza.setString(12, s.toKey());
            insertStanza.setString(13, s.fromBare());
            insertStanza.setString(14, s.toBare());
            insertStanza.setString(15, m.id());
            insertStanza.setString(16, String.join(" ", m.namespaces()));
            insertStanza.setString(17, m.summary());
            insertStanza.setInt(18, m.size());
            insertStanza.setInt(19, s.layer());
            insertStanza.setLong(20, m.offset());
            insertStanza.setString(21, m.parseStatus());
            insertStanza.setString(22, s.error());
            insertStanza.addBatch();
            insertXml.setLong(1, s.pk());
            insertXml.setString(2, s.xml());
            insertXml.addBatch();
            if (s.fromBare() != null) {
                addKey(insertJid, s.fromBare(), m.at(), s.pk());
            }
            if (s.toBare() != null && !s.toBare().equals(s.fromBare())) {
                addKey(insertJid, s.toBare(), m.at(), s.pk());
            }
            for (String key : namespaces.indexKeys(m.namespaces())) {
                addKey(insertNs, key, m.at(), s.pk());
            }
        }
        insertStanza.executeBatch();
        insertJid.executeBatch();
        insertNs.executeBatch();
        insertXml.executeBatch();
        connection.commit();
    }

    private static void addKey(PreparedStatement ps, String key, long at, long pk) throws SQLException {
        ps.setString(1, key);
        ps.setLong(2, at);
        ps.setLong(3, pk);
        ps.addBatch();
    }

    @Override
    public void close() {
        try {
            awaitWritten();
        } finally {
            thread.shutdown();
            try {
                connection.close();
            } catch (SQLException e) {
                throw new CaptureStoreException("cannot close the index writer of " + where + ": " + e.getMessage(), e);
            }
        }
    }
}
