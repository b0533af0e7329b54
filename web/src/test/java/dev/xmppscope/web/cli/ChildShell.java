package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code sh -c SCRIPT sh ARGS...} in a child process, its stdout and stderr in one file: for
 * running the CLI in a JVM of its own under conditions the test's JVM cannot have (a small disk,
 * a low open-files limit). Closing it ends whatever still runs.
 */
record ChildShell(Process process, Path log) implements AutoCloseable {

    /** The script in new user and mount namespaces ({@code unshare -rm}): it may mount a tmpfs, without root. */
    static ChildShell inOwnMountNamespace(Path dir, String script, String... args) throws IOException {
        return start(dir, List.of("unshare", "-rm", "sh", "-c", script, "sh"), args);
    }

    /** The script as it is. */
    static ChildShell of(Path dir, String script, String... args) throws IOException {
        return start(dir, List.of("sh", "-c", script, "sh"), args);
    }

    private static ChildShell start(Path dir, List<String> prefix, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "child", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildShell(p, log);
    }

    /** The JVM running the CLI, for scripts: {@code "$JAVA" -cp "$CP" MAIN ...}. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A free loopback port for the child to listen on. */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** How often the child said {@code part} in {@code output}. */
    static int occurrences(String output, String part) {
        int n = 0;
        for (int i = output.indexOf(part); i >= 0; i = output.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** That none of {@code noise} (a stack trace's "\tat ", an exception's name) is in the child's {@code output}. */
    static void assertSaidNone(String output, String why, String... noise) {
        for (String n : noise) {
            assertFalse(output.contains(n), why + " (" + n + "):\n" + output);
        }
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    void awaitOutput(String line) throws Exception {
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); !output().contains(line); Thread.sleep(100)) {
            assertTrue(process.isAlive() && System.nanoTime() < deadline, "no '" + line + "' from the child:\n" + output());
        }
    }

    int exitCode() throws Exception {
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child did not exit:\n" + output());
        return process.exitValue();
    }

    /** Ends whatever still runs (a failed assertion must not leave a proxy or a web UI behind). */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * Stops the child's JVM as Ctrl-C in its terminal does, with a TERM to each process under the
     * shell (an analysis worker ignores it, and ends with its feed); what the script does after it
     * then runs. Returns what the child printed.
     */
    String stop() throws Exception {
        List<String> kill = new ArrayList<>(List.of("kill", "-TERM"));
        process.descendants().forEach(p -> kill.add(String.valueOf(p.pid())));
        assertTrue(kill.size() > 2, "nothing runs under the child:\n" + output());
        new ProcessBuilder(kill).inheritIO().start().waitFor(); // one may have ended meanwhile
        exitCode();
        return output();
    }
}
