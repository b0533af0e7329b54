package dev.xmppscope.capture.pcap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a pcapng file with one Ethernet interface and nanosecond timestamps: a section header,
 * an interface description, then one enhanced packet block per frame (little-endian).
 */
final class PcapngWriter implements AutoCloseable {
    private final OutputStream out;

    PcapngWriter(Path file, String comment) throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        writeSectionHeader(comment);
        writeInterface();
    }

    void frame(long atNanos, byte[] frame) throws IOException {
        int padded = (frame.length + 3) & ~3;
        int length = 32 + padded;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(6).putInt(length).putInt(0);
        b.putInt((int) (atNanos >>> 32)).putInt((int) atNanos);
        b.putInt(frame.length).putInt(frame.length);
        b.put(frame);
        b.position(28 + padded);
        b.putInt(length);
        out.write(b.array());
    }

    private void writeSectionHeader(String comment) throws IOException {
        byte[] text = comment.getBytes(StandardCharsets.UTF_8);
        int optLen = 4 + ((text.length + 3) & ~3) + 4; // opt_comment + opt_endofopt
        int length = 28 + optLen;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x0A0D0D0A).putInt(length).putInt(0x1A2B3C4D);
        b.putShort((short) 1).putShort((short) 0).putLong(-1L); // version 1.0, section length unknown
        b.putShort((short) 1).putShort((short) text.length).put(text);
        b.position(24 + 4 + ((text.length + 3) & ~3));
        b.putShort((short) 0).putShort((short) 0);
        b.putInt(length);
        out.write(b.array());
    }

    private void writeInterface() throws IOException {
        int length = 20 + 8 + 4; // header, if_tsresol option, end of options
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1).putInt(length);
        b.putShort((short) PacketDecoder.LINKTYPE_ETHERNET).putShort((short) 0).putInt(0); // snaplen: no limit
        b.putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3]); // if_tsresol = 10^-9
        b.putShort((short) 0).putShort((short) 0);
        b.putInt(length);
        out.write(b.array());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
