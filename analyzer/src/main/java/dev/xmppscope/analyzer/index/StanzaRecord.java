package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The stored form of an {@link IndexedStanza}: one compact byte array ({@link RecordBytes}), the
 * XML last so that a scan that does not need it stops before it: where it is in the capture's
 * payload file when that is known (nearly always), else a copy. The ref is not stored: it follows
 * from the row key; nor are the bare addresses, which follow from the full ones; the namespaces
 * are stored by their numbers ({@link NamespaceIds}). Every byte left out is one the index
 * writer and every scan of the timeline do not have to handle.
 */
final class StanzaRecord {
    static final int FROM_KEY_IS_FROM = 1;
    static final int TO_KEY_IS_TO = 2;

    private StanzaRecord() {
    }

    /** Encodes {@code s}, its namespaces by their numbers; {@code buf} is reused between calls by one thread. */
    static byte[] encode(IndexedStanza s, RecordBytes.Writer buf, NamespaceIds nsIds) {
        StanzaSummary m = s.summary();
        buf.reset();
        buf.varLong(s.pk());
        buf.varLong(m.at());
        buf.string(m.kind());
        buf.string(m.type());
        buf.string(m.from());
        buf.string(m.to());
        buf.string(m.id());
        // the effective addresses are mostly the attributes as sent: a flag each says so instead
        int same = (Objects.equals(s.fromKey(), m.from()) ? FROM_KEY_IS_FROM : 0)
                | (Objects.equals(s.toKey(), m.to()) ? TO_KEY_IS_TO : 0);
        buf.varLong(same);
        if ((same & FROM_KEY_IS_FROM) == 0) {
            buf.string(s.fromKey());
        }
        if ((same & TO_KEY_IS_TO) == 0) {
            buf.string(s.toKey());
        }
        buf.varLong(m.namespaces().size());
        for (String ns : m.namespaces()) {
            int id = nsIds.id(ns);
            if (id >= 0) {
                buf.varLong(id + 1L);
            } else {
                buf.varLong(0); // no numbers left: the URI itself follows
                buf.string(ns);
            }
        }
        buf.string(m.summary());
        buf.varLong(m.size());
        buf.varLong(m.offset());
        buf.varLong(s.layer());
        buf.string(m.parseStatus());
        buf.string(s.error());
        buf.varLong(s.routeFirst() + 1);
        buf.varLong(s.xmlAt() + 1);
        if (s.xmlAt() < 0) {
            buf.bytes(s.xmlUtf8());
        }
        return buf.toArray();
    }

    /** The row key of the stanza a record holds, read without decoding the rest. */
    static long pk(byte[] b) {
        return new RecordBytes.Reader(b).varLong();
    }

    /** The time of the stanza a record holds, read without decoding the rest. */
    static long at(byte[] b) {
        RecordBytes.Reader r = new RecordBytes.Reader(b);
        r.varLong(); // its row key
        return r.varLong();
    }

    /**
     * Decodes a record; its XML copy only if {@code withXml} (it is most of the bytes). XML that is
     * in the payload file is not read here: see {@code xmlAt}.
     */
    static IndexedStanza decode(byte[] b, boolean withXml, Namespaces namespaces, NamespaceIds nsIds) {
        RecordBytes.Reader r = new RecordBytes.Reader(b);
        long pk = r.varLong();
        long connection = pk >>> 33;
        int direction = (int) ((pk >>> 32) & 1);
        long at = r.varLong();
        String kind = r.string();
        String type = r.string();
        String from = r.string();
        String to = r.string();
        String id = r.string();
        int same = (int) r.varLong();
        String fromKey = (same & FROM_KEY_IS_FROM) != 0 ? from : r.string();
        String toKey = (same & TO_KEY_IS_TO) != 0 ? to : r.string();
        int nsCount = (int) r.varLong();
        List<String> nss = new ArrayList<>(nsCount);
        List<String> labels = new ArrayList<>(nsCount);
        for (int i = 0; i < nsCount; i++) {
            int number = (int) r.varLong();
            String ns = number == 0 ? r.string() : nsIds.uri(number - 1);
            nss.add(ns);
            labels.add(namespaces.label(ns));
        }
        String summary = r.string();
        int size = (int) r.varLong();
        long offset = r.varLong();
        int layer = (int) r.varLong();
        String parseStatus = r.string();
        String error = r.string();
        long routeFirst = r.varLong() - 1;
        long xmlAt = r.varLong() - 1;
        byte[] xml = withXml && xmlAt < 0 ? r.bytes() : null;
        String ref = StanzaIndex.ref(connection, direction, pk & 0xFFFFFFFFL);
        StanzaSummary m = new StanzaSummary(ref, connection, direction == 0 ? "toServer" : "toClient", at, kind, type,
                from, to, id, nss, labels, summary, size, offset, parseStatus);
        return new IndexedStanza(pk, direction, m, fromKey, toKey, bare(fromKey), bare(toKey), layer, error, routeFirst,
                xml, xmlAt);
    }

    /** The bare form of a full JID key: the part before the resource (neither local part nor domain holds a '/'). */
    private static String bare(String fullKey) {
        int slash = fullKey == null ? -1 : fullKey.indexOf('/');
        return slash < 0 ? fullKey : fullKey.substring(0, slash);
    }
}
