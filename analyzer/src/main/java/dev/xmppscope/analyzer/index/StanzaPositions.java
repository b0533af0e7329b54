package dev.xmppscope.analyzer.index;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * Where each indexed element sits in the timeline: row key → sequence number, filed as runs. An
 * entry covers consecutive elements of one stream (connection and direction) written in one
 * batch: its key is the first element's row key, its value the run's length, the first sequence
 * number, then the gaps to the next ones (varints). One entry per element cost a copy-on-write
 * B-tree put each (H2 copies a leaf per put): about a tenth of a bulk analysis. A run holds at
 * most a batch, so finding one element decodes at most a batch's gaps.
 *
 * <p>Written under the timeline's lock ({@link IndexWriter}), read from any thread.
 */
final class StanzaPositions {
    private final MVMap<Long, byte[]> runs;
    private final RecordBytes.Writer buffer = new RecordBytes.Writer();
    /**
     * Every timeline element up to this sequence number has its position filed: elements and
     * their positions are written under the timeline's lock, the positions last.
     */
    private volatile long filedThrough;

    /** {@code filedThrough}: the timeline's last sequence number when it is opened (-1 if empty). */
    StanzaPositions(MVMap<Long, byte[]> runs, long filedThrough) {
        this.runs = runs;
        this.filedThrough = filedThrough;
    }

    /** The sequence number up to which every element's position is filed (see {@link #connectionSeqs}). */
    long filedThrough() {
        return filedThrough;
    }

    /** Says that every element up to {@code seq} now has its position filed; called under the timeline's lock. */
    void filedThrough(long seq) {
        filedThrough = Math.max(filedThrough, seq);
    }

    /**
     * The sequence numbers of a connection's elements, both directions, in timeline order: from
     * {@code start} up if {@code forward}, else down, none beyond {@code through} (at most
     * {@link #filedThrough()}: what comes after may not be filed yet). A query narrowed to one
     * stream of a long capture reads these instead of the whole timeline.
     */
    PrimitiveIterator.OfLong connectionSeqs(long connection, long start, long through, boolean forward) {
        return new Merged(new StreamSeqs(connection << 1, start, through, forward),
                new StreamSeqs(connection << 1 | 1, start, through, forward), forward);
    }

    /** The timeline sequence number of the element with row key {@code pk}, or -1 if it is not filed. */
    long find(long pk) {
        Long first = runs.floorKey(pk);
        byte[] run = first == null || stream(first) != stream(pk) ? null : runs.get(first);
        if (run == null) {
            return -1;
        }
        RecordBytes.Reader r = new RecordBytes.Reader(run);
        long length = r.varLong();
        long skip = index(pk) - index(first);
        if (skip >= length) {
            return -1;
        }
        long seq = r.varLong();
        for (long i = 0; i < skip; i++) {
            seq += r.varLong();
        }
        return seq;
    }

    /**
     * The last element filed per stream (row key {@code >>> 32} → element index): from the
     * highest key, one lookup per stream jumps to the next lower stream. No scan.
     */
    Map<Long, Integer> lastFiled() {
        Map<Long, Integer> last = new HashMap<>();
        for (Long k = runs.lastKey(); k != null; k = runs.lowerKey(stream(k) << 32)) {
            last.put(stream(k), (int) lastIndex(k));
        }
        return last;
    }

    /** The index of the last element filed in {@code stream} (row key {@code >>> 32}), or -1. */
    long lastFiledIn(long stream) {
        Long k = runs.floorKey((stream << 32) | 0xFFFFFFFFL);
        return k == null || stream(k) != stream ? -1 : lastIndex(k);
    }

    private long lastIndex(long runKey) {
        return index(runKey) + new RecordBytes.Reader(runs.get(runKey)).varLong() - 1;
    }

    private static long stream(long pk) {
        return pk >>> 32;
    }

    private static long index(long pk) {
        return pk & 0xFFFFFFFFL;
    }

    /** One stream's sequence numbers within bounds, ascending or descending, decoded a run at a time. */
    private final class StreamSeqs {
        private final Cursor<Long, byte[]> runsInOrder;
        private final long start;
        private final long through;
        private final boolean forward;
        private long[] run = new long[0];
        private int at;
        private int length;

        StreamSeqs(long stream, long start, long through, boolean forward) {
            long first = stream << 32;
            long last = first | 0xFFFFFFFFL;
            this.runsInOrder = forward ? runs.cursor(first, last, false) : runs.cursor(last, first, true);
            this.start = start;
            this.through = through;
            this.forward = forward;
        }

        /** The next sequence number within bounds, or -1 when there is none. */
        long next() {
            while (true) {
                while (at < length) {
                    long seq = run[forward ? at : length - 1 - at];
                    at++;
                    if (forward ? seq >= start : seq <= start) {
                        if (seq <= through) {
                            return seq;
                        }
                        if (forward) {
                            return -1; // ascending: the rest lie beyond too
                        }
                    }
                }
                if (!runsInOrder.hasNext()) {
                    return -1;
                }
                runsInOrder.next();
                decode(runsInOrder.getValue());
            }
        }

        private void decode(byte[] encoded) {
            RecordBytes.Reader r = new RecordBytes.Reader(encoded);
            length = (int) r.varLong();
            if (run.length < length) {
                run = new long[length];
            }
            long seq = r.varLong();
            run[0] = seq;
            for (int i = 1; i < length; i++) {
                seq += r.varLong();
                run[i] = seq;
            }
            at = 0;
        }
    }

    /** Two streams' sequence numbers merged in order. */
    private static final class Merged implements PrimitiveIterator.OfLong {
        private final StreamSeqs a;
        private final StreamSeqs b;
        private final boolean forward;
        private long nextA;
        private long nextB;

        Merged(StreamSeqs a, StreamSeqs b, boolean forward) {
            this.a = a;
            this.b = b;
            this.forward = forward;
            this.nextA = a.next();
            this.nextB = b.next();
        }

        @Override
        public boolean hasNext() {
            return nextA >= 0 || nextB >= 0;
        }

        @Override
        public long nextLong() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            boolean takeA = nextB < 0 || (nextA >= 0 && (forward ? nextA < nextB : nextA > nextB));
            long seq;
            if (takeA) {
                seq = nextA;
                nextA = a.next();
            } else {
                seq = nextB;
                nextB = b.next();
            }
            return seq;
        }
    }

    /** A batch's positions, collected per stream while the batch is appended, then filed at once. */
    Batch newBatch() {
        return new Batch();
    }

    final class Batch {
        private final Map<Long, Run> open = new HashMap<>();
        private long lastStream;
        private Run lastRun;

        /**
         * Whether the element {@code pk} still needs filing: false if an analyzer of the same
         * capture already filed it. Each analyzer files a stream's elements in order, so what is
         * filed of a stream is always a prefix of it.
         */
        boolean wanted(long pk) {
            return index(pk) > run(stream(pk)).lastFiled;
        }

        /** Records that the element {@code pk} went to the timeline under {@code seq}; call after {@link #wanted}. */
        void add(long pk, long seq) {
            Run run = run(stream(pk));
            if (run.length > 0 && index(pk) != run.lastFiled + 1) {
                run.file(); // not the next element of the run: start another
            }
            if (run.length == 0) {
                run.firstKey = pk;
            }
            run.add(seq);
            run.lastFiled = index(pk);
        }

        /** Files every run collected. */
        void file() {
            open.values().forEach(Run::file);
        }

        /** The stream's run; the last one asked for is kept at hand (a chunk's stanzas come in a row). */
        private Run run(long stream) {
            if (stream != lastStream || lastRun == null) {
                lastRun = open.computeIfAbsent(stream, s -> new Run(lastFiledIn(s)));
                lastStream = stream;
            }
            return lastRun;
        }
    }

    /** One stream's consecutive elements in a batch: their sequence numbers so far. */
    private final class Run {
        long lastFiled;
        long firstKey;
        int length;
        private long[] seqs = new long[16];

        Run(long lastFiled) {
            this.lastFiled = lastFiled;
        }

        void add(long seq) {
            if (length == seqs.length) {
                seqs = Arrays.copyOf(seqs, length * 2);
            }
            seqs[length++] = seq;
        }

        void file() {
            if (length == 0) {
                return;
            }
            buffer.reset();
            buffer.varLong(length);
            buffer.varLong(seqs[0]);
            for (int i = 1; i < length; i++) {
                buffer.varLong(seqs[i] - seqs[i - 1]);
            }
            runs.put(firstKey, buffer.toArray());
            length = 0;
        }
    }
}
