package dev.xmppscope.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real external component (XEP-0114): Debian's slixmpp {@code ComponentXMPP}, driven by
 * {@code slixmpp_component.py}. It connects, authenticates with the shared secret, answers the
 * first message sent to it with "pong: BODY", and leaves.
 */
public final class SlixmppComponent implements AutoCloseable {
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final CompletableFuture<Void> session = new CompletableFuture<>();

    private SlixmppComponent(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.startsWith("SESSION")) {
                        session.complete(null);
                    }
                }
            } catch (IOException e) {
                session.completeExceptionally(e);
            }
            session.completeExceptionally(new IllegalStateException("the component left before its session began:\n" + output()));
        }, "slixmpp-component-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts component {@code domain} connecting to the IP literal {@code endpoint}; its script goes to {@code workDir}. */
    public static SlixmppComponent start(Path workDir, String domain, String secret, InetSocketAddress endpoint) {
        Requirements.requirePythonModule("slixmpp");
        List<String> cmd = List.of("/usr/bin/python3", SlixmppClient.script(workDir, "slixmpp_component.py").toString(), "--jid", domain, "--secret", secret,
                "--host", endpoint.getAddress().getHostAddress(), "--port", Integer.toString(endpoint.getPort()));
        try {
            return new SlixmppComponent(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the slixmpp component: " + String.join(" ", cmd), e);
        }
    }

    /** Waits until the server accepted the component's handshake. */
    public void awaitSession(Duration timeout) throws Exception {
        try {
            session.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the component's session did not begin within " + timeout + ":\n" + output(), e);
        }
    }

    /** Waits until the component answered and left; fails with its output if it did not. */
    public void awaitAnswered(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
            throw new AssertionError("the component did not answer and leave within " + timeout + ":\n" + output());
        }
    }

    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
