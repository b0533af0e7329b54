package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The stanza index in the capture's analysis database ({@link CaptureStore#newAnalysisConnection()},
 * component "analysis"): one row per top-level element, plus two narrow tables (bare JIDs,
 * namespaces) so that queries by JID or namespace walk an index in time order instead of scanning.
 * Pages use a keyset cursor ({@code at}, row key).
 *
 * <p>Writes come from one thread (the analyzer's ingest) in batches; reads from any thread, each on
 * a pooled connection. An element already indexed by an earlier run over the same capture (same
 * connection, direction and position) is not written again, so re-opening a capture is cheap.
 */
public final class StanzaIndex implements AutoCloseable {
    public static final String COMPONENT = "analysis";
    public static final int SCHEMA_VERSION = 2;
    private static final int BATCH = 2000;
    private static final int MAX_LIMIT = 1000;
    private static final String COLUMNS = "s.pk, s.ref, s.connection, s.direction, s.idx, s.at, s.kind, s.type, s.from_jid,"
            + " s.to_jid, s.xmpp_id, s.namespaces, s.summary, s.size, s.stream_offset, s.parse_status";

    private static final java.util.regex.Pattern REF = java.util.regex.Pattern.compile("\\d{1,18}-[sc]-\\d{1,9}");

    private final CaptureStore store;
    private final IndexWriter writer;
    private List<IndexedStanza> batch = new ArrayList<>(BATCH);
    private final ConcurrentLinkedQueue<Connection> readers = new ConcurrentLinkedQueue<>();
    private final Map<String, Integer> indexedUpTo = new HashMap<>(); // "conn/dir" -> highest idx stored
    private final Map<String, IndexedStanza> unflushed = new java.util.concurrent.ConcurrentHashMap<>();
    private final Namespaces namespaces = Namespaces.shipped();
    private boolean indexesBuilt;

    public StanzaIndex(CaptureStore store) {
        this.store = store;
        Connection admin = store.newAnalysisConnection();
        String where = CaptureStore.analysisFile(store.file()).toString();
        try {
            migrate(admin, where);
            readIndexedUpTo(admin);
            this.writer = new IndexWriter(admin, where, namespaces, done -> done.forEach(s -> unflushed.remove(s.summary().ref(), s)));
        } catch (SQLException e) {
            throw new CaptureStoreException("cannot prepare the stanza index in " + where + ": " + e.getMessage(), e);
        }
    }

    private void migrate(Connection writer, String where) throws SQLException {
        int version = CaptureStore.schemaVersion(writer, COMPONENT);
        if (version > SCHEMA_VERSION) {
            throw new CaptureStoreException(where + " was analyzed by a newer xmppscope (analysis schema " + version
                    + ", this build knows " + SCHEMA_VERSION + ")", null);
        }
        if (version < SCHEMA_VERSION) {
            try (Statement st = writer.createStatement()) {
                // the analysis is derived data: an older layout is dropped and rebuilt by this run
                for (String sql : List.of(
                        "DROP TABLE IF EXISTS analysis_stanza_jids",
                        "DROP TABLE IF EXISTS analysis_stanza_ns",
                        "DROP TABLE IF EXISTS analysis_stanza_xml",
                        "DROP TABLE IF EXISTS analysis_stanzas",
                        // pk is a function of (connection, direction, idx): it is also the position index
                        """
                        CREATE TABLE analysis_stanzas (
                          pk BIGINT PRIMARY KEY, ref VARCHAR(64) NOT NULL, connection BIGINT NOT NULL,
                          direction TINYINT NOT NULL, idx INT NOT NULL, at BIGINT NOT NULL, kind VARCHAR(16) NOT NULL,
                          type VARCHAR(64), from_jid VARCHAR, to_jid VARCHAR, from_key VARCHAR, to_key VARCHAR,
                          from_bare VARCHAR, to_bare VARCHAR, xmpp_id VARCHAR, namespaces VARCHAR, summary VARCHAR,
                          size INT NOT NULL, layer TINYINT NOT NULL, stream_offset BIGINT NOT NULL,
                          parse_status VARCHAR NOT NULL, error VARCHAR)""",
                        // the XML apart: building the query indexes reads the narrow rows above, not this
                        "CREATE TABLE analysis_stanza_xml (pk BIGINT PRIMARY KEY, xml VARCHAR)",
                        // no primary key: rows append in insertion order; SECONDARY_INDEXES order them for queries
                        "CREATE TABLE analysis_stanza_jids (jid VARCHAR NOT NULL, at BIGINT NOT NULL, pk BIGINT NOT NULL)",
                        "CREATE TABLE analysis_stanza_ns (ns VARCHAR NOT NULL, at BIGINT NOT NULL, pk BIGINT NOT NULL)")) {
                    st.execute(sql);
                }
            }
            CaptureStore.setSchemaVersion(writer, COMPONENT, SCHEMA_VERSION);
        }
    }

    /**
     * Creates the query indexes if they are missing. A first analysis bulk-loads the tables
     * without them (one B-tree insert per row instead of eight) and builds them here, sorted, at
     * its first {@link #sync()}: at the end of a store replay, within ~100 ms for a live capture.
     */
    private void buildIndexes() {
        if (indexesBuilt) {
            return;
        }
        writer.awaitWritten();
        writer.execute(SECONDARY_INDEXES);
        indexesBuilt = true;
    }

    private static final List<String> SECONDARY_INDEXES = List.of(
            "CREATE INDEX IF NOT EXISTS analysis_stanzas_at ON analysis_stanzas (at, pk)",
            "CREATE INDEX IF NOT EXISTS analysis_stanzas_conn ON analysis_stanzas (connection, at, pk)",
            "CREATE INDEX IF NOT EXISTS analysis_stanzas_kind ON analysis_stanzas (kind, at, pk)",
            "CREATE INDEX IF NOT EXISTS analysis_stanzas_id ON analysis_stanzas (xmpp_id)",
            "CREATE INDEX IF NOT EXISTS analysis_stanza_jids_key ON analysis_stanza_jids (jid, at, pk)",
            "CREATE INDEX IF NOT EXISTS analysis_stanza_ns_key ON analysis_stanza_ns (ns, at, pk)");

    /**
     * Finds, per connection and direction, the last element an earlier run stored: two lookups in
     * the primary key per connection (pk orders by position), no scan of the stanza table.
     */
    private void readIndexedUpTo(Connection admin) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection capture = store.newConnection(); Statement st = capture.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM connections")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        try (PreparedStatement ps = admin.prepareStatement("SELECT MAX(pk) FROM analysis_stanzas WHERE pk BETWEEN ? AND ?")) {
            for (long id : ids) {
                for (int direction = 0; direction < 2; direction++) {
                    ps.setLong(1, rowKey(id, direction, 0));
                    ps.setLong(2, rowKey(id, direction, -1));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getObject(1) != null) {
                            indexedUpTo.put(id + "/" + direction, (int) (rs.getLong(1) & 0xFFFFFFFFL));
                        }
                    }
                }
            }
        }
    }

    /** True if an earlier run already indexed this element. */
    public boolean alreadyIndexed(long connection, int direction, int idx) {
        Integer upTo = indexedUpTo.get(connection + "/" + direction);
        return upTo != null && idx <= upTo;
    }

    /**
     * The row key of an element: a function of its position (connection, direction, index), so
     * every run over the same capture, and two analyzers on one database, agree on it. It also
     * orders elements with the same timestamp.
     */
    public static long rowKey(long connection, int direction, int idx) {
        return (connection << 33) | ((long) direction << 32) | (idx & 0xFFFFFFFFL);
    }

    /** Queues a stanza for the next batch; call from the single ingest thread. */
    public void add(IndexedStanza s) {
        unflushed.put(s.summary().ref(), s);
        batch.add(s);
        if (batch.size() >= BATCH) {
            flush();
        }
    }

    /** Hands the queued stanzas to the writer thread. */
    public void flush() {
        if (!batch.isEmpty()) {
            writer.submit(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    /** Returns once everything added so far is committed and visible to queries. */
    public void sync() {
        flush();
        writer.awaitWritten();
        buildIndexes();
    }

    /**
     * One page of stanzas matching {@code q}, in time order, among those at or before
     * {@code visibleUntil} (what this analysis has reached; a replay sees no future stanzas).
     */
    public StanzaPage query(StanzaQuery q, long visibleUntil) {
        int limit = Math.max(1, Math.min(q.limit() <= 0 ? 100 : q.limit(), MAX_LIMIT));
        QueryPlan plan = QueryPlan.of(q, namespaces, visibleUntil, limit);
        Connection c = reader();
        try (PreparedStatement ps = c.prepareStatement(plan.sql())) {
            plan.bind(ps);
            List<StanzaSummary> items = new ArrayList<>();
            long lastAt = 0;
            long lastPk = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (items.size() == limit) {
                        return new StanzaPage(items, lastAt + ":" + lastPk);
                    }
                    items.add(summary(rs));
                    lastAt = rs.getLong(6);
                    lastPk = rs.getLong(1);
                }
            }
            return new StanzaPage(items, null);
        } catch (SQLException e) {
            throw new CaptureStoreException("cannot query the stanza index: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    /** The stored stanza with this ref, if visible. */
    public Optional<IndexedStanza> get(String ref, long visibleUntil) {
        IndexedStanza pendingStanza = unflushed.get(ref);
        if (pendingStanza != null) {
            return Optional.of(pendingStanza);
        }
        Connection c = reader();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", s.from_key, s.to_key, s.from_bare,"
                + " s.to_bare, s.layer, s.error, x.xml FROM analysis_stanzas s LEFT JOIN analysis_stanza_xml x ON x.pk = s.pk"
                + " WHERE s.pk = ? AND s.at <= ?")) {
            if (!REF.matcher(ref).matches()) {
                return Optional.empty();
            }
            String[] parts = ref.split("-");
            ps.setLong(1, rowKey(Long.parseLong(parts[0]), parts[1].equals("s") ? 0 : 1, Integer.parseInt(parts[2])));
            ps.setLong(2, visibleUntil);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new IndexedStanza(rs.getLong(1), rs.getInt(4), summary(rs), rs.getString(17),
                        rs.getString(18), rs.getString(19), rs.getString(20), rs.getInt(21), rs.getString(22), rs.getString(23)));
            }
        } catch (SQLException e) {
            throw new CaptureStoreException("cannot read stanza " + ref + " from the index: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    private StanzaSummary summary(ResultSet rs) throws SQLException {
        String nsText = rs.getString(12);
        List<String> nss = nsText == null || nsText.isEmpty() ? List.of() : Arrays.asList(nsText.split(" "));
        List<String> labels = new ArrayList<>(nss.size());
        for (String ns : nss) {
            labels.add(namespaces.label(ns));
        }
        return new StanzaSummary(rs.getString(2), rs.getLong(3), rs.getInt(4) == 0 ? "toServer" : "toClient", rs.getLong(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), nss, labels,
                rs.getString(13), rs.getInt(14), rs.getLong(15), rs.getString(16));
    }

    private Connection reader() {
        Connection c = readers.poll();
        return c != null ? c : store.newAnalysisConnection();
    }

    static String bareKey(String jid) {
        return jid == null ? null : Jid.parse(jid).bareKey();
    }

    @Override
    public void close() {
        try {
            flush();
            buildIndexes();
        } finally {
            try {
                writer.close();
            } finally {
                closeAll();
            }
        }
    }

    private void closeAll() {
        List<SQLException> problems = new ArrayList<>();
        Connection c;
        while ((c = readers.poll()) != null) {
            try {
                c.close();
            } catch (SQLException e) {
                problems.add(e);
            }
        }
        if (!problems.isEmpty()) {
            throw new CaptureStoreException("cannot close the stanza index: " + problems.get(0).getMessage(), problems.get(0));
        }
    }
}
