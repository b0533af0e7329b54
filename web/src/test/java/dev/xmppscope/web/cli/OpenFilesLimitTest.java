package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy at its open-files limit ({@code ulimit -n} in the child JVM's shell): the connections
 * within it are relayed, those it cannot accept wait in the kernel's queue, and the log says why
 * once, in words, with the limit, where Netty printed a stack trace per failure.
 */
class OpenFilesLimitTest {
    private static final int LIMIT = 400;
    private static final byte[] HEADER = ("<?xml version='1.0'?><stream:stream to='a.example' xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>").getBytes(StandardCharsets.UTF_8);
    private static final byte[] FEATURES = "<stream:features/>".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    @Test
    void pastTheLimitConnectionsWaitAndTheLogSaysWhyOnce() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> answerEach(upstream), "test-upstream");
            server.setDaemon(true);
            server.start();
            int listen = ChildShell.freeLoopbackPort();
            List<Socket> clients = new ArrayList<>();
            try (ChildShell proxy = ChildShell.of(tmp, "ulimit -n " + LIMIT + " && \"$1\" -cp \"$2\" " + Main.class.getName()
                            + " proxy --quiet --analysis in-process --route \"127.0.0.1:$3=127.0.0.1:$4\" --db \"$5\""
                            + " --web 127.0.0.1:0",
                    ChildShell.java(), System.getProperty("java.class.path"), String.valueOf(listen),
                    String.valueOf(upstream.getLocalPort()), tmp.resolve("cap").toString())) {
                proxy.awaitOutput("Ctrl-C stops the proxy");
                long used = openFiles(proxy);
                assertTrue(used < LIMIT - 100, "the proxy alone holds " + used + " files");
                int beyond = (int) (LIMIT - used) / 2 + 60; // each relayed connection takes two descriptors
                for (int i = 0; i < beyond; i++) {
                    Socket c = new Socket(InetAddress.getLoopbackAddress(), listen);
                    c.getOutputStream().write(HEADER);
                    clients.add(c);
                }
                proxy.awaitOutput("cannot be accepted");
                int answered = 0;
                int waiting = 0;
                for (Socket c : clients) {
                    // the rest were accepted but could not connect on to the upstream: closed, and logged
                    switch (outcome(c, 300)) {
                        case ANSWERED -> answered++;
                        case WAITING -> waiting++;
                        case CLOSED -> { }
                    }
                }
                assertTrue(answered > 20 && waiting > 0, answered + " answered, " + waiting + " waiting:\n" + proxy.output());

                for (Socket c : clients) {
                    c.close();
                }
                // the streams end and their files are freed: with the tests' classpath of directories, a
                // JVM out of files could not even load the classes it stops with (the jar stays open)
                for (long deadline = System.nanoTime() + 20_000_000_000L; openFiles(proxy) > LIMIT - 50; Thread.sleep(100)) {
                    assertTrue(System.nanoTime() < deadline, "the proxy still holds " + openFiles(proxy) + " files");
                }
                String output = proxy.stop();
                int said = ChildShell.occurrences(output, "cannot be accepted");
                assertTrue(said >= 1 && said <= 3, "said at most every 10 s, not per connection:\n" + output);
                assertTrue(output.contains("new connections cannot be accepted and wait in the kernel's queue: too many open files:"
                        + " this process may have " + LIMIT + " open at once (ulimit -n)"), output);
                ChildShell.assertSaidNone(output, "no stack trace", "exceptionCaught", "\tat ", "Exception");
            } finally {
                for (Socket c : clients) {
                    c.close();
                }
            }
        }
    }

    /** The file descriptors the JVM under the child's shell holds (Linux: its /proc/PID/fd). */
    private static long openFiles(ChildShell shell) throws IOException {
        ProcessHandle jvm = shell.process().children().findFirst().orElseThrow(() -> new AssertionError("no JVM"));
        try (var fds = Files.list(Path.of("/proc", String.valueOf(jvm.pid()), "fd"))) {
            return fds.count();
        }
    }

    private enum Outcome { ANSWERED, CLOSED, WAITING }

    /** Whether the upstream's answer arrives through the proxy within {@code millis}, or the proxy closed the stream. */
    private static Outcome outcome(Socket c, int millis) throws IOException {
        c.setSoTimeout(millis);
        try {
            int read = c.getInputStream().readNBytes(new byte[FEATURES.length], 0, FEATURES.length);
            return read == FEATURES.length ? Outcome.ANSWERED : Outcome.CLOSED;
        } catch (SocketTimeoutException e) {
            return Outcome.WAITING;
        } catch (IOException e) {
            return Outcome.CLOSED; // reset
        }
    }

    /** Answers each relayed stream's first bytes with features, then reads it to its end. */
    private static void answerEach(ServerSocket upstream) {
        while (!upstream.isClosed()) {
            try {
                Socket s = upstream.accept();
                Thread t = new Thread(() -> {
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        byte[] buffer = new byte[4096];
                        if (in.read(buffer) > 0) {
                            out.write(FEATURES);
                            out.flush();
                        }
                        while (in.read(buffer) >= 0) {
                            // until the proxy closes the stream
                        }
                    } catch (IOException e) {
                        // the proxy went away: this stream is done
                    }
                }, "test-upstream-stream");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed at the end of the test
            }
        }
    }
}
