package dev.xmppscope.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One real Prosody (Debian package) run as a plain process, configured per REAL-SERVERS.md with
 * every path inside the test's directory. {@link #start} returns once the pid file exists and
 * the c2s and s2s ports accept connections; any failure carries the tail of Prosody's debug log.
 */
public final class ProsodyServer implements AutoCloseable {
    private static final List<String> BASE_MODULES =
            List.of("roster", "saslauth", "tls", "dialback", "disco", "ping", "presence", "posix");

    private final ProsodyConfig config;
    private final Path dir;
    private final Path configFile;
    private final Path log;
    private final TestCertificates.Issued certificate;
    private ManagedProcess process;

    private ProsodyServer(ProsodyConfig config, Path dir, TestCertificates.Issued certificate) {
        this.config = config;
        this.dir = dir;
        this.configFile = dir.resolve("prosody.cfg.lua");
        this.log = dir.resolve("prosody.log");
        this.certificate = certificate;
    }

    /** Writes the config into {@code dir} (created) and starts Prosody; fails if it is not up within 20 s. */
    public static ProsodyServer start(Path dir, ProsodyConfig config) {
        ProsodyServer server = prepare(dir, config);
        server.start();
        return server;
    }

    /** Writes the config and certificates without starting, so users can be registered first. */
    public static ProsodyServer prepare(Path dir, ProsodyConfig config) {
        Requirements.require("prosody", "prosodyctl");
        TestCertificates.Issued cert = config.certificate;
        if (cert == null) {
            cert = config.mucComponent == null ? TestCertificates.selfSigned(config.domain)
                    : TestCertificates.selfSigned(config.domain, config.mucComponent);
        }
        ProsodyServer server = new ProsodyServer(config, dir.toAbsolutePath(), cert);
        server.writeFiles();
        return server;
    }

    /** Starts the prepared server and waits for its pid file and ports. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Prosody " + config.domain + " is already running");
        }
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = List.of(Requirements.path("prosody").toString(), "--config", configFile.toString(), "-F");
        process = ManagedProcess.start("prosody " + config.domain, cmd, dir.resolve("prosody.stdout"));
        process.awaitReady("pid file and ports " + c2s() + ", " + s2s() + ", " + directTls(), Duration.ofSeconds(20),
                () -> Files.exists(pidFile()) && ManagedProcess.canConnect(c2s()) && ManagedProcess.canConnect(s2s())
                        && ManagedProcess.canConnect(directTls()),
                this::startDiagnostics);
    }

    /**
     * Waits until {@code port}, one configured beyond the standard ones (net_multiplex's
     * {@code ssl_ports}, ...), accepts connections: {@link #start()} waits only for those it knows,
     * and Prosody opens its ports one after another.
     */
    public void awaitPort(int port) {
        InetSocketAddress at = new InetSocketAddress(config.address, port);
        process.awaitReady("port " + at, Duration.ofSeconds(20), () -> ManagedProcess.canConnect(at), this::startDiagnostics);
    }

    /** What Prosody printed and logged last, for a start that did not come up. */
    private String startDiagnostics() {
        return process.outputTail(20) + "\n" + logTail(40);
    }

    /** Creates a user account with prosodyctl (works whether or not the server runs). */
    public void register(String user, String password) {
        List<String> cmd = List.of(Requirements.path("prosodyctl").toString(), "--config", configFile.toString(),
                "register", user, config.domain, password);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("prosodyctl register " + user + "@" + config.domain + " hung\n" + out);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("prosodyctl register " + user + "@" + config.domain + " failed with status "
                        + p.exitValue() + ": " + out.strip() + "\n" + logTail(20));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run prosodyctl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted registering " + user, e);
        }
    }

    /** Whether it accepts an external component on {@link Federation#COMPONENT}. */
    public boolean acceptsComponents() {
        return config.externalComponent != null;
    }

    public String domain() {
        return config.domain;
    }

    public InetAddress address() {
        return config.address;
    }

    public InetSocketAddress c2s() {
        return new InetSocketAddress(config.address, config.c2sPort);
    }

    public InetSocketAddress s2s() {
        return new InetSocketAddress(config.address, config.s2sPort);
    }

    public InetSocketAddress directTls() {
        return new InetSocketAddress(config.address, config.directTlsPort);
    }

    /** The certificate the server presents (self-signed unless the config gave one). */
    public TestCertificates.Issued certificate() {
        return certificate;
    }

    public Path directory() {
        return dir;
    }

    public Path logFile() {
        return log;
    }

    /** Prosody's whole debug log (every stanza it sent and received). */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    public String logTail(int lines) {
        return ManagedProcess.tail(log, lines);
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGTERM (SIGKILL after 10 s). */
    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
        }
    }

    /** The running server's process id (from its pid file). */
    public long pid() {
        try {
            return Long.parseLong(Files.readString(pidFile()).trim());
        } catch (java.io.IOException | NumberFormatException e) {
            throw new IllegalStateException("no pid for the Prosody in " + dir + ": " + e, e);
        }
    }

    private Path pidFile() {
        return dir.resolve("prosody.pid");
    }

    private void writeFiles() {
        try {
            Files.createDirectories(dir.resolve("data"));
            Path certs = dir.resolve("certs");
            // <domain>.crt/.key in the certificates directory: Prosody finds them by name, which
            // covers the Direct TLS port (chosen by SNI) as well as STARTTLS.
            certificate.writePem(certs.resolve(config.domain + ".crt"), certs.resolve(config.domain + ".key"));
            if (config.mucComponent != null) {
                certificate.writePem(certs.resolve(config.mucComponent + ".crt"), certs.resolve(config.mucComponent + ".key"));
            }
            if (!config.trusted.isEmpty()) {
                StringBuilder pem = new StringBuilder();
                config.trusted.forEach(c -> pem.append(TestCertificates.pem(c)));
                Files.writeString(certs.resolve("trusted-cas.pem"), pem, StandardCharsets.US_ASCII);
            }
            Files.writeString(configFile, lua(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Prosody files under " + dir, e);
        }
    }

    /** The prosody.cfg.lua for this server. */
    String lua() {
        Path certs = dir.resolve("certs");
        InetAddress dns = config.dns != null ? config.dns : sameBlockDns(config.address);
        Set<String> modules = new LinkedHashSet<>(BASE_MODULES);
        modules.addAll(config.extraModules);
        String ssl = "{ key = " + str(certs.resolve(config.domain + ".key")) + "; certificate = "
                + str(certs.resolve(config.domain + ".crt"))
                + (config.trusted.isEmpty() ? "" : "; cafile = " + str(certs.resolve("trusted-cas.pem"))) + " }";
        List<String> l = new ArrayList<>();
        l.add("-- written by the xmppscope test harness (dev.xmppscope.testing.ProsodyServer)");
        l.add("run_as_root = true -- tests run as root; without it Prosody 0.12 refuses and hangs");
        l.add("pidfile = " + str(pidFile()));
        l.add("data_path = " + str(dir.resolve("data")));
        l.add("log = { " + config.logLevel + " = " + str(log) + " }");
        l.add("interfaces = { " + str(config.address.getHostAddress()) + " }");
        l.add("c2s_ports = { " + config.c2sPort + " }");
        l.add("s2s_ports = { " + config.s2sPort + " }");
        l.add("c2s_direct_tls_ports = { " + config.directTlsPort + " }");
        if (config.externalComponent != null) {
            l.add("component_ports = { " + Federation.COMPONENT + " }");
            l.add("component_interfaces = { " + str(config.address.getHostAddress()) + " }");
        }
        l.add("c2s_allow_encryption = " + config.c2sOfferTls);
        l.add("c2s_require_encryption = " + config.c2sRequireEncryption);
        l.add("allow_unencrypted_plain_auth = true");
        l.add("authentication = " + str(config.auth.luaName));
        l.add("s2s_allow_encryption = " + config.s2sAllowEncryption);
        l.add("s2s_require_encryption = " + config.s2sRequireEncryption);
        l.add("s2s_secure_auth = " + config.s2sSecureAuth);
        l.add("allow_registration = " + config.allowRegistration);
        l.add("-- every DNS lookup goes to the test's loopback dnsmasq, never the machine's resolver");
        l.add("unbound = { resolvconf = false; hoststxt = false; forward = " + str(dns.getHostAddress()) + " }");
        l.add("modules_enabled = { " + String.join(", ", modules.stream().map(ProsodyServer::str).toList()) + " }");
        l.add("certificates = " + str(certs));
        l.add("ssl = " + ssl);
        l.addAll(config.extraLua);
        l.add("");
        l.add("VirtualHost " + str(config.domain));
        l.add("  ssl = " + ssl);
        if (config.mucComponent != null) {
            l.add("");
            l.add("Component " + str(config.mucComponent) + " \"muc\"");
        }
        if (config.externalComponent != null) {
            l.add("");
            l.add("Component " + str(config.externalComponent));
            l.add("  component_secret = " + str(config.componentSecret));
        }
        return String.join("\n", l) + "\n";
    }

    private static InetAddress sameBlockDns(InetAddress address) {
        byte[] a = address.getAddress();
        a[3] = (byte) LoopbackBlock.DNS_HOST;
        try {
            return InetAddress.getByAddress(a);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String str(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public String toString() {
        return "Prosody " + config.domain + " on " + config.address.getHostAddress();
    }
}
