package dev.xmppscope.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What imports into a capture database left out and why, a sentence each (a pcap's TCP
 * connections that carry no XMPP, frames of a link type not read), kept with the capture so
 * that whoever opens it later reads them too, not only the console of the import. A table of its
 * own, made by the first note: a database without one has none, and an xmppscope from before
 * the notes opens one that has it as before.
 */
final class ImportNotes {
    private ImportNotes() {
    }

    static void add(Connection c, String note) {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS import_notes (id BIGINT AUTO_INCREMENT PRIMARY KEY, note VARCHAR NOT NULL)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO import_notes (note) VALUES (?)")) {
                ps.setString(1, note);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot keep what the import left out", e);
        }
    }

    static List<String> read(Connection c) {
        List<String> notes = new ArrayList<>();
        try (ResultSet tables = c.getMetaData().getTables(null, null, "IMPORT_NOTES", null)) {
            if (!tables.next()) {
                return notes;
            }
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot read what imports left out", e);
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT note FROM import_notes ORDER BY id")) {
            while (rs.next()) {
                notes.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot read what imports left out", e);
        }
        return notes;
    }
}
