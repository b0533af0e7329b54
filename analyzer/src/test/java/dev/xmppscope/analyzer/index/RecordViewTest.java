package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan tests its filter on each record's bytes, undecoded: every term must answer there as it
 * does on the decoded stanza, whatever the addresses, ids and namespaces (numbered, or stored by
 * their URI once the numbers ran out).
 */
class RecordViewTest {
    private static final String[] FULL_KEYS = {"alice@a.example/phone", "alice@a.example/laptop", "alice@a.example",
        "alice@a.example.net/x", "bob@b.example", "b.example", "b.example/x", "ünï@çé.example/ré", "carol@c.example/a/b", null};
    private static final String[] JID_TERMS = {"alice@a.example", "Alice@A.example/phone", "alice@a.example/laptop",
        "b.example", "b.example/x", "ÜNÏ@çé.example", "ünï@çé.example/ré", "carol@c.example/a", "carol@c.example/a/b",
        "alice@a.example.net", "nobody@nowhere.example", " bob@b.example "};
    private static final String[] TYPES = {"chat", "get", "result", "error", "", null};
    private static final String[] IDS = {"m1", "m1 ", "ünï-1", "x\uD83D\uDE00", "purple", null};
    /** Given numbers before they run out. */
    private static final String[] NUMBERED = {"jabber:client", "urn:xmpp:receipts", "urn:xmpp:sm:3",
        "http://jabber.org/protocol/disco#info", "urn:unknown:x"};
    /** Filed after the numbers ran out: stored by their URI. */
    private static final String[] INLINE = {"urn:xmpp:ping", "urn:late:y"};
    private static final String[] NS_TERMS = {"XEP-0184", "0198", "urn:xmpp:receipts", "urn:unknown:x", "jabber:client",
        "XEP-0199", "urn:xmpp:ping", "urn:late:y", "urn:nothing", "xep-0030"};

    private final Namespaces namespaces = Namespaces.shipped();
    @TempDir
    Path tmp;
    private MVStore mv;
    private NamespaceIds nsIds;

    @BeforeEach
    void openTheAnalysisFile() {
        mv = new MVStore.Builder().fileName(tmp.resolve("analysis.mv.db").toString()).open();
        nsIds = new NamespaceIds(mv.openMap("namespaces"));
        for (String ns : NUMBERED) {
            nsIds.id(ns);
        }
        for (int i = 0; nsIds.id("urn:filler:" + i) >= 0; i++) {
            assertTrue(i < NamespaceIds.MAX_IDS, "the numbers run out");
        }
    }

    @AfterEach
    void closeIt() {
        mv.close();
    }

    @Test
    void everyTermAnswersOnTheBytesAsOnTheDecodedStanza() {
        Random random = new Random(20261207);
        RecordBytes.Writer writer = new RecordBytes.Writer();
        RecordView view = new RecordView();
        int matched = 0;
        for (int n = 0; n < 3000; n++) {
            IndexedStanza s = stanza(random);
            byte[] record = StanzaRecord.encode(s, writer, nsIds);
            for (int k = 0; k < 20; k++) {
                StanzaQuery q = query(random);
                long visibleUntil = random.nextInt(4) == 0 ? 5_000 : Long.MAX_VALUE;
                boolean expected = decodedPasses(q, StanzaRecord.decode(record, true, namespaces, nsIds), visibleUntil);
                view.read(record);
                boolean actual = StanzaFilter.of(q, namespaces, nsIds, visibleUntil).testAllButText(view);
                assertEquals(expected, actual, () -> q + " on " + s.summary() + " keys " + s.fromKey() + ", " + s.toKey());
                matched += expected ? 1 : 0;
            }
        }
        assertTrue(matched > 3000 && matched < 50_000, "the queries both match and miss: " + matched + " of 60000");
    }

    @Test
    void theXmlIsFoundWhereTheRecordSaysAfterAnyFields() {
        Random random = new Random(7);
        RecordView view = new RecordView();
        for (int n = 0; n < 500; n++) {
            IndexedStanza s = stanza(random);
            byte[] record = StanzaRecord.encode(s, new RecordBytes.Writer(), nsIds);
            view.read(record);
            assertEquals(s.pk(), view.pk());
            assertEquals(s.summary().at(), view.at());
            assertEquals(s.summary().size(), view.size());
            assertEquals(s.xmlAt(), view.xmlAt());
            assertArrayEquals(s.xmlAt() < 0 ? s.xmlUtf8() : null, view.xmlCopy());
        }
    }

    /** The terms as StanzaFilter tested them on a decoded stanza until 2026-12-07: the oracle. */
    private boolean decodedPasses(StanzaQuery q, IndexedStanza s, long visibleUntil) {
        StanzaSummary m = s.summary();
        if (m.at() > visibleUntil || (q.fromNanos() != null && m.at() < q.fromNanos())
                || (q.untilNanos() != null && m.at() >= q.untilNanos())) {
            return false;
        }
        if ((q.connection() != null && m.connection() != q.connection()) || !same(q.kind(), m.kind())
                || !same(q.type(), m.type()) || !same(q.id(), m.id())) {
            return false;
        }
        if (q.jid() != null && !q.jid().isBlank()) {
            Jid jid = Jid.parse(q.jid().trim());
            if (!(jid.bareKey().equals(s.fromBare()) || jid.bareKey().equals(s.toBare()))) {
                return false;
            }
            if (jid.hasResource() && !(jid.fullKey().equals(s.fromKey()) || jid.fullKey().equals(s.toKey()))) {
                return false;
            }
        }
        String ns = q.namespace();
        if (ns == null || ns.isBlank()) {
            return true;
        }
        String key = ns.contains(":") ? null : namespaces.indexKey(ns);
        return key != null ? namespaces.indexKeys(m.namespaces()).contains(key)
                : namespaces.resolve(ns).stream().anyMatch(m.namespaces()::contains);
    }

    private static boolean same(String term, String value) {
        return term == null || term.isBlank() || term.equals(value);
    }

    private static IndexedStanza stanza(Random r) {
        long connection = 1 + r.nextInt(4);
        int direction = r.nextInt(2);
        long pk = StanzaIndex.rowKey(connection, direction, r.nextInt(1000));
        String fromKey = pick(r, FULL_KEYS);
        String toKey = pick(r, FULL_KEYS);
        // as sent: mostly the compared form, else another spelling of it, or absent (a c2s stanza without 'from')
        String from = r.nextInt(3) > 0 || fromKey == null ? fromKey : r.nextBoolean() ? null : fromKey.toUpperCase();
        String to = r.nextInt(3) > 0 || toKey == null ? toKey : r.nextBoolean() ? null : toKey.toUpperCase();
        List<String> nss = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            nss.add(r.nextInt(3) == 0 ? pick(r, INLINE) : pick(r, NUMBERED));
        }
        Namespaces labels = Namespaces.shipped();
        byte[] xml = ("<message id='" + r.nextInt() + "'><body>ünï</body></message>").getBytes(StandardCharsets.UTF_8);
        long xmlAt = r.nextBoolean() ? -1 : r.nextInt(1 << 20);
        StanzaSummary m = new StanzaSummary(StanzaIndex.ref(pk), connection, direction == 0 ? "toServer" : "toClient",
                r.nextInt(10_000), pick(r, StanzaSummary.KINDS.toArray(String[]::new)), pick(r, TYPES), from, to, pick(r, IDS),
                nss, nss.stream().map(labels::label).toList(), r.nextBoolean() ? "chat: ünï" : null, xml.length,
                r.nextInt(1 << 20), r.nextBoolean() ? "ok" : "malformed");
        return new IndexedStanza(pk, direction, m, fromKey, toKey, bare(fromKey), bare(toKey), r.nextInt(3),
                r.nextBoolean() ? null : "cut", r.nextInt(50) - 1, xmlAt < 0 ? xml : null, xmlAt);
    }

    private static StanzaQuery query(Random r) {
        return new StanzaQuery(null, maybe(r, JID_TERMS), r.nextInt(3) == 0 ? pick(r, StanzaSummary.KINDS.toArray(String[]::new)) : null,
                maybe(r, TYPES), maybe(r, NS_TERMS), maybe(r, IDS), r.nextInt(4) == 0 ? (long) 1 + r.nextInt(4) : null,
                r.nextInt(5) == 0 ? (long) r.nextInt(10_000) : null, r.nextInt(5) == 0 ? (long) r.nextInt(10_000) : null, null, 100);
    }

    private static String maybe(Random r, String[] terms) {
        return r.nextInt(3) == 0 ? pick(r, terms) : null;
    }

    private static String pick(Random r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    private static String bare(String full) {
        return full == null ? null : full.split("/", 2)[0];
    }
}
