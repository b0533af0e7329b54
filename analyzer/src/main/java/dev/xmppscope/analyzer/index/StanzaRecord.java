package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The stored form of an {@link IndexedStanza}: one compact byte array ({@link RecordBytes}), the
 * XML last so that a scan that does not need it stops before it. The ref is not stored: it
 * follows from the row key.
 */
final class StanzaRecord {
    private StanzaRecord() {
    }

    /** Encodes {@code s}; {@code buf} is reused between calls by one thread. */
    static byte[] encode(IndexedStanza s, RecordBytes.Writer buf) {
        StanzaSummary m = s.summary();
        buf.reset();
        buf.varLong(s.pk());
        buf.varLong(m.at());
        buf.string(m.kind());
        buf.string(m.type());
        buf.string(m.from());
        buf.string(m.to());
        buf.string(m.id());
        buf.string(s.fromKey());
        buf.string(s.toKey());
        buf.string(s.fromBare());
        buf.string(s.toBare());
        buf.joined(m.namespaces(), ' ');
        buf.string(m.summary());
        buf.varLong(m.size());
        buf.varLong(m.offset());
        buf.varLong(s.layer());
        buf.string(m.parseStatus());
        buf.string(s.error());
        buf.varLong(s.routeFirst() + 1);
        buf.bytes(s.xmlUtf8());
        return buf.toArray();
    }

    /** Decodes a record; the XML only if {@code withXml} (it is most of the bytes). */
    static IndexedStanza decode(byte[] b, boolean withXml, Namespaces namespaces) {
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
        String fromKey = r.string();
        String toKey = r.string();
        String fromBare = r.string();
        String toBare = r.string();
        String nsText = r.string();
        List<String> nss = nsText == null || nsText.isEmpty() ? List.of() : Arrays.asList(nsText.split(" "));
        List<String> labels = new ArrayList<>(nss.size());
        for (String ns : nss) {
            labels.add(namespaces.label(ns));
        }
        String summary = r.string();
        int size = (int) r.varLong();
        long offset = r.varLong();
        int layer = (int) r.varLong();
        String parseStatus = r.string();
        String error = r.string();
        long routeFirst = r.varLong() - 1;
        byte[] xml = withXml ? r.bytes() : null;
        String ref = StanzaIndex.ref(connection, direction, pk & 0xFFFFFFFFL);
        StanzaSummary m = new StanzaSummary(ref, connection, direction == 0 ? "toServer" : "toClient", at, kind, type,
                from, to, id, nss, labels, summary, size, offset, parseStatus);
        return new IndexedStanza(pk, direction, m, fromKey, toKey, fromBare, toBare, layer, error, routeFirst, xml);
    }
}
