package dev.xmppscope.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The payload file's background writes: several in flight, and never two over the same bytes. */
class PayloadWritesTest {
    @TempDir
    Path tmp;

    /**
     * A later write over the same bytes lands after an earlier one even while another write is
     * free to start and the earlier one is slow: the file ends with what was written last.
     * (PayloadLog rewrites a padded last block this way; the older write landing last would put
     * its zeros back.) The writes at the file's start are held up 20 ms, as a busy device holds some.
     */
    @Test
    void overlappingWritesLandInTheOrderTheyWereSubmitted() throws Exception {
        Path file = tmp.resolve("p.payloads");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            PayloadWrites writes = new PayloadWrites(file, (buffer, position) -> {
                if (position == 0) {
                    LockSupport.parkNanos(20_000_000L);
                }
                return channel.write(buffer, position);
            }, 1);
            byte last = 0;
            for (int i = 0; i < 40; i++) {
                last = (byte) ('a' + i % 26);
                ByteBuffer b = writes.take();
                byte[] fill = new byte[b.remaining()];
                Arrays.fill(fill, last);
                b.put(fill).flip();
                writes.submit(b, i % 2 == 0 ? 0 : 512); // each overlaps the one before it
            }
            writes.awaitWritten();
            writes.close();
            ByteBuffer got = ByteBuffer.allocate((int) channel.size());
            channel.read(got, 0);
            byte previous = (byte) ('a' + 38 % 26);
            assertEquals(previous, got.get(0), "the start, last covered by write 38");
            assertEquals(last, got.get(600), "what write 39 covered");
            assertEquals(last, got.get(got.capacity() - 1));
        }
    }
}
