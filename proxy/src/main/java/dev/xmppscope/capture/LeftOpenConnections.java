package dev.xmppscope.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ends the connections a recording left open when it stopped without closing them: a proxy
 * killed ({@code kill -9}), crashed, or cut off by a full disk writes no close record, and without
 * one those connections read as still open (established, in the UI and in {@code show}) for good.
 * Each is closed as {@link CloseReason#UNKNOWN} at the last thing recorded on it, with the bytes
 * its recorded chunks carried.
 */
final class LeftOpenConnections {
    static final String DETAIL = "the recording stopped before this connection was seen to close"
            + " (the proxy was killed or crashed, or could not write to its disk)";

    private LeftOpenConnections() {
    }

    /** What is known of one: when it was last seen, and the bytes recorded each way. */
    private static final class Seen {
        long lastAt;
        long toServer;
        long toClient;

        Seen(long openedAt) {
            lastAt = openedAt;
        }
    }

    /**
     * Closes them in {@code db}, which no recorder may be writing to; returns how many. Reads the
     * chunk index only when there are some.
     */
    static int close(Connection db) throws SQLException {
        Map<Long, Seen> open = new LinkedHashMap<>();
        try (Statement st = db.createStatement();
             // a pcap's connections open at the capture's end are as it saw them: no recording of ours stopped there
             ResultSet rs = st.executeQuery("SELECT id, opened_at FROM connections WHERE closed_at IS NULL AND route NOT LIKE 'pcap:%'")) {
            while (rs.next()) {
                open.put(rs.getLong(1), new Seen(rs.getLong(2)));
            }
        }
        if (open.isEmpty()) {
            return 0;
        }
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT entries FROM chunk_batch_entries")) {
            st.setFetchSize(100);
            while (rs.next()) {
                ChunkBatch.decode(rs.getBytes(1), e -> {
                    Seen s = open.get(e.connection());
                    if (s != null) {
                        s.lastAt = Math.max(s.lastAt, e.atNanos());
                        if (e.direction() == Direction.TO_SERVER) {
                            s.toServer += e.length();
                        } else {
                            s.toClient += e.length();
                        }
                    }
                });
            }
        }
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT connection, MAX(at) FROM connection_events WHERE connection IN (SELECT id FROM connections"
                        + " WHERE closed_at IS NULL) GROUP BY connection")) {
            while (rs.next()) {
                Seen s = open.get(rs.getLong(1));
                if (s != null) {
                    s.lastAt = Math.max(s.lastAt, rs.getLong(2));
                }
            }
        }
        try (PreparedStatement ps = db.prepareStatement("UPDATE connections SET closed_at = ?, close_reason = ?,"
                + " close_detail = ?, bytes_to_server = ?, bytes_to_client = ? WHERE id = ? AND closed_at IS NULL")) {
            for (Map.Entry<Long, Seen> e : open.entrySet()) {
                ps.setLong(1, e.getValue().lastAt);
                ps.setString(2, CloseReason.UNKNOWN.name());
                ps.setString(3, DETAIL);
                ps.setLong(4, e.getValue().toServer);
                ps.setLong(5, e.getValue().toClient);
                ps.setLong(6, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return open.size();
    }
}
