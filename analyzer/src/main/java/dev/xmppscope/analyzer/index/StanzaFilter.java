package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import java.nio.charset.StandardCharsets;
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
    /** The free text as ASCII bytes, for a search in the XML's bytes; null when it is not all ASCII. */
    private final byte[] asciiText;
    /** For free text that is not all ASCII: which XML need not be decoded to be ruled out, or null. */
    private final NonAsciiProbe probe;
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
        this.asciiText = text != null && text.chars().allMatch(c -> c < 0x80) ? text.getBytes(StandardCharsets.US_ASCII) : null;
        this.probe = text != null && asciiText == null ? NonAsciiProbe.of(text) : null;
    }

    static StanzaFilter of(StanzaQuery q, Namespaces namespaces, long visibleUntil) {
        return new StanzaFilter(q, namespaces, visibleUntil);
    }

    /** The earliest time a stanza may have to pass, or null. */
    Long fromNanos() {
        return fromNanos;
    }

    /** The time no stanza passing may reach, or null. */
    Long untilNanos() {
        return untilNanos;
    }

    /** True if the free text is searched for in the XML (the record must be decoded with it). */
    boolean needsXml() {
        return text != null;
    }

    /** Every term but the free text ({@link #textIn}): a scan asks this first, and reads the XML only for what passes. */
    boolean testAllButText(IndexedStanza s) {
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
        return true;
    }

    /**
     * Whether the free text is in {@code xml}, case aside. ASCII text (nearly any search) is
     * looked for in the bytes, ASCII letters folded; other text in the decoded, lowercased XML of
     * the stanzas its {@link NonAsciiProbe} does not rule out. Decoding and lowercasing every
     * stanza's XML was most of a search's time.
     */
    boolean textIn(byte[] xml) {
        if (xml == null) {
            return false;
        }
        if (asciiText == null) {
            return (probe == null || probe.mayMatch(xml))
                    && new String(xml, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).contains(text);
        }
        byte first = asciiText[0];
        for (int i = 0, last = xml.length - asciiText.length; i <= last; i++) {
            if (lower(xml[i]) == first && foldedAt(xml, i)) {
                return true;
            }
        }
        return false;
    }

    private boolean foldedAt(byte[] xml, int at) {
        for (int k = 1; k < asciiText.length; k++) {
            if (lower(xml[at + k]) != asciiText[k]) {
                return false;
            }
        }
        return true;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
