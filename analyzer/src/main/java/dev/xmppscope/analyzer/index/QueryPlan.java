package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link StanzaQuery} into SQL that walks one index in (at, pk) order: the JID table for a
 * JID, the namespace table for a namespace, otherwise the stanza table's own indexes; the other
 * filters apply to the rows it walks. Free text is a substring match on the XML of those rows.
 */
record QueryPlan(String sql, List<Object> params) {

    static QueryPlan of(StanzaQuery q, Namespaces namespaces, long visibleUntil, int limit) {
        List<Object> p = new ArrayList<>();
        StringBuilder from = new StringBuilder();
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        String order;
        String driver;
        if (blank(q.id()) && !blank(q.jid())) {
            driver = "j";
            from.append(" FROM analysis_stanza_jids j JOIN analysis_stanzas s ON s.pk = j.pk");
            Jid jid = Jid.parse(q.jid().trim());
            where.append(" AND j.jid = ?");
            p.add(jid.bareKey());
            if (jid.hasResource()) {
                where.append(" AND (s.from_key = ? OR s.to_key = ?)");
                p.add(jid.fullKey());
                p.add(jid.fullKey());
            }
        } else if (blank(q.id()) && !blank(q.namespace()) && namespaces.indexKey(q.namespace()) != null) {
            driver = "n";
            from.append(" FROM analysis_stanza_ns n JOIN analysis_stanzas s ON s.pk = n.pk");
            where.append(" AND n.ns = ?");
            p.add(namespaces.indexKey(q.namespace()));
        } else {
            driver = "s";
            from.append(" FROM analysis_stanzas s");
        }
        // H2 walks an index in order (and stops at the LIMIT) only when ORDER BY names its
        // equality-bound leading column too
        String lead = switch (driver) {
            case "j" -> "j.jid, ";
            case "n" -> "n.ns, ";
            default -> q.connection() != null ? "s.connection, " : !blank(q.kind()) ? "s.kind, " : "";
        };
        order = " ORDER BY " + lead + driver + ".at, " + driver + ".pk";
        where.append(" AND ").append(driver).append(".at <= ?");
        p.add(visibleUntil);
        if (q.fromNanos() != null) {
            where.append(" AND ").append(driver).append(".at >= ?");
            p.add(q.fromNanos());
        }
        if (q.untilNanos() != null) {
            where.append(" AND ").append(driver).append(".at < ?");
            p.add(q.untilNanos());
        }
        if (!blank(q.cursor())) {
            String[] c = q.cursor().split(":");
            if (c.length != 2) {
                throw new IllegalArgumentException("bad cursor '" + q.cursor() + "': pass the 'next' of the previous page");
            }
            long at = Long.parseLong(c[0]);
            long pk = Long.parseLong(c[1]);
            where.append(" AND ").append(driver).append(".at >= ? AND (").append(driver).append(".at > ? OR ")
                    .append(driver).append(".pk > ?)");
            p.add(at);
            p.add(at);
            p.add(pk);
        }
        if (!blank(q.id())) {
            where.append(" AND s.xmpp_id = ?");
            p.add(q.id());
            if (!blank(q.jid())) {
                where.append(" AND (s.from_bare = ? OR s.to_bare = ?)");
                String bare = Jid.parse(q.jid().trim()).bareKey();
                p.add(bare);
                p.add(bare);
            }
        }
        boolean exactNamespace = !blank(q.namespace()) && q.namespace().contains(":");
        if (!blank(q.namespace()) && (!driver.equals("n") || exactNamespace)) {
            List<String> nss = namespaces.resolve(q.namespace());
            where.append(" AND (");
            for (int i = 0; i < nss.size(); i++) {
                where.append(i == 0 ? "" : " OR ").append("(' ' || s.namespaces || ' ') LIKE ?");
                p.add("% " + nss.get(i) + " %");
            }
            where.append(")");
        }
        if (q.connection() != null) {
            where.append(" AND s.connection = ?");
            p.add(q.connection());
        }
        if (!blank(q.kind())) {
            where.append(" AND s.kind = ?");
            p.add(q.kind());
        }
        if (!blank(q.type())) {
            where.append(" AND s.type = ?");
            p.add(q.type());
        }
        if (!blank(q.text())) {
            from.append(" JOIN analysis_stanza_xml x ON x.pk = s.pk");
            where.append(" AND x.xml ILIKE ? ESCAPE '\\'");
            p.add("%" + q.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        String sql = "SELECT " + "s.pk, s.ref, s.connection, s.direction, s.idx, " + driver + ".at, s.kind, s.type, s.from_jid,"
                + " s.to_jid, s.xmpp_id, s.namespaces, s.summary, s.size, s.stream_offset, s.parse_status"
                + from + where + order + " LIMIT " + (limit + 1);
        return new QueryPlan(sql, p);
    }

    void bind(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
