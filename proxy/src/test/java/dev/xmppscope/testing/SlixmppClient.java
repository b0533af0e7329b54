package dev.xmppscope.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second real client: Debian's slixmpp (SleekXMPP's successor) driven by a small script
 * ({@code slixmpp_client.py}) under {@code /usr/bin/python3}. One run = connect, log in,
 * optionally send one message, optionally wait for one, disconnect.
 */
public final class SlixmppClient {

    /** How the client secures its stream. */
    public enum Mode { PLAIN, STARTTLS, DIRECTTLS }

    /** What one run printed and how it exited. */
    public record Result(int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    private final Path workDir;
    private final List<String> args = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(20);

    private SlixmppClient(Path workDir, String jid, String password, InetSocketAddress endpoint, Mode mode) {
        this.workDir = workDir;
        args.addAll(List.of("--jid", jid, "--password", password, "--host", endpoint.getAddress().getHostAddress(),
                "--port", Integer.toString(endpoint.getPort()), "--mode", mode.name().toLowerCase(java.util.Locale.ROOT)));
    }

    /** A client for {@code jid} connecting to the IP literal {@code endpoint}; files go to {@code workDir}. */
    public static SlixmppClient of(Path workDir, String jid, String password, InetSocketAddress endpoint, Mode mode) {
        return new SlixmppClient(workDir, jid, password, endpoint, mode);
    }

    /** Trusts only {@code anchor} for STARTTLS / Direct TLS. */
    public SlixmppClient trust(X509Certificate anchor) {
        Path ca = workDir.resolve("slixmpp-ca-" + System.nanoTime() + ".pem");
        try {
            Files.createDirectories(workDir);
            Files.writeString(ca, TestCertificates.pem(anchor), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        args.addAll(List.of("--cafile", ca.toString()));
        return this;
    }

    /** Restricts SASL to one mechanism, e.g. "PLAIN". */
    public SlixmppClient mechanism(String name) {
        args.addAll(List.of("--mechanism", name));
        return this;
    }

    public SlixmppClient send(String to, String body) {
        args.addAll(List.of("--send-to", to, "--body", body));
        return this;
    }

    public SlixmppClient expect(String body) {
        args.addAll(List.of("--expect", body));
        return this;
    }

    public SlixmppClient timeout(Duration timeout) {
        this.timeout = timeout;
        args.addAll(List.of("--timeout", Long.toString(timeout.toSeconds())));
        return this;
    }

    /** Waits this long after the session starts before sending, sending whitespace keepalives every {@code keepalive}. */
    public SlixmppClient idle(Duration idle, Duration keepalive) {
        args.addAll(List.of("--idle", Double.toString(idle.toMillis() / 1000.0), "--keepalive",
                Double.toString(keepalive.toMillis() / 1000.0)));
        return this;
    }

    public SlixmppClient debug() {
        args.add("--debug");
        return this;
    }

    /** Runs the client to completion (bounded by the timeout plus a margin). */
    public Result run() {
        Process p = start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toSeconds() + 15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out + "\n(killed: did not exit)");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read slixmpp's output", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted waiting for slixmpp", e);
        }
    }

    /** Starts the client in the background (its output merged into the process's stdout). */
    public Process start() {
        Requirements.requirePythonModule("slixmpp");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script().toString()));
        cmd.addAll(args);
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start slixmpp client: " + String.join(" ", cmd), e);
        }
    }

    private Path script() {
        return script(workDir, "slixmpp_client.py");
    }

    /** The script {@code name}, a test resource beside this class, copied into {@code workDir} (once) for python to run. */
    static Path script(Path workDir, String name) {
        Path script = workDir.resolve(name);
        if (!Files.exists(script)) {
            try (InputStream in = SlixmppClient.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException(name + " missing from the test classpath");
                }
                Files.createDirectories(workDir);
                Files.copy(in, script);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + script, e);
            }
        }
        return script;
    }
}
