package dev.xmppscope.analyzer.index;

import java.util.PrimitiveIterator;
import java.util.function.Function;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/** The timeline's records a scan reads, one at a time: its sequence number and stored bytes, read in place. */
interface Records {
    /** Moves to the next record; false when there is none. */
    boolean next();

    long seq();

    byte[] record();

    /** The record, read in place (one view, reused for every record). */
    RecordView view();

    /** The record's XML, read once (null when the payload file no longer holds it). */
    byte[] xml();

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

            @Override
            public RecordView view() {
                return current.view();
            }

            @Override
            public byte[] xml() {
                return current.xml();
            }
        };
    }

    /** The record a scan is at, the view of it, and its XML once asked for. */
    abstract class AtRecord implements Records {
        private final RecordView view = new RecordView();
        private final Function<RecordView, byte[]> xmlOf;
        private long seq;
        private byte[] record;
        private boolean xmlRead;
        private byte[] xml;

        /** {@code xmlOf} reads a record's XML, from the payload file or the record's copy. */
        AtRecord(Function<RecordView, byte[]> xmlOf) {
            this.xmlOf = xmlOf;
        }

        /** Moves to {@code seq}'s {@code record}. */
        void at(long seq, byte[] record) {
            this.seq = seq;
            this.record = record;
            view.read(record);
            xmlRead = false;
            xml = null;
        }

        @Override
        public byte[] xml() {
            if (!xmlRead) {
                xml = xmlOf.apply(view);
                xmlRead = true;
            }
            return xml;
        }

        @Override
        public long seq() {
            return seq;
        }

        @Override
        public byte[] record() {
            return record;
        }

        @Override
        public RecordView view() {
            return view;
        }
    }

    /**
     * The timeline in key order (or against it) from a sequence number, as an MVMap cursor walks
     * it. With a {@code test} (see {@link StanzaFilter#blockTest}) it passes by the blocks whose
     * summaries fail it, and summarizes each block it reads whole: its terms, and with
     * {@code summarizeText} its XML (the scan of a query whose only term is free text reads all of it anyway).
     */
    final class Scan extends AtRecord {
        private final MVMap<Long, byte[]> timeline;
        private final boolean forward;
        /** The last sequence number to read against key order, or null for all. */
        private final Long downTo;
        private final BlockSummaries summaries;
        private final BlockSummaries.Test test;
        /** Null once the scan passed by everything left. */
        private Cursor<Long, byte[]> cursor;
        /** The sequence number the scan reaches next, as the timeline's are consecutive. */
        private long expected;
        private final boolean summarizeText;
        /** The summaries of the block being read whole, or null. */
        private BlockSummaries.Summary summarizing;
        private TextSummary summarizingText;

        Scan(MVMap<Long, byte[]> timeline, long start, boolean forward, Long downTo, BlockSummaries summaries,
             BlockSummaries.Test test, boolean summarizeText, Function<RecordView, byte[]> xmlOf) {
            super(xmlOf);
            this.timeline = timeline;
            this.summarizeText = summarizeText;
            this.forward = forward;
            this.downTo = downTo;
            this.summaries = test == null ? null : summaries;
            this.test = test;
            this.expected = start;
            this.cursor = cursorFrom(start);
            if (this.summaries != null) {
                passBlocksThatFailTheTest(); // the block it starts in, too
            }
        }

        private Cursor<Long, byte[]> cursorFrom(long start) {
            return forward ? timeline.cursor(start) : timeline.cursor(start, downTo, true);
        }

        @Override
        public boolean next() {
            if (summaries != null && BlockSummaries.entersBlock(expected, forward)) {
                passBlocksThatFailTheTest();
            }
            if (cursor == null || !cursor.hasNext()) {
                return false;
            }
            long seq = cursor.next();
            at(seq, cursor.getValue());
            if (summaries != null) {
                summarize(seq);
            }
            expected = forward ? seq + 1 : seq - 1;
            return true;
        }

        private void passBlocksThatFailTheTest() {
            long from = expected;
            while (from >= 0 && !summaries.mayHold(BlockSummaries.block(from), test)) {
                long block = BlockSummaries.block(from);
                from = forward ? (block + 1) * BlockSummaries.BLOCK : block * BlockSummaries.BLOCK - 1;
            }
            if (from != expected) {
                expected = from;
                summarizing = null;
                summarizingText = null;
                cursor = from < 0 || (downTo != null && from < downTo) ? null : cursorFrom(from);
            }
        }

        /** Adds the record to its block's summaries when the scan reads that block whole, in order. */
        private void summarize(long seq) {
            long block = BlockSummaries.block(seq);
            if (seq != expected) { // not consecutive: this block is not read whole
                summarizing = null;
                summarizingText = null;
            }
            if (BlockSummaries.entersBlock(seq, forward) && seq == expected) {
                boolean room = summaries.hasRoom();
                summarizing = !room || summaries.known(block) ? null : new BlockSummaries.Summary();
                summarizingText = !room || !summarizeText || summaries.textKnown(block) ? null : new TextSummary();
            }
            if (summarizing != null) {
                view().addTermsTo(summarizing);
            }
            if (summarizingText != null) {
                byte[] xml = xml();
                if (xml == null) {
                    // not in the payload file (moved or cut short since): a restored file could match, so no summary
                    summarizingText = null;
                } else {
                    summarizingText.add(xml);
                }
            }
            if (BlockSummaries.leavesBlock(seq, forward)) {
                if (summarizing != null) {
                    summaries.put(block, summarizing);
                }
                if (summarizingText != null) {
                    summaries.put(block, summarizingText);
                }
                summarizing = null;
                summarizingText = null;
            }
        }
    }

    /**
     * The records of the sequence numbers given, looked up one by one. With a {@code test} (see
     * {@link StanzaFilter#blockTest}) it passes by those in blocks whose summaries fail it (it
     * makes no summaries: it does not read blocks whole).
     */
    final class Listed extends AtRecord {
        private final PrimitiveIterator.OfLong seqs;
        private final MVMap<Long, byte[]> timeline;
        private final BlockSummaries summaries;
        private final BlockSummaries.Test test;
        /** The block last asked about, and whether it may hold what passes. */
        private long block = -1;
        private boolean blockMayHold;

        Listed(PrimitiveIterator.OfLong seqs, MVMap<Long, byte[]> timeline, BlockSummaries summaries, BlockSummaries.Test test,
               Function<RecordView, byte[]> xmlOf) {
            super(xmlOf);
            this.seqs = seqs;
            this.timeline = timeline;
            this.summaries = summaries;
            this.test = test;
        }

        @Override
        public boolean next() {
            while (seqs.hasNext()) {
                long seq = seqs.nextLong();
                if (!mayHold(seq)) {
                    continue;
                }
                byte[] record = timeline.get(seq);
                if (record != null) {
                    at(seq, record);
                    return true;
                }
            }
            return false;
        }

        private boolean mayHold(long seq) {
            if (test == null) {
                return true;
            }
            if (BlockSummaries.block(seq) != block) {
                block = BlockSummaries.block(seq);
                blockMayHold = summaries.mayHold(block, test);
            }
            return blockMayHold;
        }
    }
}
