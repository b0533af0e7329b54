package dev.xmppscope.analyzer.index;

import java.util.PrimitiveIterator;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/** The timeline's records a scan reads, one at a time: its sequence number and stored bytes. */
interface Records {
    /** Moves to the next record; false when there is none. */
    boolean next();

    long seq();

    byte[] record();

    /** {@code first}'s records, then {@code second}'s. */
    static Records then(Records first, Records second) {
        return new Records() {
            private Records current = first;

            @Override
            public boolean next() {
                if (current.next()) {
                    return true;
                }
                if (current == second) {
                    return false;
                }
                current = second;
                return second.next();
            }

            @Override
            public long seq() {
                return current.seq();
            }

            @Override
            public byte[] record() {
                return current.record();
            }
        };
    }

    /** The timeline in key order (or against it), as an MVMap cursor walks it. */
    final class Scan implements Records {
        private final Cursor<Long, byte[]> cursor;
        private long seq;

        Scan(Cursor<Long, byte[]> cursor) {
            this.cursor = cursor;
        }

        @Override
        public boolean next() {
            if (!cursor.hasNext()) {
                return false;
            }
            seq = cursor.next();
            return true;
        }

        @Override
        public long seq() {
            return seq;
        }

        @Override
        public byte[] record() {
            return cursor.getValue();
        }
    }

    /** The records of the sequence numbers given, looked up one by one. */
    final class Listed implements Records {
        private final PrimitiveIterator.OfLong seqs;
        private final MVMap<Long, byte[]> timeline;
        private long seq;
        private byte[] record;

        Listed(PrimitiveIterator.OfLong seqs, MVMap<Long, byte[]> timeline) {
            this.seqs = seqs;
            this.timeline = timeline;
        }

        @Override
        public boolean next() {
            while (seqs.hasNext()) {
                seq = seqs.nextLong();
                record = timeline.get(seq);
                if (record != null) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public long seq() {
            return seq;
        }

        @Override
        public byte[] record() {
            return record;
        }
    }
}
