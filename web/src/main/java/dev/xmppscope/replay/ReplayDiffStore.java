package dev.xmppscope.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.capture.CaptureStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Replay diffs kept in the capture database beside the sessions they compare (table
 * {@code REPLAY_DIFF}, one JSON document per replay), so {@code xmppscope open DB} can show them.
 */
public final class ReplayDiffStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "CREATE TABLE IF NOT EXISTS REPLAY_DIFF (ID BIGINT AUTO_INCREMENT PRIMARY KEY, DOC CLOB NOT NULL)";

    private final CaptureStore store;

    public ReplayDiffStore(CaptureStore store) {
        this.store = store;
    }

    /** Stores {@code diff}; returns it with its new id. */
    public ReplayDiff save(ReplayDiff diff) {
        if (store.readOnly()) {
            throw new IllegalStateException("cannot store the replay diff in " + store.file() + ": it is read-only for you");
        }
        try (Connection c = store.newConnection(); Statement s = c.createStatement()) {
            s.execute(TABLE);
            long id;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO REPLAY_DIFF (DOC) VALUES ('{}')", Statement.RETURN_GENERATED_KEYS)) {
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            ReplayDiff saved = diff.withId(id);
            try (PreparedStatement p = c.prepareStatement("UPDATE REPLAY_DIFF SET DOC = ? WHERE ID = ?")) {
                p.setString(1, JSON.writeValueAsString(saved));
                p.setLong(2, id);
                p.executeUpdate();
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return saved;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot store the replay diff in " + store.file() + ": " + e.getMessage(), e);
        }
    }

    /** All stored diffs, oldest first (none when the database never held a replay). */
    public List<ReplayDiff> list() {
        return query("SELECT DOC FROM REPLAY_DIFF ORDER BY ID", null);
    }

    public Optional<ReplayDiff> get(long id) {
        return query("SELECT DOC FROM REPLAY_DIFF WHERE ID = ?", id).stream().findFirst();
    }

    private List<ReplayDiff> query(String sql, Long id) {
        try (Connection c = store.newConnection()) {
            if (!hasTable(c)) {
                return List.of(); // reading creates nothing: the capture may be read-only
            }
            try (PreparedStatement p = c.prepareStatement(sql)) {
                if (id != null) {
                    p.setLong(1, id);
                }
                List<ReplayDiff> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(JSON.readValue(r.getString(1), ReplayDiff.class));
                    }
                }
                return out;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read the replay diffs of " + store.file() + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasTable(Connection c) throws SQLException {
        try (ResultSet r = c.getMetaData().getTables(null, null, "REPLAY_DIFF", null)) {
            return r.next();
        }
    }
}
