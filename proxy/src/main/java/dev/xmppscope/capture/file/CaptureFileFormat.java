package dev.xmppscope.capture.file;

import dev.xmppscope.capture.CaptureStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The capture file formats xmppscope reads and writes, recognised by content or by name. */
public enum CaptureFileFormat {
    /** xmppscope's own: gzip'd JSON Lines (see {@link XscapFormat}). */
    XSCAP,
    /** libpcap's classic format, as tcpdump writes it. */
    PCAP,
    /** pcap next generation, as Wireshark and dumpcap write it. */
    PCAPNG;

    /**
     * Recognises a file by its first bytes; null when it is none of these. A gzip file is an
     * .xscap unless what it compresses starts as a pcap or pcapng does ({@code capture.pcap.gz}).
     */
    public static CaptureFileFormat sniff(Path file) {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 4);
            if (GzipFiles.isGzip(head, n)) {
                CaptureFileFormat inside = compressed(file);
                return inside == null ? XSCAP : inside;
            }
            if (n < 4) {
                return null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return ofMagic(head);
    }

    /** A pcap or pcapng compressed with gzip, or null (an .xscap, or a gzip too damaged to tell: its reader says why). */
    private static CaptureFileFormat compressed(Path file) {
        try (InputStream in = GzipFiles.openUncompressed(file)) {
            byte[] head = in.readNBytes(4);
            return head.length < 4 ? null : ofMagic(head);
        } catch (IOException e) {
            return null;
        }
    }

    private static CaptureFileFormat ofMagic(byte[] head) {
        int magic = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        return switch (magic) {
            case 0x0a0d0d0a -> PCAPNG;
            case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1 -> PCAP;
            default -> null;
        };
    }

    /** The format of {@code file}, recognised by its first bytes; else why it is none ({@link #notRecognised}). */
    public static CaptureFileFormat require(Path file) {
        CaptureFileFormat format = sniff(file);
        if (format == null) {
            throw new IllegalArgumentException(notRecognised(file));
        }
        return format;
    }

    /**
     * Why {@code file} (which {@link #sniff} did not recognise) is not read: what its name promised,
     * what it starts with instead, and what the formats start with, so a truncated download, a
     * file still compressed or a capture database given as a file can be told apart.
     */
    public static String notRecognised(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (head.length == 0) {
            return file + " is empty";
        }
        if (CaptureStore.startsLikeDatabase(head)) {
            Path db = CaptureStore.basePath(file);
            return file + " is a capture database, not a capture file: open it with 'xmppscope open " + db
                    + "', or make a file of it with 'xmppscope export --db " + db + " --out FILE.xscap'";
        }
        CaptureFileFormat named = ofFileName(file);
        StringBuilder hex = new StringBuilder();
        for (byte b : head) {
            hex.append(hex.isEmpty() ? "" : " ").append(String.format("%02x", b & 0xff));
        }
        return file + (named == null ? " is not a capture file xmppscope reads" : " is named like " + named.label()
                + " file but does not start like one") + ": it starts with " + hex
                + ", where an .xscap starts with 1f 8b (gzip), a pcap with d4 c3 b2 a1 or a1 b2 c3 d4, a pcapng with"
                + " 0a 0d 0d 0a (either may be gzip-compressed). Is it complete, and not compressed otherwise (.zst, .xz, .bz2)?";
    }

    private String label() {
        return this == XSCAP ? "an .xscap" : this == PCAP ? "a pcap" : "a pcapng";
    }

    /** The format an output file name asks for, or null for an extension that is not a capture format. */
    public static CaptureFileFormat ofFileName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(XscapFormat.EXTENSION)) {
            return XSCAP;
        }
        if (name.endsWith(".pcapng")) {
            return PCAPNG;
        }
        if (name.endsWith(".pcap")) {
            return PCAP;
        }
        return null;
    }
}
