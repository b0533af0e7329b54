package dev.xmppscope.web.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of the commands that analyze a stored capture first ({@code open}, {@code show}), declared once. */
final class AnalysisOptions {
    @Option(names = "--keep-secrets", description = "show the passwords a pcap holds as they are, instead of masked")
    boolean keepSecrets;

    @Option(names = "--progress", description = "draw a progress bar on stderr even when it is not a terminal")
    boolean progress;

    /** {@code capture} opened, with an analyzer that has analyzed nothing, and a capture file not imported yet ({@link CaptureOpening#opening}). */
    CaptureOpening.Opening opening(Path capture, PrintWriter status, Serving resources) throws IOException {
        return CaptureOpening.opening(capture, keepSecrets, status, resources);
    }

    /** {@code capture} opened and analyzed as these options say ({@link CaptureOpening#analyzed}). */
    CaptureOpening.Analyzed analyzed(Path capture, PrintWriter err, Serving resources) throws IOException {
        return CaptureOpening.analyzed(capture, keepSecrets, progress, err, resources);
    }
}
