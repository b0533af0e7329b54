package dev.xmppscope.capture.pcap;

import dev.xmppscope.capture.file.CaptureFileException;
import dev.xmppscope.capture.file.GzipFiles;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Reads the frames of a classic pcap or a pcapng file.
 *
 * <p>Why not pcap4j: it reads files through the native libpcap (via JNA), which a machine with
 * only a JDK does not have, and xmppscope must open a pcap wherever it runs; libpcap also cannot
 * write pcapng, which export needs. Both formats are small and fully specified (pcap:
 * {@code pcap-savefile(5)}; pcapng: draft-ietf-opsawg-pcapng), so this reader covers them in
 * one page: classic pcap in both byte orders with micro- or nanosecond stamps; pcapng section
 * headers in both byte orders, interface descriptions (link type, {@code if_tsresol}),
 * enhanced, simple and obsolete packet blocks; other blocks are skipped. Either may be
 * gzip-compressed ({@code .pcap.gz}, which tshark reads too).
 *
 * <p>A truncated or corrupt file is read up to the damage, then a {@link CaptureFileException}
 * names the frame and byte where it is.
 */
public final class PcapFileReader {
    private static final int PCAPNG_SHB = 0x0A0D0D0A;
    private static final int PCAPNG_IDB = 1;
    private static final int PCAPNG_OPB = 2;
    private static final int PCAPNG_SPB = 3;
    private static final int PCAPNG_EPB = 6;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int MAX_BLOCK = 64 << 20;

    private PcapFileReader() {
    }

    /**
     * Calls {@code frames} with each frame in file order.
     *
     * @return the number of frames read
     */
    public static long read(Path file, Consumer<CapturedFrame> frames) {
        return read(file, frames, bytes -> { });
    }

    /**
     * As {@link #read(Path, Consumer)}; {@code fileBytes} is told how many bytes of the file
     * (compressed or not) have been read so far.
     */
    public static long read(Path file, Consumer<CapturedFrame> frames, LongConsumer fileBytes) {
        long[] delivered = {0};
        Consumer<CapturedFrame> counted = f -> {
            delivered[0]++;
            frames.accept(f);
        };
        try (CountingInput in = new CountingInput(GzipFiles.openUncompressed(file, fileBytes))) {
            long read;
            try {
                byte[] magic = in.readFully(4, file, 0);
                int be = ByteBuffer.wrap(magic).order(ByteOrder.BIG_ENDIAN).getInt();
                read = be == PCAPNG_SHB ? new PcapngBlocks(file, in, counted).readAll(magic) : readClassic(file, in, magic, counted);
            } catch (CaptureFileException e) {
                if (!in.compressed) {
                    throw e;
                }
                // its byte offsets are in what the compression holds, not in the file itself
                throw new CaptureFileException(e.getMessage() + " (bytes counted in its uncompressed content)",
                        e.recordsDelivered(), e.getCause());
            }
            if (in.cutShort) { // the compressed file ended where a frame did: it was still cut short
                throw new CaptureFileException(file + " is truncated (its gzip compression ends mid-stream) after frame " + read
                        + "; the " + read + " frames before it were read", read, new EOFException());
            }
            return read;
        } catch (IOException e) {
            String where = delivered[0] == 0 ? "" : " after frame " + delivered[0];
            throw new CaptureFileException("cannot read " + file + where + ": " + e.getMessage()
                    + (where.isEmpty() ? "" : "; the " + delivered[0] + " frames before it were read"), delivered[0], e);
        }
    }

    /**
     * {@code files} in the order of their first frames (stable: files with none, or damaged before
     * it, go last, in the order given, and are read where they stand to say so).
     */
    static List<Path> inTimeOrder(List<Path> files) {
        Map<Path, Long> first = new HashMap<>();
        for (Path f : files) {
            first.put(f, firstFrameAt(f));
        }
        return files.stream().sorted(Comparator.comparingLong(first::get)).toList();
    }

    private static long firstFrameAt(Path file) {
        try {
            read(file, f -> {
                throw new FirstFrame(f.atNanos());
            });
            return Long.MAX_VALUE; // no frame at all
        } catch (FirstFrame found) {
            return found.atNanos;
        } catch (CaptureFileException damagedBeforeIt) {
            return Long.MAX_VALUE;
        }
    }

    /** Stops a read at the first frame: its time is all that ordering parts needs. */
    private static final class FirstFrame extends RuntimeException {
        final long atNanos;

        FirstFrame(long atNanos) {
            super(null, null, false, false);
            this.atNanos = atNanos;
        }
    }

    private static long readClassic(Path file, CountingInput in, byte[] magic, Consumer<CapturedFrame> frames) throws IOException {
        ByteOrder order;
        boolean nanos;
        int m = ByteBuffer.wrap(magic).order(ByteOrder.BIG_ENDIAN).getInt();
        switch (m) {
            case 0xa1b2c3d4 -> { order = ByteOrder.BIG_ENDIAN; nanos = false; }
            case 0xd4c3b2a1 -> { order = ByteOrder.LITTLE_ENDIAN; nanos = false; }
            case 0xa1b23c4d -> { order = ByteOrder.BIG_ENDIAN; nanos = true; }
            case 0x4d3cb2a1 -> { order = ByteOrder.LITTLE_ENDIAN; nanos = true; }
            default -> throw new CaptureFileException(file + " is neither a pcap nor a pcapng file (magic "
                    + String.format("%08x", m) + ")", 0, null);
        }
        ByteBuffer header = ByteBuffer.wrap(in.readFully(20, file, 0)).order(order);
        int linkType = header.getInt(16) & 0x0FFFFFFF;
        long number = 0;
        while (true) {
            long at = in.count;
            byte[] rh = in.readOrEnd(16);
            if (rh == null) {
                return number;
            }
            if (rh.length < 16) {
                throw truncated(file, number + 1, at, number);
            }
            ByteBuffer r = ByteBuffer.wrap(rh).order(order);
            long seconds = r.getInt(0) & 0xFFFFFFFFL;
            long fraction = r.getInt(4) & 0xFFFFFFFFL;
            int included = r.getInt(8);
            int original = r.getInt(12);
            if (included < 0 || included > MAX_BLOCK) {
                throw new CaptureFileException(file + " is corrupt at frame " + (number + 1) + " (byte " + at
                        + "): a frame length of " + included + " bytes; the " + number + " frames before it were read", number, null);
            }
            byte[] data = in.readOrEnd(included);
            if (data == null || data.length < included) {
                throw truncated(file, number + 1, at, number);
            }
            number++;
            frames.accept(new CapturedFrame(number, linkType, seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000),
                    data, original));
        }
    }

    static CaptureFileException truncated(Path file, long frame, long at, long framesRead) {
        return new CaptureFileException(file + " is truncated in frame " + frame + " (byte " + at + "); the "
                + framesRead + " frames before it were read", framesRead, new EOFException());
    }

    /** The block structure of a pcapng file. */
    private static final class PcapngBlocks {
        private final Path file;
        private final CountingInput in;
        private final Consumer<CapturedFrame> frames;
        private final List<int[]> interfaces = new ArrayList<>(); // [linkType, tsresolExponent(negative = base 2)]
        private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        private long number;

        PcapngBlocks(Path file, CountingInput in, Consumer<CapturedFrame> frames) {
            this.file = file;
            this.in = in;
            this.frames = frames;
        }

        long readAll(byte[] firstType) throws IOException {
            byte[] type = firstType;
            long at = 0;
            while (true) {
                byte[] lenBytes = in.readOrEnd(4);
                if (lenBytes == null || lenBytes.length < 4) {
                    throw truncated(file, number + 1, at, number);
                }
                int typeCode;
                int length;
                if (ByteBuffer.wrap(type).order(ByteOrder.BIG_ENDIAN).getInt() == PCAPNG_SHB) {
                    byte[] bom = in.readOrEnd(4);
                    if (bom == null || bom.length < 4) {
                        throw truncated(file, number + 1, at, number);
                    }
                    order = ByteBuffer.wrap(bom).order(ByteOrder.LITTLE_ENDIAN).getInt() == BYTE_ORDER_MAGIC
                            ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
                    length = ByteBuffer.wrap(lenBytes).order(order).getInt();
                    checkLength(length, at);
                    byte[] rest = readBody(length - 12, at);
                    interfaces.clear(); // a new section starts a new interface list
                    typeCode = PCAPNG_SHB;
                    handle(typeCode, rest, at);
                } else {
                    typeCode = ByteBuffer.wrap(type).order(order).getInt();
                    length = ByteBuffer.wrap(lenBytes).order(order).getInt();
                    checkLength(length, at);
                    byte[] body = readBody(length - 8, at);
                    handle(typeCode, body, at);
                }
                at = in.count;
                type = in.readOrEnd(4);
                if (type == null) {
                    return number;
                }
                if (type.length < 4) {
                    throw truncated(file, number + 1, at, number);
                }
            }
        }

        private void checkLength(int length, long at) {
            if (length < 12 || length > MAX_BLOCK || length % 4 != 0) {
                throw new CaptureFileException(file + " is corrupt at byte " + at + " (after frame " + number
                        + "): a block length of " + length + "; the " + number + " frames before it were read", number, null);
            }
        }

        /** The block body including the trailing length copy. */
        private byte[] readBody(int n, long at) throws IOException {
            byte[] body = in.readOrEnd(n);
            if (body == null || body.length < n) {
                throw truncated(file, number + 1, at, number);
            }
            return body;
        }

        private void handle(int type, byte[] body, long at) {
            ByteBuffer b = ByteBuffer.wrap(body).order(order);
            int fields = switch (type) { // the fixed fields before a block's data and options
                case PCAPNG_IDB -> 8;
                case PCAPNG_EPB, PCAPNG_OPB -> 20;
                case PCAPNG_SPB -> 4;
                default -> 0;
            };
            if (body.length - 4 < fields) { // the body ends with a copy of the block's length
                throw new CaptureFileException(file + " is corrupt at byte " + at + ": a block of type " + type
                        + " too short for its own fields; the " + number + " frames before it were read", number, null);
            }
            switch (type) {
                case PCAPNG_IDB -> interfaces.add(new int[] {b.getShort(0) & 0xFFFF, tsresol(b, 8, body.length - 4)});
                case PCAPNG_EPB -> {
                    int iface = b.getInt(0);
                    long ts = ((b.getInt(4) & 0xFFFFFFFFL) << 32) | (b.getInt(8) & 0xFFFFFFFFL);
                    int captured = b.getInt(12);
                    int original = b.getInt(16);
                    packet(iface, ts, body, 20, captured, original, at);
                }
                case PCAPNG_OPB -> {
                    int iface = b.getShort(0) & 0xFFFF;
                    long ts = ((b.getInt(4) & 0xFFFFFFFFL) << 32) | (b.getInt(8) & 0xFFFFFFFFL);
                    packet(iface, ts, body, 20, b.getInt(12), b.getInt(16), at);
                }
                case PCAPNG_SPB -> {
                    int original = b.getInt(0);
                    int captured = Math.min(original, body.length - 8);
                    number++;
                    frames.accept(new CapturedFrame(number, linkType(0, at), 0, slice(body, 4, captured, at), original));
                }
                default -> {
                    // name resolution, statistics, custom blocks: nothing xmppscope needs
                }
            }
        }

        private void packet(int iface, long ts, byte[] body, int from, int captured, int original, long at) {
            int[] desc = iface >= 0 && iface < interfaces.size() ? interfaces.get(iface) : null;
            if (desc == null) {
                throw new CaptureFileException(file + " is corrupt at byte " + at + ": frame " + (number + 1)
                        + " names interface " + iface + " which was never described", number, null);
            }
            number++;
            frames.accept(new CapturedFrame(number, desc[0], toNanos(ts, desc[1]), slice(body, from, captured, at), original));
        }

        private int linkType(int iface, long at) {
            if (interfaces.isEmpty()) {
                throw new CaptureFileException(file + " is corrupt at byte " + at + ": a packet before any interface", number, null);
            }
            return interfaces.get(iface)[0];
        }

        private byte[] slice(byte[] body, int from, int n, long at) {
            if (n < 0 || from + n > body.length) {
                throw new CaptureFileException(file + " is corrupt at byte " + at + ": frame " + (number)
                        + " claims " + n + " bytes in a smaller block", number, null);
            }
            byte[] out = new byte[n];
            System.arraycopy(body, from, out, 0, n);
            return out;
        }

        /** Reads if_tsresol (option 9) from an IDB's options; default 10^-6. */
        private int tsresol(ByteBuffer b, int from, int end) {
            int p = from;
            while (p + 4 <= end) {
                int code = b.getShort(p) & 0xFFFF;
                int len = b.getShort(p + 2) & 0xFFFF;
                if (code == 0) {
                    break;
                }
                if (code == 9 && len >= 1) {
                    int v = b.get(p + 4) & 0xFF;
                    return (v & 0x80) != 0 ? -(v & 0x7F) : v;
                }
                p += 4 + ((len + 3) & ~3);
            }
            return 6;
        }

        private static long toNanos(long ts, int resol) {
            if (resol >= 0) {
                if (resol == 9) {
                    return ts;
                }
                long perSecond = (long) Math.pow(10, resol);
                return (ts / perSecond) * 1_000_000_000L + (ts % perSecond) * 1_000_000_000L / perSecond;
            }
            long perSecond = 1L << -resol;
            return (ts / perSecond) * 1_000_000_000L + (ts % perSecond) * 1_000_000_000L / perSecond;
        }
    }

    /** An input stream that knows how many bytes it has given out. */
    private static final class CountingInput implements AutoCloseable {
        private final InputStream in;
        /** The file is gzip-compressed: {@link #count} counts its uncompressed bytes. */
        final boolean compressed;
        long count;
        /** The input is a compressed file that ended before its compressed stream did. */
        boolean cutShort;

        CountingInput(InputStream in) {
            this.in = in;
            this.compressed = in instanceof GzipFiles.Uncompressed;
        }

        /** Exactly n bytes, null at a clean end (no byte left), or fewer bytes at a cut. */
        byte[] readOrEnd(int n) throws IOException {
            byte[] b;
            try {
                b = in.readNBytes(n);
            } catch (EOFException e) {
                // a gzip file cut short: the decompressor's bytes before the cut are lost with it, which the cut loses anyway
                cutShort = true;
                b = new byte[0];
            }
            count += b.length;
            if (b.length == 0 && n > 0) {
                return null;
            }
            return b;
        }

        byte[] readFully(int n, Path file, long frames) throws IOException {
            byte[] b = readOrEnd(n);
            if (b == null || b.length < n) {
                throw new CaptureFileException(file + " is too short to be a pcap or pcapng file", frames, null);
            }
            return b;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
