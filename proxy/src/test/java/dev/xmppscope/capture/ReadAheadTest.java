package dev.xmppscope.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Reading ahead on a thread of its own hands the caller what the reading produced, in order, on
 * the caller's thread, never far ahead of it (memory stays bounded on a capture of any size); and
 * a failure on either side ends both, said to the caller: a hung analysis, or one that lost its
 * error, would be worse than a slow one.
 */
class ReadAheadTest {
    private static final int ITEMS = 20_000;

    @Test
    void givesWhatWasReadInOrderOnTheCallersThreadNeverFarAhead() {
        AtomicInteger read = new AtomicInteger();
        List<Object> taken = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        int[] furthestAhead = {0};
        ReadAhead.run("test", items -> {
            for (int i = 0; i < ITEMS; i++) {
                read.incrementAndGet();
                items.add(i, 100);
            }
        }, item -> {
            taken.add(item);
            threads.add(Thread.currentThread().getName());
            furthestAhead[0] = Math.max(furthestAhead[0], read.get() - taken.size());
        });
        assertEquals(ITEMS, taken.size());
        for (int i = 0; i < ITEMS; i++) {
            assertEquals(i, taken.get(i));
        }
        assertEquals(List.of(Thread.currentThread().getName()), threads.stream().distinct().toList());
        // four batches queued, one being taken, one being filled
        assertTrue(furthestAhead[0] <= 6 * 512, "the reading ran " + furthestAhead[0] + " items ahead");
        assertTrue(readersAlive().isEmpty());
    }

    @Test
    void aTakerThatFailsStopsTheReadingAndItsFailureIsThrown() {
        AtomicInteger read = new AtomicInteger();
        IllegalStateException bug = new IllegalStateException("a bug in the analysis");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> ReadAhead.run("test", items -> {
            for (int i = 0; i < ITEMS; i++) {
                read.incrementAndGet();
                items.add(i, 100);
            }
        }, item -> {
            if (item.equals(1000)) {
                throw bug;
            }
        })));
        assertTrue(readersAlive().isEmpty(), "the reading thread ended: " + readersAlive());
        assertTrue(read.get() < ITEMS, "the reading stopped early, at " + read.get());
    }

    @Test
    void aReadingThatFailsIsThrownAfterWhatWasReadBeforeIt() {
        CaptureStoreException broken = new CaptureStoreException("cannot read the capture: disk gone", null);
        List<Object> taken = new ArrayList<>();
        CaptureStoreException thrown = assertThrows(CaptureStoreException.class, () -> ReadAhead.run("test", items -> {
            for (int i = 0; i < 700; i++) {
                items.add(i, 1);
            }
            throw broken;
        }, taken::add));
        assertSame(broken, thrown);
        assertEquals(700, taken.size(), "everything read before the failure");
        assertTrue(readersAlive().isEmpty());
    }

    private static List<Thread> readersAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("xmppscope-read-ahead")).toList();
    }
}
