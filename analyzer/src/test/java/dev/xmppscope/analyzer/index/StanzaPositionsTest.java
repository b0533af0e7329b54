package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Positions filed as runs (a real H2 MVStore file) find every element, and only those filed. */
class StanzaPositionsTest {
    @TempDir
    Path tmp;

    @Test
    void everyFiledElementIsFoundThroughItsRunAndNothingElseIs() {
        Path file = tmp.resolve("analysis.mv.db");
        long seq = 0;
        try (MVStore mv = open(file)) {
            StanzaPositions positions = positions(mv);
            // two batches, three streams interleaved as capture order interleaves them
            for (int batch = 0; batch < 2; batch++) {
                StanzaPositions.Batch b = positions.newBatch();
                for (int i = 0; i < 50; i++) {
                    long pk = StanzaIndex.rowKey(1 + i % 3, i % 2, batch * 50 + i / 6);
                    if (b.wanted(pk)) {
                        b.add(pk, seq++);
                    }
                }
                b.file();
            }
            assertFound(positions);
            mv.commit();
        }
        try (MVStore mv = open(file)) {
            StanzaPositions positions = positions(mv);
            assertFound(positions);
            assertEquals(-1, positions.find(StanzaIndex.rowKey(1, 0, 99)), "past the last element of a stream");
            assertEquals(-1, positions.find(StanzaIndex.rowKey(1, 0, 20)), "between two runs of a stream");
            assertEquals(-1, positions.find(StanzaIndex.rowKey(4, 0, 0)), "a stream never filed");
            assertEquals(-1, positions.find(StanzaIndex.rowKey(0, 1, 3)), "a lower stream never filed");
            Map<Long, Integer> last = positions.lastFiled();
            assertEquals(6, last.size(), "three connections, both directions");
            assertEquals(58, last.get(StanzaIndex.rowKey(1, 0, 0) >>> 32));
            assertEquals(57, positions.lastFiledIn(StanzaIndex.rowKey(3, 1, 0) >>> 32));
            assertEquals(-1, positions.lastFiledIn(StanzaIndex.rowKey(4, 0, 0) >>> 32));
        }
    }

    @Test
    void aSecondWriterOfTheSameStreamsFilesOnlyWhatTheFirstHasNot() {
        try (MVStore mv = open(tmp.resolve("analysis.mv.db"))) {
            StanzaPositions positions = positions(mv);
            StanzaPositions.Batch first = positions.newBatch();
            for (int i = 0; i < 10; i++) {
                first.add(StanzaIndex.rowKey(7, 1, i), i);
            }
            first.file();
            StanzaPositions.Batch second = positions.newBatch();
            for (int i = 5; i < 15; i++) {
                long pk = StanzaIndex.rowKey(7, 1, i);
                assertEquals(i >= 10, second.wanted(pk), "element " + i);
                if (second.wanted(pk)) {
                    second.add(pk, 100 + i);
                }
            }
            // a gap in the elements handed over starts another run
            second.add(StanzaIndex.rowKey(7, 1, 20), 200);
            second.file();
            for (int i = 0; i < 10; i++) {
                assertEquals(i, positions.find(StanzaIndex.rowKey(7, 1, i)));
            }
            for (int i = 10; i < 15; i++) {
                assertEquals(100 + i, positions.find(StanzaIndex.rowKey(7, 1, i)));
            }
            assertEquals(-1, positions.find(StanzaIndex.rowKey(7, 1, 15)));
            assertEquals(200, positions.find(StanzaIndex.rowKey(7, 1, 20)));
            assertEquals(20, positions.lastFiledIn(StanzaIndex.rowKey(7, 1, 0) >>> 32));
            assertFalse(positions.newBatch().wanted(StanzaIndex.rowKey(7, 1, 20)));
            assertTrue(positions.newBatch().wanted(StanzaIndex.rowKey(7, 0, 0)), "the other direction is its own stream");
        }
    }

    /** The elements the first test filed, each under the sequence number it was given, in order. */
    private static void assertFound(StanzaPositions positions) {
        long seq = 0;
        for (int batch = 0; batch < 2; batch++) {
            for (int i = 0; i < 50; i++) {
                long pk = StanzaIndex.rowKey(1 + i % 3, i % 2, batch * 50 + i / 6);
                assertEquals(seq++, positions.find(pk), "element " + (pk & 0xFFFFFFFFL) + " of connection " + (pk >>> 33));
            }
        }
    }

    private static MVStore open(Path file) {
        return new MVStore.Builder().fileName(file.toString()).compress().open();
    }

    private static StanzaPositions positions(MVStore mv) {
        return new StanzaPositions(mv.openMap("positions",
                new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE)), -1);
    }
}
