package dev.xmppscope.web.cli;

import dev.xmppscope.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the xmppscope CLI in a child JVM on a pseudo-terminal (util-linux {@code script}), as a
 * user at a terminal runs it: {@code System.console()} exists there, unlike in a test's own JVM,
 * so prompts can be answered and what the terminal showed can be checked.
 */
final class TerminalSession implements AutoCloseable {
    private final Process process;
    private final StringBuilder screen = new StringBuilder();
    private final Thread reader;

    private TerminalSession(Process process) {
        this.process = process;
        this.reader = new Thread(this::readScreen, "terminal-screen");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code xmppscope ARGS...} on a new terminal, without {@link ReplayPassword#ENV} in its environment. */
    static TerminalSession start(String... cliArgs) throws IOException {
        Requirements.require("script");
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        java.addAll(List.of(cliArgs));
        String command = java.stream().map(TerminalSession::quoted).collect(Collectors.joining(" "));
        // -q: no "Script started" banner; -e: exit with the command's status; the log goes nowhere
        ProcessBuilder pb = new ProcessBuilder("script", "-q", "-e", "-c", command, "/dev/null").redirectErrorStream(true);
        pb.environment().remove(ReplayPassword.ENV);
        return new TerminalSession(pb.start());
    }

    private static String quoted(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    private void readScreen() {
        try (InputStream in = process.getInputStream()) {
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (screen) {
                    screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    screen.notifyAll();
                }
            }
        } catch (IOException e) {
            // the terminal closed: what it showed so far stays in screen
        }
    }

    /** Waits until the terminal shows {@code text}; fails with what it shows instead. */
    void awaitScreen(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (screen) {
            while (screen.indexOf(text) < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                    throw new AssertionError("the terminal never showed '" + text + "'; it shows:\n" + screen);
                }
                screen.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Types a line, as a user would, ending it with Enter. */
    void type(String line) throws IOException {
        OutputStream keyboard = process.getOutputStream();
        keyboard.write((line + "\r").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Waits for the command to end; its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the command did not end within " + timeout + "; the terminal shows:\n" + screen());
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    String screen() {
        synchronized (screen) {
            return screen.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
