package dev.xmppscope.analyzer.index;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
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

    StanzaPositions(MVMap<Long, byte[]> runs) {
        this.runs = runs;
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
