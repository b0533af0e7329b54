package dev.xmppscope.analyzer.index;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The encoding of the analysis maps' values: varints and length-prefixed UTF-8 (length + 1; 0 is null). */
final class RecordBytes {
    private static final int NULL = 0;
    /** What {@link Reader#skip()} gives for null. */
    static final long ABSENT = -1;

    private RecordBytes() {
    }

    /** Where a string {@link Reader#skip() passed over} starts in its record. */
    static int start(long skipped) {
        return (int) (skipped >>> 32);
    }

    /** The length in bytes of a string {@link Reader#skip() passed over}. */
    static int length(long skipped) {
        return (int) skipped;
    }

    /** A growable output buffer, reset and reused for every record by one thread. */
    static final class Writer {
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

        /** A nullable long: 0 for null, else the value + 1 (values are never negative here). */
        void optionalLong(Long v) {
            varLong(v == null ? 0 : v + 1);
        }

        /**
         * A nullable string as UTF-8. ASCII (kinds, JIDs, namespaces, most ids) is copied straight
         * into the buffer, checked while copied: encoding through a temporary array per field was a
         * tenth of all the memory an analysis allocated, and checking before copying took a second
         * pass over every string.
         */
        void string(String s) {
            if (s == null) {
                varLong(NULL);
                return;
            }
            int start = len;
            varLong(s.length() + 1L);
            if (!ascii(s)) {
                len = start;
                bytes(s.getBytes(StandardCharsets.UTF_8));
            }
        }

        /** Appends {@code s} one byte per character; false (and {@code len} unchanged) unless all are ASCII. */
        private boolean ascii(String s) {
            int n = s.length();
            ensure(n);
            byte[] b = bytes;
            int at = len;
            int seen = 0;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                seen |= c;
                b[at + i] = (byte) c;
            }
            if (seen >= 0x80) {
                return false;
            }
            len = at + n;
            return true;
        }

        /** Nullable bytes, stored like a string (length + 1; 0 is null). */
        void bytes(byte[] utf8) {
            if (utf8 == null) {
                varLong(NULL);
                return;
            }
            varLong(utf8.length + 1L);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, len, utf8.length);
            len += utf8.length;
        }
    }

    static final class Reader {
        private byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        /** Reads {@code record} from its start, as a new reader would (one reader can serve a whole scan). */
        void reset(byte[] record) {
            b = record;
            pos = 0;
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

        Long optionalLong() {
            long v = varLong();
            return v == 0 ? null : v - 1;
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

        byte[] bytes() {
            int n = (int) varLong();
            if (n == NULL) {
                return null;
            }
            pos += n - 1;
            return Arrays.copyOfRange(b, pos - (n - 1), pos);
        }

        /**
         * Passes over a string (or bytes) without decoding it: where it is, as
         * {@code start << 32 | length} ({@link #start}, {@link #length}), or {@link #ABSENT} for null.
         */
        long skip() {
            int n = (int) varLong();
            if (n == NULL) {
                return ABSENT;
            }
            pos += n - 1;
            return (long) (pos - (n - 1)) << 32 | (n - 1);
        }

        int position() {
            return pos;
        }

        void position(int at) {
            pos = at;
        }
    }
}
