package dev.xmppscope.analyzer.index;

import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The stored form of an {@link IndexedStanza}: one compact byte array (varints, length-prefixed
 * UTF-8), the XML last so that a scan that does not need it stops before it. The ref is not
 * stored: it follows from the row key.
 */
final class StanzaRecord {
    private static final int NULL = 0;

    private StanzaRecord() {
    }

    /** Encodes {@code s}; {@code buf} is reused between calls by one thread. */
    static byte[] encode(IndexedStanza s, Buffer buf) {
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
        buf.string(String.join(" ", m.namespaces()));
        buf.string(m.summary());
        buf.varLong(m.size());
        buf.varLong(m.offset());
        buf.varLong(s.layer());
        buf.string(m.parseStatus());
        buf.string(s.error());
        buf.string(s.xml());
        return buf.toArray();
    }

    /** Decodes a record; the XML only if {@code withXml} (it is most of the bytes). */
    static IndexedStanza decode(byte[] b, boolean withXml, Namespaces namespaces) {
        Reader r = new Reader(b);
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
        String xml = withXml ? r.string() : null;
        String ref = connection + (direction == 0 ? "-s-" : "-c-") + (pk & 0xFFFFFFFFL);
        StanzaSummary m = new StanzaSummary(ref, connection, direction == 0 ? "toServer" : "toClient", at, kind, type,
                from, to, id, nss, labels, summary, size, offset, parseStatus);
        return new IndexedStanza(pk, direction, m, fromKey, toKey, fromBare, toBare, layer, error, xml);
    }

    /** A growable output buffer, reused for every record one writer encodes. */
    static final class Buffer {
        private byte[] bytes = new byte[1024];
        private int len;

        void reset() {
            len = 0;
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, len);
        }

        private void ensure(int more) {
            if (len + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, len + more));
            }
        }

        void varLong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                bytes[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[len++] = (byte) v;
        }

        /** Length + 1 as a varint (0 is null), then UTF-8. */
        void string(String s) {
            if (s == null) {
                varLong(NULL);
                return;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varLong(utf8.length + 1L);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, len, utf8.length);
            len += utf8.length;
        }
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        long varLong() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
                shift += 7;
            }
        }

        String string() {
            int n = (int) varLong();
            if (n == NULL) {
                return null;
            }
            String s = new String(b, pos, n - 1, StandardCharsets.UTF_8);
            pos += n - 1;
            return s;
        }
    }
}
