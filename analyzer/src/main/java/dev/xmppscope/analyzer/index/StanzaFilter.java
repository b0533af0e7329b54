package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import java.util.List;
import java.util.Locale;

/**
 * A {@link StanzaQuery} as a test on stored stanzas. A JID matches either address (bare: every
 * resource; full: that resource); a namespace term matches by spec ("XEP-0198" or any of its
 * namespaces) unless it is an exact namespace URI; free text is a case-insensitive substring of
 * the XML.
 */
final class StanzaFilter {
    private final long visibleUntil;
    private final Long fromNanos;
    private final Long untilNanos;
    private final Long connection;
    private final String kind;
    private final String type;
    private final String id;
    private final String jidBare;
    private final String jidFull;
    private final String nsKey;
    private final List<String> nsExact;
    private final String text;
    private final Namespaces namespaces;

    private StanzaFilter(StanzaQuery q, Namespaces namespaces, long visibleUntil) {
        this.namespaces = namespaces;
        this.visibleUntil = visibleUntil;
        this.fromNanos = q.fromNanos();
        this.untilNanos = q.untilNanos();
        this.connection = q.connection();
        this.kind = blankToNull(q.kind());
        this.type = blankToNull(q.type());
        this.id = blankToNull(q.id());
        if (blankToNull(q.jid()) != null) {
            Jid jid = Jid.parse(q.jid().trim());
            jidBare = jid.bareKey();
            jidFull = jid.hasResource() ? jid.fullKey() : null;
        } else {
            jidBare = null;
            jidFull = null;
        }
        String ns = blankToNull(q.namespace());
        boolean exact = ns != null && ns.contains(":");
        this.nsKey = ns == null || exact ? null : namespaces.indexKey(ns);
        this.nsExact = ns == null || nsKey != null ? null : namespaces.resolve(ns);
        this.text = blankToNull(q.text()) == null ? null : q.text().toLowerCase(Locale.ROOT);
    }

    static StanzaFilter of(StanzaQuery q, Namespaces namespaces, long visibleUntil) {
        return new StanzaFilter(q, namespaces, visibleUntil);
    }

    /** True if {@link #test} reads the XML (the record must be decoded with it). */
    /** The earliest time a stanza may have to pass, or null. */
    Long fromNanos() {
        return fromNanos;
    }

    /** The time no stanza passing may reach, or null. */
    Long untilNanos() {
        return untilNanos;
    }

    boolean needsXml() {
        return text != null;
    }

    boolean test(IndexedStanza s) {
        StanzaSummary m = s.summary();
        if (m.at() > visibleUntil || (fromNanos != null && m.at() < fromNanos) || (untilNanos != null && m.at() >= untilNanos)) {
            return false;
        }
        if ((connection != null && m.connection() != connection) || (kind != null && !kind.equals(m.kind()))
                || (type != null && !type.equals(m.type())) || (id != null && !id.equals(m.id()))) {
            return false;
        }
        if (jidBare != null && !(jidBare.equals(s.fromBare()) || jidBare.equals(s.toBare()))) {
            return false;
        }
        if (jidFull != null && !(jidFull.equals(s.fromKey()) || jidFull.equals(s.toKey()))) {
            return false;
        }
        if (nsKey != null && !namespaces.indexKeys(m.namespaces()).contains(nsKey)) {
            return false;
        }
        if (nsExact != null && nsExact.stream().noneMatch(m.namespaces()::contains)) {
            return false;
        }
        return text == null || (s.xml() != null && s.xml().toLowerCase(Locale.ROOT).contains(text));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
