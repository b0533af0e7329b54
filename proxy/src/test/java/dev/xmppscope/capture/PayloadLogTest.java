package dev.xmppscope.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadLogTest {
    @TempDir
    Path tmp;

    @Test
    void writesBypassThePageCacheOnADiskFileSystem() {
        // the test directory lives on the machine's disk (ext4 here and in CI), which allows O_DIRECT
        try (PayloadLog log = PayloadLog.open(tmp.resolve("p.payloads"))) {
            assertTrue(log.direct(), "direct writes on " + tmp);
        }
    }

    /**
     * Random appends of every size (a few bytes up to several buffers), flushed at random points,
     * across a close and a reopen: every position reads back its bytes, whether visible before
     * the close, and the closed file is exactly the bytes appended, with no padding.
     */
    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void everyAppendReadsBackAtItsPositionAcrossFlushesAndReopens(boolean direct) throws Exception {
        Path file = tmp.resolve("p.payloads");
        Random random = new Random(42);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<long[]> written = new ArrayList<>();
        for (int session = 0; session < 3; session++) {
            try (PayloadLog log = new PayloadLog(file, direct)) {
                assertEquals(direct, log.direct());
                for (int i = 0; i < 300; i++) {
                    byte[] bytes = new byte[size(random)];
                    random.nextBytes(bytes);
                    long position = log.append(bytes);
                    assertEquals(all.size(), position, "positions follow each other");
                    all.write(bytes);
                    written.add(new long[] {position, bytes.length});
                    if (random.nextInt(4) == 0) {
                        log.flush();
                        long[] last = written.get(written.size() - 1);
                        byte[] expected = Arrays.copyOfRange(all.toByteArray(), (int) last[0], (int) (last[0] + last[1]));
                        assertArrayEquals(expected, log.read(last[0], (int) last[1]), "readable once flushed");
                    }
                }
            }
            assertArrayEquals(all.toByteArray(), Files.readAllBytes(file), "closed file after session " + session);
        }
        byte[] expected = all.toByteArray();
        try (PayloadLog log = new PayloadLog(file, direct)) {
            for (long[] w : written) {
                byte[] want = Arrays.copyOfRange(expected, (int) w[0], (int) (w[0] + w[1]));
                assertArrayEquals(want, log.read(w[0], (int) w[1]));
            }
            assertNull(log.read(expected.length - 1, 2), "past the end is a torn tail");
        }
    }

    /**
     * NIO closes a channel when a thread blocked in it is interrupted, for every thread sharing it.
     * A reader interrupted before or during a read still gets its bytes and keeps its interrupt;
     * other readers and the writes go on.
     */
    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void interruptedReadersNeitherFailNorCloseTheLogForOthers(boolean direct) throws Exception {
        try (PayloadLog log = new PayloadLog(tmp.resolve("i.payloads"), direct)) {
            byte[] bytes = new byte[64 << 10];
            new Random(7).nextBytes(bytes);
            long at = log.append(bytes);
            log.flush();
            Thread.currentThread().interrupt();
            assertArrayEquals(bytes, log.read(at, bytes.length), "an interrupted reader reads");
            assertTrue(Thread.interrupted(), "and keeps its interrupt");
            AtomicBoolean going = new AtomicBoolean(true);
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger reads = new AtomicInteger();
            Thread reader = new Thread(() -> {
                while (going.get()) {
                    try {
                        if (!Arrays.equals(bytes, log.read(at, bytes.length))) {
                            failures.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                    Thread.interrupted();
                    reads.incrementAndGet();
                }
            });
            reader.start();
            for (int i = 0; i < 2000 && reads.get() < 2000; i++) { // interrupts land before, during and after reads
                reader.interrupt();
                Thread.sleep(0, 200_000);
            }
            going.set(false);
            reader.join();
            assertEquals(0, failures.get(), "reads that failed or read wrong, of " + reads.get());
            long next = log.append(bytes);
            log.flush();
            assertArrayEquals(bytes, log.read(next, bytes.length), "writing goes on");
        }
    }

    @Test
    void aLogLeftWithoutCloseKeepsEveryFlushedAppendAndAppendsAfterIt() throws Exception {
        Path file = tmp.resolve("p.payloads");
        PayloadLog abandoned = PayloadLog.open(file); // a killed process never closes its log
        long first = abandoned.append("<message>one</message>".getBytes());
        abandoned.flush();
        long second;
        try (PayloadLog reopened = PayloadLog.open(file)) {
            second = reopened.append("<message>two</message>".getBytes());
            reopened.flush();
            assertEquals("<message>one</message>", new String(reopened.read(first, 22)));
            assertEquals("<message>two</message>", new String(reopened.read(second, 22)));
        }
        assertTrue(second >= first + 22, "the second append does not overwrite the first");
    }

    private static int size(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> 1 + random.nextInt(3 * 1024 * 1024);
            case 1, 2 -> 4096 + random.nextInt(3) - 1;
            default -> 1 + random.nextInt(600);
        };
    }
}
