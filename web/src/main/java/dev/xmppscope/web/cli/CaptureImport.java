package dev.xmppscope.web.cli;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.file.CaptureFileException;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ImportResult;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.proxy.SecretMasking;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * A capture file (.xscap, pcap, pcapng) to import into the temporary database that {@code open}
 * and {@code show} read it from: {@code show} imports it before anything else, {@code open} while
 * it already serves the UI ({@link BackgroundAnalysis}). A pcap's passwords are masked on the way
 * in, unless {@code keepSecrets}.
 */
final class CaptureImport {
    private final Path file;
    private final CaptureStore into;
    private final boolean keepSecrets;
    private final long fileBytes;

    CaptureImport(Path file, CaptureStore into, boolean keepSecrets) {
        this.file = file;
        this.into = into;
        this.keepSecrets = keepSecrets;
        this.fileBytes = file.toFile().length();
    }

    /** The file's size: what the import's progress counts up to. */
    long fileBytes() {
        return fileBytes;
    }

    /**
     * Imports the file, {@code progress} told the bytes of it read so far (and finished at the end,
     * whatever ends it), and says what it found on {@code status}. A damaged file is imported up to the damage, which is said and returned; else null.
     */
    String run(ProgressBar progress, PrintWriter status) {
        try {
            ImportResult r = CaptureFiles.importInto(into, file, progress,
                    SecretMasking.ofImport(file.getFileName().toString(), keepSecrets)::masking);
            say(status, "%d %s, %d records from %s", r.connections(), r.connections() == 1 ? "connection" : "connections",
                    r.records(), r.format());
            if (r.leftOut() != null) {
                say(status, "%s", r.leftOut());
            }
            return null;
        } catch (CaptureFileException e) {
            say(status, "warning: %s — showing what was read before the damage", e.getMessage());
            return e.getMessage();
        }
    }

    private static void say(PrintWriter status, String format, Object... args) {
        status.printf(format + "%n", args);
        status.flush();
    }
}
