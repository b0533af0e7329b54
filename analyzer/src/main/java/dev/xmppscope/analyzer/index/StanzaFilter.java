package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import dev.xmppscope.capture.ByteSearch;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * A {@link StanzaQuery} as a test on stored stanzas. A JID matches either address (bare: every
 * resource; full: that resource); a namespace term matches by spec ("XEP-0198" or any of its
 * namespaces) unless it is an exact namespace URI; free text is a case-insensitive substring of
 * the XML. The terms but the free text are tested on a record's bytes ({@link RecordView}), so
 * their strings are held as UTF-8.
 */
final class StanzaFilter {
    private final long visibleUntil;
    private final Long fromNanos;
    private final Long untilNanos;
    private final Long connection;
    private final byte[] kind;
    private final byte[] type;
    private final byte[] id;
    private final byte[] jidBare;
    private final byte[] jidFull;
    /** A term no stored string can equal (not well-formed UTF-16, a bare JID with a '/'): nothing matches. */
    private final boolean unmatchable;
    private final String nsKey;
    private final List<String> nsExact;
    private final NamespaceIds nsIds;
    /** Per namespace number: 0 not asked yet, 1 matches the namespace term, 2 does not. */
    private byte[] nsVerdicts = new byte[64];
    private final IntPredicate numberedNamespace = this::numberedNamespaceMatches;
    private final Predicate<String> namedNamespace = this::namespaceMatches;
    private final String text;
    /** The free text as ASCII bytes, for a search in the XML's bytes; null when it is not all ASCII. */
    private final byte[] asciiText;
    /** For free text that is not all ASCII: which XML need not be decoded to be ruled out, or null. */
    private final NonAsciiProbe probe;
    /**
     * ASCII free text with a k or an i, which two characters beyond ASCII lowercase into
     * ({@link AsciiFolding}): XML holding one is searched decoded and lowercased too.
     */
    private final boolean foldedIntoFromBeyondAscii;
    private final Namespaces namespaces;

    private StanzaFilter(StanzaQuery q, Namespaces namespaces, NamespaceIds nsIds, long visibleUntil) {
        this.namespaces = namespaces;
        this.nsIds = nsIds;
        this.visibleUntil = visibleUntil;
        this.fromNanos = q.fromNanos();
        this.untilNanos = q.untilNanos();
        this.connection = q.connection();
        String bare = null;
        String full = null;
        if (blankToNull(q.jid()) != null) {
            Jid jid = Jid.parse(q.jid().trim());
            bare = jid.bareKey();
            full = jid.hasResource() ? jid.fullKey() : null;
        }
        String[] terms = {blankToNull(q.kind()), blankToNull(q.type()), blankToNull(q.id()), bare, full};
        byte[][] utf8 = new byte[terms.length][];
        boolean unmatchable = bare != null && bare.indexOf('/') >= 0; // a stored bare address never has one
        for (int i = 0; i < terms.length; i++) {
            utf8[i] = terms[i] == null ? null : strictUtf8(terms[i]);
            unmatchable |= terms[i] != null && utf8[i] == null;
        }
        this.kind = utf8[0];
        this.type = utf8[1];
        this.id = utf8[2];
        this.jidBare = utf8[3];
        this.jidFull = utf8[4];
        this.unmatchable = unmatchable;
        String ns = blankToNull(q.namespace());
        boolean exact = ns != null && ns.contains(":");
        this.nsKey = ns == null || exact ? null : namespaces.indexKey(ns);
        this.nsExact = ns == null || nsKey != null ? null : namespaces.resolve(ns);
        this.text = blankToNull(q.text()) == null ? null : q.text().toLowerCase(Locale.ROOT);
        this.asciiText = text != null && text.chars().allMatch(c -> c < 0x80) ? text.getBytes(StandardCharsets.US_ASCII) : null;
        this.probe = text != null && asciiText == null ? NonAsciiProbe.of(text) : null;
        this.foldedIntoFromBeyondAscii = asciiText != null && (text.indexOf('k') >= 0 || text.indexOf('i') >= 0);
    }

    /** {@code nsIds} turns the namespace numbers of stored records into namespaces. */
    static StanzaFilter of(StanzaQuery q, Namespaces namespaces, NamespaceIds nsIds, long visibleUntil) {
        return new StanzaFilter(q, namespaces, nsIds, visibleUntil);
    }

    /** The earliest time a stanza may have to pass, or null. */
    Long fromNanos() {
        return fromNanos;
    }

    /**
     * What a block's summaries ({@link BlockSummaries}) must show for a stanza in it to pass: each
     * of the kind, type, id and JID (bare, and full when it has a resource) asked for, a namespace
     * that passes the namespace term, and the free text's trigrams. Null when the query asks none
     * of them: no block can be passed by. For the one scan (one thread) of this filter.
     */
    BlockSummaries.Test blockTest() {
        byte[][] terms = {kind, type, id, jidBare, jidFull};
        byte[] tags = {BlockSummaries.KIND, BlockSummaries.TYPE, BlockSummaries.ID, BlockSummaries.BARE_ADDRESS,
            BlockSummaries.FULL_ADDRESS};
        long[] hashes = new long[terms.length];
        int n = 0;
        for (int i = 0; i < terms.length; i++) {
            if (terms[i] != null) {
                hashes[n++] = BlockSummaries.hash(tags[i], terms[i], 0, terms[i].length);
            }
        }
        long[] all = Arrays.copyOf(hashes, n);
        boolean namespace = nsKey != null || nsExact != null;
        int[][][] trigrams = text == null ? new int[0][][] : TextSummary.required(text);
        if (n == 0 && !namespace && trigrams.length == 0) {
            return null;
        }
        return (block, xml) -> (block == null || (block.mayHoldAll(all) && (!namespace || block.mayHoldNamespace(numberedNamespace))))
                && (xml == null || xml.mayHold(trigrams));
    }

    /**
     * Whether free text is the only term that reads a record (time aside): then every record's
     * XML is read, and a scan that reads a block whole may summarize its text too.
     */
    boolean textIsTheOnlyTerm() {
        return text != null && connection == null && kind == null && type == null && id == null && jidBare == null
                && jidFull == null && nsKey == null && nsExact == null;
    }

    /** The only connection a stanza passing may be on, or null. */
    Long connection() {
        return connection;
    }

    /** The time no stanza passing may reach, or null. */
    Long untilNanos() {
        return untilNanos;
    }

    /** True if the free text is searched for in the XML (the record must be decoded with it). */
    boolean needsXml() {
        return text != null;
    }

    /**
     * Every term but the free text ({@link #textIn}), on a stored record: a scan asks this first,
     * decodes only what passes, and reads the XML only for that.
     */
    boolean testAllButText(RecordView r) {
        long at = r.at();
        if (unmatchable || at > visibleUntil || (fromNanos != null && at < fromNanos) || (untilNanos != null && at >= untilNanos)) {
            return false;
        }
        if ((connection != null && r.connection() != connection) || (kind != null && !r.kindIs(kind))
                || (type != null && !r.typeIs(type)) || (id != null && !r.idIs(id))) {
            return false;
        }
        if ((jidBare != null && !r.eitherBareAddressIs(jidBare)) || (jidFull != null && !r.eitherAddressIs(jidFull))) {
            return false;
        }
        return (nsKey == null && nsExact == null) || r.anyNamespace(numberedNamespace, namedNamespace);
    }

    /** {@link #namespaceMatches} for the namespace filed under {@code number}, asked once per number. */
    private boolean numberedNamespaceMatches(int number) {
        if (number >= nsVerdicts.length) {
            nsVerdicts = Arrays.copyOf(nsVerdicts, Math.max(number + 1, nsVerdicts.length * 2));
        }
        if (nsVerdicts[number] == 0) {
            nsVerdicts[number] = namespaceMatches(nsIds.uri(number)) ? (byte) 1 : (byte) 2;
        }
        return nsVerdicts[number] == 1;
    }

    /** Whether an element using {@code ns} passes the namespace term: filed under its spec, or the exact URI. */
    private boolean namespaceMatches(String ns) {
        return nsKey != null ? namespaces.indexKeys(List.of(ns)).contains(nsKey) : nsExact.contains(ns);
    }

    /** {@code s} as UTF-8, or null when it is not well-formed UTF-16 (a lone surrogate, which no stored string holds). */
    private static byte[] strictUtf8(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(s));
            return Arrays.copyOf(b.array(), b.limit());
        } catch (CharacterCodingException e) {
            return null;
        }
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
            return (probe == null || probe.mayMatch(xml)) && inLowercased(xml);
        }
        return asciiIn(xml) || (foldedIntoFromBeyondAscii && AsciiFolding.holdsOneIntoAscii(xml, 0, xml.length) && inLowercased(xml));
    }

    private boolean inLowercased(byte[] xml) {
        return new String(xml, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).contains(text);
    }

    /** The ASCII free text in {@code xml}'s bytes, ASCII letters folded. */
    private boolean asciiIn(byte[] xml) {
        // the first byte in either case, eight bytes at a time (a text search that matches little reads every byte)
        byte first = asciiText[0];
        byte firstUpper = first >= 'a' && first <= 'z' ? (byte) (first - ('a' - 'A')) : first;
        int end = xml.length - asciiText.length + 1;
        for (int i = ByteSearch.indexOfEither(xml, first, firstUpper, 0, end); i >= 0;
             i = ByteSearch.indexOfEither(xml, first, firstUpper, i + 1, end)) {
            if (foldedAt(xml, i)) {
                return true;
            }
        }
        return false;
    }

    private boolean foldedAt(byte[] xml, int at) {
        for (int k = 1; k < asciiText.length; k++) {
            if (AsciiFolding.lower(xml[at + k]) != asciiText[k]) {
                return false;
            }
        }
        return true;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
