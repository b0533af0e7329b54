package dev.xmppscope.capture.file;

/**
 * What an import added to a capture database.
 *
 * @param file        the file read
 * @param format      its format
 * @param connections connections added (with fresh ids)
 * @param records     records added (connections, chunks, events, closes)
 * @param firstId     the id the first added connection got
 * @param leftOut     for a pcap, what it holds that was not read as XMPP and why, in a sentence; else null
 */
public record ImportResult(String file, CaptureFileFormat format, long connections, long records, long firstId,
                           String leftOut) {
}
