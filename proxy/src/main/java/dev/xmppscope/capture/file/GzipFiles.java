package dev.xmppscope.capture.file;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;

/**
 * Files that may be gzip-compressed: an .xscap always is, and a pcap or pcapng often is
 * ({@code capture.pcap.gz}, as tshark and Wireshark read them), so content is recognised and
 * read through the compression whatever the file's name.
 */
public final class GzipFiles {
    private static final int BUFFER = 1 << 16;

    private GzipFiles() {
    }

    /** Whether {@code head}, a file's first bytes, starts a gzip stream (1f 8b). */
    public static boolean isGzip(byte[] head, int length) {
        return length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** The file's content, decompressed when it is gzip (then an {@link Uncompressed}), buffered either way. */
    public static InputStream openUncompressed(Path file) throws IOException {
        return openUncompressed(file, bytes -> { });
    }

    /**
     * As {@link #openUncompressed(Path)}; {@code fileBytes} is told how many bytes of the file itself
     * (compressed or not) have been read so far, as each read of the file returns: how far an import is.
     */
    public static InputStream openUncompressed(Path file, LongConsumer fileBytes) throws IOException {
        InputStream raw = new BufferedInputStream(new Counted(Files.newInputStream(file), fileBytes), BUFFER);
        raw.mark(2);
        byte[] head = raw.readNBytes(2);
        raw.reset();
        if (!isGzip(head, head.length)) {
            return raw;
        }
        try {
            return new Uncompressed(new GZIPInputStream(raw, BUFFER));
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    /** What a gzip file holds, decompressed: its positions are not the file's own. */
    public static final class Uncompressed extends BufferedInputStream {
        Uncompressed(InputStream gzip) {
            super(gzip, BUFFER);
        }
    }

    /** A file's bytes, counted as they are read. */
    private static final class Counted extends FilterInputStream {
        private final LongConsumer counted;
        private long count;

        Counted(InputStream in, LongConsumer counted) {
            super(in);
            this.counted = counted;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                counted.accept(count);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            if (skipped > 0) {
                count += skipped;
                counted.accept(count);
            }
            return skipped;
        }
    }
}
