package dev.xmppscope.capture.file;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
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
}
