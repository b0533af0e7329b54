package dev.xmppscope.web.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Where a command's answer goes: through the user's pager when it is for a terminal, as git does
 * (a capture's stanzas run to thousands of lines), else straight to stdout. The pager is
 * $XMPPSCOPE_PAGER, else $PAGER, else {@code less}, run by {@code sh -c} as git runs it, with LESS
 * set to {@code FRX} unless the user set it: it quits at once when the answer fits on one screen
 * and leaves it on the screen. An empty pager, or {@code cat}, means none.
 */
final class Pager implements AutoCloseable {
    private final PrintWriter out;
    /** Null when the answer goes straight to stdout. */
    private final Process pager;

    private Pager(PrintWriter out, Process pager) {
        this.out = out;
        this.pager = pager;
    }

    /**
     * Opens the pager when {@code terminal} (stdout and stdin are a terminal); otherwise, or when
     * it cannot start (said on {@code err}), the answer goes to {@code stdout}.
     */
    static Pager open(PrintWriter stdout, PrintWriter err, boolean terminal, Map<String, String> env) {
        String command = command(env);
        if (!terminal || command == null) {
            return new Pager(stdout, null);
        }
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", command))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putIfAbsent("LESS", "FRX");
        try {
            Process p = pb.start();
            return new Pager(new PrintWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)), p);
        } catch (IOException e) {
            err.println("xmppscope: cannot start the pager '" + command + "' (" + e.getMessage() + "); printing instead."
                    + " --no-pager, or PAGER=cat, says not to try");
            err.flush();
            return new Pager(stdout, null);
        }
    }

    /** The pager the environment names, or null for none. */
    private static String command(Map<String, String> env) {
        String named = env.containsKey("XMPPSCOPE_PAGER") ? env.get("XMPPSCOPE_PAGER") : env.getOrDefault("PAGER", "less");
        String command = named.strip();
        return command.isEmpty() || command.equals("cat") ? null : command;
    }

    /** Where the answer is printed. */
    PrintWriter out() {
        return out;
    }

    /**
     * Whether the answer's reader went away: the pager was quit, or the pipe stdout feeds was
     * closed ({@code | head}). What is left of the answer then need not be made.
     */
    boolean readerGone() {
        // picocli's stdout wraps System.out, a PrintStream that keeps a broken pipe to itself
        return out.checkError() || (pager == null && System.out.checkError());
    }

    /** Ends the answer and, with a pager, waits until the user quits it. */
    @Override
    public void close() {
        out.flush();
        if (pager != null) {
            out.close(); // the pager's end of input
            try {
                pager.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
