package dev.xmppscope.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.h2.api.ErrorCode;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A capture database: an H2 file holding connections, chunk index rows and connection events
 * (this module's schema), an append-only payload file with the chunks' bytes
 * ({@link PayloadLog}), and an H2 MVStore file of key-value maps for what the analyzer derives from them.
 *
 * <p>The files are {@code PATH.mv.db}, {@code PATH.payloads} and {@code PATH.analysis.mv.db}; a
 * PATH that already ends in {@code .mv.db} names the same set. Open it once per process; hand
 * out {@link #newConnection()} to each thread that needs one; the analysis maps are in {@link #analysisStore()}.
 *
 * <p>A capture its user may not write (someone else's, or on read-only media) opens read-only:
 * it can be read and analyzed, not recorded into, and its analysis file goes to the user's cache
 * ({@link #readOnlyAnalysisDir()}) instead of beside it.
 *
 * <p>Why the analysis has a file of its own: H2 serializes a database's pages on its own
 * threads, and the analysis writes far more than the recorder. In a separate database those
 * threads are the analysis's ({@link BackgroundThreads}), so indexing never takes CPU or locks
 * from recording, and derived data can be thrown away without touching the capture.
 */
public final class CaptureStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureStore.class);
    /** How long an analysis of a read-only capture stays cached without being written ({@link #readOnlyAnalysisDir()}). */
    static final Duration CACHE_KEPT = Duration.ofDays(30);

    /** Bumped with each change to the capture tables; {@link #migrate} brings older files up. */
    public static final int SCHEMA_VERSION = 3;
    static final String COMPONENT = "capture";
    /**
     * H2 settings of the capture. WRITE_DELAY: committed rows reach the file within 100 ms, so a
     * kill -9 loses at most that. TRACE_LEVEL_FILE=0: no .trace.db beside it; where it could not be
     * written (a directory that is not the user's), H2 printed its stack trace before our error.
     */
    private static final String URL_OPTIONS = ";WRITE_DELAY=100;DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0";
    private final Path file;
    private final String url;
    private final Connection adminConnection;
    private final PayloadLog payloads;
    private final StoredPayloads storedPayloads;
    private final Path analysisFile;
    private final boolean readOnly;
    private volatile boolean analysisInBackground = true;
    private MVStore analysis; // guarded by this; acquired from AnalysisFiles on first use

    private CaptureStore(Path file, String url, Connection adminConnection, PayloadLog payloads, Path analysisFile,
                         boolean readOnly) {
        this.file = file;
        this.analysisFile = analysisFile;
        this.readOnly = readOnly;
        this.url = url;
        this.adminConnection = adminConnection;
        this.payloads = payloads;
        this.storedPayloads = StoredPayloads.of(payloads);
    }

    /**
     * Opens (creating if needed) the capture database at {@code path} and brings its schema up to
     * date; one its user may not write opens read-only.
     */
    public static CaptureStore open(Path path) {
        Path file = dataFile(path);
        if (unwritable(path)) {
            return openReadOnly(path);
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                OwnerOnly.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory for capture database " + file, e);
        }
        requireH2(file);
        String url = jdbcUrl(file, URL_OPTIONS);
        Connection admin = null;
        PayloadLog payloads = null;
        boolean payloadsMissing = Files.exists(file) && !Files.exists(payloadFile(path));
        try {
            OwnerOnly.createFile(file);
        } catch (IOException e) {
            throw CaptureStoreException.of("cannot open capture database " + file, e); // as H2 would say it
        }
        try {
            admin = DriverManager.getConnection(url, "sa", "");
            payloads = PayloadLog.open(payloadFile(path));
            CaptureStore store = new CaptureStore(file, url, admin, payloads, analysisFile(path), false);
            store.migrate();
            if (payloadsMissing && store.holdsChunks()) {
                Files.deleteIfExists(payloadFile(path)); // the empty one just made: what is missing stays missing
                throw new CaptureStoreException("the bytes of capture " + file + " are kept beside it in "
                        + payloadFile(path).getFileName() + ", which is missing: copy that file along with "
                        + file.getFileName() + " (the database alone holds only where each chunk is)", null);
            }
            return store;
        } catch (IOException e) {
            closeQuietly(payloads, e);
            closeQuietly(admin, e);
            throw new UncheckedIOException(e);
        } catch (SQLException | RuntimeException e) {
            // left open, the connection keeps the database locked by this process: a caller that
            // lives on (the web UI, a test) could not open it again
            closeQuietly(payloads, e);
            closeQuietly(admin, e);
            if (e instanceof SQLException sql) {
                throw openFailed(file, sql, "");
            }
            if (e instanceof CaptureStoreException c && c.getCause() != null) {
                throw CaptureStoreException.of("cannot open capture database " + file, c); // bringing it up to date failed
            }
            throw (RuntimeException) e;
        }
    }

    private boolean holdsChunks() throws SQLException {
        try (Statement st = adminConnection.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM chunk_batches")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /** Why a capture database did not open; H2's words for a file another process holds only make sense to H2's users. */
    private static CaptureStoreException openFailed(Path file, SQLException e, String how) {
        if (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
            // 'open' holds a capture while it serves it, as a recording proxy does
            return new CaptureStoreException(file + " is in use by another process (an xmppscope proxy still recording"
                    + " into it, or an xmppscope open still showing it? the web UI of either offers the capture for"
                    + " download); stop that process to use the file here", e);
        }
        return CaptureStoreException.of("cannot open capture database " + file + how, e);
    }

    /** Whether the capture at PATH exists but its user may not write its files or their directory. */
    private static boolean unwritable(Path path) {
        Path db = dataFile(path).toAbsolutePath();
        if (!Files.exists(db)) {
            return false;
        }
        Path payloads = payloadFile(db);
        return !Files.isWritable(db) || !Files.isWritable(db.getParent()) || Files.exists(payloads) && !Files.isWritable(payloads);
    }

    private static CaptureStore openReadOnly(Path path) {
        Path file = dataFile(path);
        requireH2(file);
        String url = jdbcUrl(file, URL_OPTIONS + ";ACCESS_MODE_DATA=r");
        Connection admin = null;
        try {
            admin = DriverManager.getConnection(url, "sa", "");
            requireCurrentSchema(admin, file);
            Path analysis = readOnlyAnalysisDir().resolve(cachedAnalysisName(captureId(admin, file), payloadFile(path)));
            return new CaptureStore(file, url, admin, PayloadLog.openReadOnly(payloadFile(path)), analysis, true);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(admin, e);
            if (e instanceof CaptureStoreException c) {
                throw c;
            }
            if (e instanceof SQLException sql) {
                throw openFailed(file, sql, " (read-only for you)");
            }
            throw CaptureStoreException.of("cannot open capture database " + file + " (read-only for you)", e);
        }
    }

    /**
     * The cached analysis of a read-only capture is named by the capture's id and how many bytes it
     * holds (its payload file only grows): two copies of one capture taken at different points
     * (a colleague's, then a later one) must not share an analysis, as one would show stanzas the
     * other does not hold.
     */
    private static String cachedAnalysisName(String captureId, Path payloads) {
        long bytes;
        try {
            bytes = Files.exists(payloads) ? Files.size(payloads) : 0;
        } catch (IOException e) {
            throw CaptureStoreException.of("cannot read the size of " + payloads, e);
        }
        return captureId + "-" + bytes + ".analysis.mv.db";
    }

    /**
     * Makes the cache ready for this read-only capture's analysis, on first use (an export or a
     * refused proxy needs none): the directory, old analyses let go, the owner's analysis copied.
     */
    private void prepareCachedAnalysis() {
        createCacheDir(analysisFile.getParent(), file);
        forgetOldAnalyses(analysisFile.getParent(), analysisFile);
        startFromOwnAnalysis(analysisFile(file), analysisFile);
    }

    private static void createCacheDir(Path dir, Path capture) {
        try {
            OwnerOnly.createDirectories(dir);
        } catch (IOException e) {
            throw new CaptureStoreException(capture + " is read-only for you, so its analysis goes to " + dir
                    + ", which cannot be created: " + CaptureStoreException.why(e)
                    + " (set XDG_CACHE_HOME to a directory of yours, or copy the capture to one)", e);
        }
    }

    /**
     * Deletes the cached analyses (other than {@code keep}) not written for {@link #CACHE_KEPT}:
     * each read-only capture ever opened leaves one, and they are derived data.
     */
    private static void forgetOldAnalyses(Path dir, Path keep) {
        Instant before = Instant.now().minus(CACHE_KEPT);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.analysis.mv.db")) {
            for (Path f : files) {
                if (!f.equals(keep) && Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            LOG.info("cannot clean up the analysis cache {} ({})", dir, CaptureStoreException.why(e));
        }
    }

    /**
     * The analysis a read-only capture carries beside it, if any, starts its copy in the cache: what
     * it indexed is not indexed again. (It is checked like any analysis file: one of another
     * capture, or damaged, is rebuilt.)
     */
    private static void startFromOwnAnalysis(Path own, Path cached) {
        if (Files.exists(cached) || !Files.isReadable(own)) {
            return;
        }
        // copied as bytes: Files.copy(Path, Path) would give the copy the original's read-only mode
        try (InputStream in = Files.newInputStream(own)) {
            Files.copy(in, cached);
        } catch (IOException e) {
            LOG.info("cannot copy the analysis beside the capture, {} ({}); the capture is analysed anew", own,
                    CaptureStoreException.why(e));
            try {
                Files.deleteIfExists(cached);
            } catch (IOException ignored) {
                // a partial copy left behind reads as damaged, and is rebuilt
            }
        }
    }

    /** A read-only capture cannot be brought up to date: it must already be at this build's schema. */
    private static void requireCurrentSchema(Connection admin, Path file) {
        int version;
        try {
            version = schemaVersion(admin, COMPONENT);
        } catch (CaptureStoreException e) {
            version = 0; // no schema_version table: recorded before there was one
        }
        if (version > SCHEMA_VERSION) {
            throw newerSchema(file, version);
        }
        if (version < SCHEMA_VERSION) {
            throw new CaptureStoreException(file + " was recorded by an older xmppscope (capture schema " + version
                    + ") and must be brought up to date, which writes to it, but it is read-only for you: copy "
                    + file.getFileName() + " and " + payloadFile(file).getFileName() + " to a directory of yours and open the copy",
                    null);
        }
    }

    private static CaptureStoreException newerSchema(Path file, int version) {
        return new CaptureStoreException(file + " was written by a newer xmppscope (capture schema " + version
                + ", this build knows " + SCHEMA_VERSION + ")", null);
    }

    /** Closes what an open that failed had opened; a failure to close goes with the first one. */
    private static void closeQuietly(AutoCloseable resource, Exception failure) {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * Where the analysis of a read-only capture goes, one file per capture id and size:
     * {@code $XDG_CACHE_HOME/xmppscope/analyses} or {@code ~/.cache/xmppscope/analyses}. Derived
     * data only: deleting it costs a new analysis, nothing else; one not written for
     * {@link #CACHE_KEPT} is deleted when a read-only capture opens.
     */
    public static Path readOnlyAnalysisDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path root = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return root.resolve("xmppscope").resolve("analyses");
    }

    /** H2's own error for a file that is not one of its databases says only "IO Exception" and a number. */
    private static void requireH2(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        } catch (NoSuchFileException e) {
            return; // created now
        } catch (IOException e) {
            throw CaptureStoreException.of("cannot read capture database " + file, e);
        }
        if (head.length > 0 && !startsLikeDatabase(head)) {
            throw new CaptureStoreException(file + " is not a capture database: the H2 files xmppscope records into"
                    + " start with 'H:2,', and this one does not (a damaged copy, or another file given this name)", null);
        }
    }

    /** Whether a file starting with {@code head} is an H2 database, as capture databases are. */
    public static boolean startsLikeDatabase(byte[] head) {
        return new String(head, StandardCharsets.ISO_8859_1).startsWith("H:2,");
    }

    /** The file H2 keeps the data in for a user-given PATH. */
    public static Path dataFile(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".mv.db") ? path : path.resolveSibling(name + ".mv.db");
    }

    /** The PATH that 'proxy --db' and 'open' take for this database, {@code path} without H2's {@code .mv.db}. */
    public static Path basePath(Path path) {
        String name = dataFile(path).getFileName().toString();
        return path.resolveSibling(name.substring(0, name.length() - ".mv.db".length()));
    }

    /** The append-only file with the chunks' bytes for a user-given PATH. */
    public static Path payloadFile(Path path) {
        return path.resolveSibling(basePath(path).getFileName() + ".payloads");
    }

    /** The H2 file with the analyzer's derived data for a user-given PATH. */
    public static Path analysisFile(Path path) {
        return path.resolveSibling(basePath(path).getFileName() + ".analysis.mv.db");
    }

    /** Every file a capture database at PATH consists of (whether or not they exist yet). */
    public static List<Path> files(Path path) {
        return List.of(dataFile(path), payloadFile(path), analysisFile(path));
    }

    private static String jdbcUrl(Path h2File, String options) {
        return "jdbc:h2:file:" + basePath(h2File.toAbsolutePath()) + options;
    }

    /** Deletes the capture database at PATH (all its files); the store must not be open. */
    public static void delete(Path path) throws java.io.IOException {
        for (Path f : files(path)) {
            Files.deleteIfExists(f);
        }
        // where H2 logged a failure (a write that did not fit): nothing of the capture's own
        Files.deleteIfExists(path.resolveSibling(basePath(path).getFileName() + ".trace.db"));
    }

    /** Copies the closed capture database at {@code from} to {@code to}, replacing what is there. */
    public static void copy(Path from, Path to) throws java.io.IOException {
        List<Path> src = files(from);
        List<Path> dst = files(to);
        for (int i = 0; i < src.size(); i++) {
            if (Files.exists(src.get(i))) {
                Files.copy(src.get(i), dst.get(i), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(dst.get(i));
            }
        }
    }

    public Path file() {
        return file;
    }

    /** True when its user may not write it: it can be read and analyzed, not recorded into. */
    public boolean readOnly() {
        return readOnly;
    }

    /** Keeps what an import into this capture left out and why, a sentence, for whoever opens it later. */
    public void addImportNote(String note) {
        ImportNotes.add(adminConnection, note);
    }

    /** What imports into this capture left out, oldest first (see {@link #addImportNote}). */
    public List<String> importNotes() {
        return ImportNotes.read(adminConnection);
    }

    /** The analysis file of this capture: beside it, or in {@link #readOnlyAnalysisDir()} when it is read-only. */
    public Path analysisFile() {
        return analysisFile;
    }

    /**
     * Lets this capture's analysis run at normal priority: for a process that relays nothing
     * ({@code open}, {@code export}), where yielding the CPU to a relay only slows the analysis
     * (its index writer waited behind the parser; 5 to 9% of a bulk analysis) and each lowered
     * thread costs a {@code chrt} process. Call before the first {@link #analysisStore()}; returns this store.
     */
    public CaptureStore analyzeInForeground() {
        analysisInBackground = false;
        return this;
    }

    /** Whether this capture's analysis threads yield the CPU to a relay ({@link BackgroundThreads}); true unless told otherwise. */
    public boolean analysisInBackground() {
        return analysisInBackground;
    }

    /** A fresh JDBC connection to this database, owned by the caller. */
    public Connection newConnection() {
        try {
            return DriverManager.getConnection(url, "sa", "");
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot connect to capture database " + file, e);
        }
    }

    /**
     * The analysis file's store ({@link AnalysisFiles}: shared by every CaptureStore on this PATH
     * in the JVM, opened from a background thread, emptied if it was derived from another capture).
     * The analyzer keeps its maps there; this store closes it.
     */
    public synchronized MVStore analysisStore() {
        if (analysis == null) {
            if (readOnly) {
                prepareCachedAnalysis();
            }
            analysis = AnalysisFiles.acquire(analysisFile, id(), analysisInBackground);
        }
        return analysis;
    }

    /**
     * Writes what the analysis file holds unsaved now, instead of leaving it to H2's background
     * writer: a disk too full for it is then found, and said, before the analysis is shown.
     */
    public synchronized void saveAnalysis() {
        if (analysis == null) {
            return;
        }
        try {
            analysis.commit();
        } catch (MVStoreException e) {
            throw CaptureStoreException.of("cannot write the analysis file " + analysisFile, e);
        }
    }

    /** A writer for recorded data; not thread-safe, use it from one thread. */
    public CaptureWriter newWriter() {
        if (readOnly) {
            throw new CaptureStoreException("cannot record into " + file + ": it is read-only for you", null);
        }
        return new CaptureWriter(newConnection(), payloads);
    }

    /** A reader over what is stored; not thread-safe, use it from one thread. */
    public CaptureReader newReader() {
        return new CaptureReader(newConnection(), payloads, storedPayloads);
    }

    /** Where this capture's chunk bytes are read back by position: the positions its readers hand out ({@link CaptureSink#storedChunk}). */
    public StoredPayloads payloads() {
        return storedPayloads;
    }

    /**
     * The size of the payload file as it is once this store is closed: while a recorder writes
     * into it, the file on disk may end in zeros that padded a direct write, cut off at close.
     */
    public long payloadBytes() {
        return payloads.size();
    }

    /**
     * Ends, as {@link CloseReason#UNKNOWN} at the last thing recorded on each, the connections an
     * earlier recording left open because it stopped without closing them (killed, crashed, a full
     * disk); returns how many. Call only while nothing records into this capture: before a proxy
     * starts recording, or when a capture is opened to be read. A read-only capture is left as it is.
     */
    public int closeConnectionsLeftOpen() {
        if (readOnly) {
            return 0;
        }
        try {
            return LeftOpenConnections.close(adminConnection);
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot close the connections left open in " + file, e);
        }
    }

    /** The next free connection id, for a proxy or importer appending to this database. */
    public long nextConnectionId() {
        try (Statement st = adminConnection.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM connections")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new CaptureStoreException("cannot read connection ids from " + file, e);
        }
    }

    /** How many connections from {@code firstId} on this database holds, and the bytes they carried each way. */
    public Totals totals(long firstId) {
        try (var ps = adminConnection.prepareStatement("SELECT COUNT(*), COALESCE(SUM(bytes_to_server), 0),"
                + " COALESCE(SUM(bytes_to_client), 0) FROM connections WHERE id >= ?")) {
            ps.setLong(1, firstId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot count the connections in " + file, e);
        }
    }

    /** What {@link #totals} counts. */
    public record Totals(long connections, long bytesToServer, long bytesToClient) {
    }

    /** The schema version a component last migrated to in the database of {@code c}, or 0. */
    private static int schemaVersion(Connection c, String component) {
        try (var ps = c.prepareStatement("SELECT version FROM schema_version WHERE component = ?")) {
            ps.setString(1, component);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot read a schema version", e);
        }
    }

    /** Records that a component's tables in the database of {@code c} are now at {@code version}. */
    private static void setSchemaVersion(Connection c, String component, int version) {
        try (var ps = c.prepareStatement("MERGE INTO schema_version KEY (component) VALUES (?, ?)")) {
            ps.setString(1, component);
            ps.setInt(2, version);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot write a schema version", e);
        }
    }

    /** A random id given to the capture when it was created (schema 2), which derived files refer to. */
    public String id() {
        return captureId(adminConnection, file);
    }

    private static String captureId(Connection c, Path file) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT capture_id FROM capture_info")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot read the capture id of " + file, e);
        }
    }

    private static void createSchemaVersionTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (component VARCHAR(64) PRIMARY KEY, version INT NOT NULL)");
        }
    }

    private void migrate() throws SQLException {
        createSchemaVersionTable(adminConnection);
        int version = schemaVersion(adminConnection, COMPONENT);
        if (version > SCHEMA_VERSION) {
            throw newerSchema(file, version);
        }
        if (version < 1) {
            execAll(List.of(
                    """
                    CREATE TABLE connections (
                      id BIGINT PRIMARY KEY, route VARCHAR NOT NULL, listen VARCHAR, client VARCHAR, server VARCHAR,
                      tls_mode VARCHAR(16) NOT NULL, opened_at BIGINT NOT NULL,
                      closed_at BIGINT, close_reason VARCHAR(32), close_detail VARCHAR,
                      bytes_to_server BIGINT, bytes_to_client BIGINT)""",
                    """
                    CREATE TABLE chunks (
                      connection BIGINT NOT NULL, seq BIGINT NOT NULL, direction TINYINT NOT NULL, at BIGINT NOT NULL,
                      layer TINYINT NOT NULL, stream_offset BIGINT NOT NULL, length INT NOT NULL,
                      redacted BOOLEAN NOT NULL, payload_pos BIGINT NOT NULL,
                      PRIMARY KEY (connection, seq))""",
                    "CREATE INDEX chunks_at ON chunks (at)",
                    """
                    CREATE TABLE connection_events (
                      connection BIGINT NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL, direction TINYINT,
                      kind VARCHAR(40) NOT NULL, detail VARCHAR, PRIMARY KEY (connection, seq))""",
                    "CREATE INDEX connection_events_at ON connection_events (at)"));
            setSchemaVersion(adminConnection, COMPONENT, 1);
        }
        if (version < 2) {
            // version 2 moved the analyzer's tables to their own file; here they were derived data only
            execAll(List.of("DROP TABLE IF EXISTS analysis_stanza_jids", "DROP TABLE IF EXISTS analysis_stanza_ns",
                    "DROP TABLE IF EXISTS analysis_stanza_xml", "DROP TABLE IF EXISTS analysis_stanzas",
                    "DELETE FROM schema_version WHERE component = 'analysis'",
                    "CREATE TABLE capture_info (capture_id VARCHAR(36) NOT NULL)",
                    "INSERT INTO capture_info VALUES ('" + java.util.UUID.randomUUID() + "')"));
            setSchemaVersion(adminConnection, COMPONENT, 2);
        }
        if (version < 3) {
            // version 3 packs the chunk rows of each commit into one row (ChunkBatch)
            execAll(ChunkBatchRows.CREATE);
            if (tableExists("CHUNKS")) { // else an earlier try was interrupted after packing them
                execAll(List.of("TRUNCATE TABLE chunk_batch_entries", "TRUNCATE TABLE chunk_batches"));
                packChunkRows();
                execAll(List.of("DROP TABLE chunks"));
            }
            setSchemaVersion(adminConnection, COMPONENT, 3);
        }
        if (version < SCHEMA_VERSION) {
            execAll(List.of("CHECKPOINT")); // the tables are on disk before the first byte is recorded
        }
    }

    private boolean tableExists(String name) throws SQLException {
        try (ResultSet rs = adminConnection.getMetaData().getTables(null, null, name, null)) {
            return rs.next();
        }
    }

    /** Moves the rows of the schema-2 {@code chunks} table into chunk batches, in time order. */
    private void packChunkRows() throws SQLException {
        adminConnection.setAutoCommit(false);
        try (ChunkBatchRows rows = new ChunkBatchRows(adminConnection); Statement st = adminConnection.createStatement()) {
            st.setFetchSize(1000);
            try (ResultSet rs = st.executeQuery("SELECT connection, seq, direction, at, layer, stream_offset, length, redacted,"
                    + " payload_pos FROM chunks ORDER BY at, connection, seq")) {
                ChunkBatch batch = new ChunkBatch();
                while (rs.next()) {
                    batch.add(new ChunkBatch.Entry(rs.getLong(1), rs.getLong(2), rs.getLong(4), rs.getLong(6), rs.getLong(9),
                            rs.getInt(7), Direction.ofCode(rs.getInt(3)), TlsLayer.ofCode(rs.getInt(5)), rs.getBoolean(8)));
                    if (batch.isFull()) {
                        rows.write(batch);
                    }
                }
                rows.write(batch);
            }
        } finally {
            adminConnection.setAutoCommit(true);
        }
    }

    private void execAll(List<String> statements) throws SQLException {
        try (Statement st = adminConnection.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    @Override
    public void close() {
        try (Connection admin = adminConnection) {
            try {
                payloads.close();
            } finally {
                // even when the payload file fails to close: an open database stays locked for this JVM
                synchronized (this) {
                    if (analysis != null) {
                        AnalysisFiles.release(analysisFile);
                        analysis = null;
                    }
                }
            }
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot close capture database " + file, e);
        }
    }
}
