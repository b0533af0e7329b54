package dev.xmppscope.capture.file;

import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureStoreException;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.ConnectionSubset;
import dev.xmppscope.capture.pcap.PcapImporter;
import dev.xmppscope.capture.pcap.PcapngExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.h2.api.ErrorCode;

/**
 * Moving captures between a capture database and files: export to {@code .xscap} or
 * {@code .pcapng}, import (merge) an {@code .xscap}, pcap or pcapng into a database, and open
 * any of those files as a {@link CaptureSource}.
 */
public final class CaptureFiles {
    private CaptureFiles() {
    }

    /** A file as a capture source, its format recognised from its content. */
    public static CaptureSource open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CaptureFileException(file + " does not exist or is not a file", 0, null);
        }
        CaptureFileFormat format = CaptureFileFormat.sniff(file);
        if (format == null) {
            throw new CaptureFileException(CaptureFileFormat.notRecognised(file), 0, null);
        }
        return format == CaptureFileFormat.XSCAP ? XscapReader.open(file) : new PcapImporter(file);
    }

    /**
     * Writes everything in {@code store} to {@code out}, in the format its extension names
     * ({@code .xscap} or {@code .pcapng}).
     *
     * @return records (xscap) or frames (pcapng) written
     */
    public static long export(CaptureStore store, Path out, Map<String, String> meta, ProgressBar progress) {
        return export(store, out, meta, progress, Set.of());
    }

    /**
     * Writes what {@code store} holds of the connections {@code only} (all of them when empty) to
     * {@code out}, in the format its extension names ({@code .xscap} or {@code .pcapng}).
     *
     * @return records (xscap) or frames (pcapng) written
     */
    public static long export(CaptureStore store, Path out, Map<String, String> meta, ProgressBar progress, Set<Long> only) {
        CaptureFileFormat format = CaptureFileFormat.ofFileName(out);
        if (format == null || format == CaptureFileFormat.PCAP) {
            throw new IllegalArgumentException("cannot tell the export format from '" + out.getFileName()
                    + "': use a name ending in .xscap (xmppscope's own) or .pcapng (Wireshark)");
        }
        try (CaptureReader reader = store.newReader()) {
            CaptureSource source = only.isEmpty() ? reader::replay : sink -> reader.replay(new ConnectionSubset(only, sink));
            if (format == CaptureFileFormat.PCAPNG) {
                long frames = PcapngExport.write(source, out, progress::update);
                progress.finish();
                return frames;
            }
            try (XscapWriter writer = XscapWriter.create(out, meta)) {
                source.replay(new ProgressSink(writer, progress));
                progress.finish();
                return writer.records();
            }
        }
    }

    /** How many records (connections, chunks, events, closes) {@code store} holds, for progress bars. */
    public static long recordCount(CaptureStore store) {
        try (Connection c = store.newConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT COALESCE(SUM(chunk_count), 0) FROM chunk_batches) + (SELECT COUNT(*) FROM connection_events)"
                     + " + (SELECT COUNT(*) FROM connections) + (SELECT COUNT(*) FROM connections WHERE closed_at IS NOT NULL)")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw CaptureStoreException.of("cannot count the records of " + store.file(), e);
        }
    }

    /**
     * Merges {@code file} into {@code store}, its connections renumbered past the ones already
     * there. {@code progress} counts the bytes of the file read (compressed or not). A damaged file is imported up to the damage (committed), then its
     * {@link CaptureFileException} is rethrown.
     *
     * @param fromTheWire what a pcap or pcapng's records pass through on their way in (the CLI
     *                    masks secrets there): they are the bytes as they were on the wire. An
     *                    .xscap's are not: xmppscope recorded them, masked, or kept on purpose.
     */
    public static ImportResult importInto(CaptureStore store, Path file, ProgressBar progress,
                                          UnaryOperator<CaptureSink> fromTheWire) {
        return importSource(store, open(file), file.toString(), CaptureFileFormat.sniff(file), progress, fromTheWire);
    }

    /**
     * Merges pcap or pcapng files that are parts of one capture into {@code store}, read as one
     * capture in the order of their first frames: the files of a ring buffer (dumpcap -b, tcpdump
     * -C or -G), where a connection runs from one file into the next and must stay one connection.
     * As {@link #importInto}, {@code progress} counts the bytes read of all the parts together, and a damaged part is imported up to the damage, then its
     * {@link CaptureFileException} is rethrown (the parts after it are not read).
     */
    public static ImportResult importPcapParts(CaptureStore store, List<Path> parts, ProgressBar progress,
                                               UnaryOperator<CaptureSink> fromTheWire) {
        PcapImporter source = new PcapImporter(parts);
        String names = source.files().stream().map(Path::toString).collect(Collectors.joining(", "));
        return importSource(store, source, names, CaptureFileFormat.sniff(source.files().get(0)), progress, fromTheWire);
    }

    private static ImportResult importSource(CaptureStore store, CaptureSource source, String name, CaptureFileFormat format,
                                             ProgressBar progress, UnaryOperator<CaptureSink> fromTheWire) {
        long firstId = store.nextConnectionId();
        ProgressSink counting;
        try (CaptureWriter writer = store.newWriter()) {
            ConnectionRenumbering renumbered = new ConnectionRenumbering(writer, firstId);
            CaptureSink in = source instanceof XscapReader ? renumbered : fromTheWire.apply(renumbered);
            counting = new ProgressSink(in, ProgressBar.NONE);
            try {
                if (source instanceof XscapReader xscap) {
                    xscap.replay(counting, progress::update);
                } else {
                    ((PcapImporter) source).replay(counting, progress::update);
                }
            } catch (CaptureStoreException e) {
                if (e.getCause() instanceof SQLException sql && sql.getErrorCode() == ErrorCode.DUPLICATE_KEY_1) {
                    // the database's words ("unique index or primary key violation") name no line of the file
                    throw new CaptureFileException(name + " holds one record twice (two events of one connection with the"
                            + " same sequence number): it was changed by hand, or damaged; the records before the batch that"
                            + " holds it were imported", counting.records(), e);
                }
                throw e;
            } finally {
                progress.finish();
            }
            String leftOut = source instanceof PcapImporter pcap ? pcap.leftOut() : null;
            if (leftOut != null) {
                store.addImportNote(name + ": " + leftOut);
            }
            return new ImportResult(name, format, renumbered.nextId() - firstId, counting.records(), firstId, leftOut);
        }
    }
}
