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

    @Option(names = "--reanalyze", description = "analyze a capture database again instead of reusing the analysis kept"
            + " beside it. Once a capture database has been analyzed to its end, the analysis is kept in PATH.analysis.mv.db"
            + " (or, for a capture read-only for you, in your cache) and the next open or show answers from it in a moment"
            + " instead of parsing the capture again, saying so; it is analyzed again by itself when the capture has changed"
            + " since (a proxy or an import recorded into it) or xmppscope has. Use this to time an analysis, or if what is"
            + " shown looks wrong.")
    boolean reanalyze;

    /**
     * {@code capture} opened, with the analysis kept for it or an analyzer that has analyzed nothing
     * yet, and a capture file not imported yet ({@link CaptureOpening#opening}).
     */
    CaptureOpening.Opening opening(Path capture, PrintWriter status, Serving resources) throws IOException {
        return CaptureOpening.opening(capture, keepSecrets, reanalyze, status, resources);
    }

    /** {@code capture} opened and analyzed as these options say ({@link CaptureOpening#analyzed}). */
    CaptureOpening.Analyzed analyzed(Path capture, PrintWriter err, Serving resources) throws IOException {
        return CaptureOpening.analyzed(capture, keepSecrets, reanalyze, progress, err, resources);
    }
}
