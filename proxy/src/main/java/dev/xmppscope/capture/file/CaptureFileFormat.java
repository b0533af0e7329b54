package dev.xmppscope.capture.file;

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

    /** Recognises a file by its first bytes; null when it is none of these. */
    public static CaptureFileFormat sniff(Path file) {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 4);
            if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return XSCAP;
            }
            if (n < 4) {
                return null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int magic = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        return switch (magic) {
            case 0x0a0d0d0a -> PCAPNG;
            case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1 -> PCAP;
            default -> null;
        };
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
