package dev.xmppscope.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
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
     * its zeros back.) The writes at the file's start are held up, as a busy device holds some.
     */
    @Test
    void overlappingWritesLandInTheOrderTheyWereSubmitted() throws Exception {
        Path file = tmp.resolve("p.payloads");
        try (FileChannel real = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ); FileChannel channel = new SlowAtTheStart(real)) {
            PayloadWrites writes = new PayloadWrites(file, channel, 1);
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

    /** A real file channel whose writes at position 0 take 20 ms longer. */
    private static final class SlowAtTheStart extends FileChannel {
        private final FileChannel real;

        SlowAtTheStart(FileChannel real) {
            this.real = real;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            if (position == 0) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return real.write(src, position);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return real.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
