package dev.xmppscope.web.cli;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureStoreException;
import dev.xmppscope.capture.HostPort;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.proxy.CertificateAuthority;
import dev.xmppscope.proxy.JitYield;
import dev.xmppscope.proxy.ListenerState;
import dev.xmppscope.proxy.ProxyOptions;
import dev.xmppscope.proxy.ProxyServer;
import dev.xmppscope.proxy.Recorder;
import dev.xmppscope.proxy.Route;
import dev.xmppscope.web.ModelSource;
import dev.xmppscope.web.WebOptions;
import dev.xmppscope.web.WebServer;
import dev.xmppscope.web.api.CaptureExportApi;
import dev.xmppscope.web.worker.LiveAnalysis;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xmppscope proxy}: sit between clients and servers, record every stream, show it live. */
@Command(name = "proxy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Relays XMPP connections LISTEN → UPSTREAM, records both directions of every stream into a capture database, and shows the federation graph, the stanza timeline and each stream's negotiation live in the web UI.",
                "",
                "A route is one TCP link: clients (or a remote server) connect to LISTEN, xmppscope connects on to UPSTREAM. Put one route on each c2s port (5222, Direct TLS 5223) and each s2s port (5269) you want to see; for s2s, make the other servers' DNS point at LISTEN. Direct TLS is recognised per connection from its first byte.",
                "",
                "TLS: 'passthrough' (default) relays encrypted bytes as they are - you see the negotiation up to <starttls/> and then only ciphertext. 'intercept' terminates TLS on both sides so you see the stanzas: clients must trust xmppscope's CA (see 'xmppscope ca --export'). A client's own certificate cannot pass it (a login by certificate, SASL EXTERNAL, needs passthrough); the capture says when one came.",
                ""
        },
        footer = {
                "",
                "Examples:",
                "  # watch one client talk to a local server (plaintext or passthrough)",
                "  xmppscope proxy --route 127.0.0.1:15222=127.0.0.2:5222",
                "",
                "  # see inside STARTTLS: clients trust the CA printed by 'xmppscope ca --export'",
                "  xmppscope proxy --tls intercept --insecure-upstream \\",
                "      --route 127.0.0.12:5222=127.0.0.2:5222 \\",
                "      --route 127.0.0.12:5269=127.0.0.2:5269",
                "",
                "  # intercept a server whose certificate your lab's CA signed",
                "  xmppscope proxy --tls intercept --upstream-ca lab-ca.pem \\",
                "      --route 127.0.0.12:5222=127.0.0.2:5222",
                "",
                "  # one route intercepting, another passing through",
                "  xmppscope proxy --route '127.0.0.12:5222=127.0.0.2:5222,tls=intercept' \\",
                "      --route 127.0.0.12:5269=127.0.0.2:5269",
                "",
                "  # the same settings from a file (keys are the option names;",
                "  # route.1, route.2, ... add routes; switches: keep-secrets = true)",
                "  xmppscope proxy --config lab.properties",
                "  # the command line wins, switches included",
                "  xmppscope proxy --config lab.properties --keep-secrets=false",
                "",
                "The capture database stays after you stop (Ctrl-C): open it later with",
                "'xmppscope open PATH'. Passwords in SASL PLAIN, legacy auth, registration and",
                "MUC rooms (any <password> in a stanza) are masked (same length, so offsets",
                "stay true; PLAIN keeps the username) unless --keep-secrets."
        })
final class ProxyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--route", paramLabel = "LISTEN=UPSTREAM[,tls=MODE]",
            description = "A link to sit on: clients connect to LISTEN, xmppscope connects on to UPSTREAM (each HOST:PORT)."
                    + " Repeat for more; see the examples below.")
    List<String> routes = new ArrayList<>();

    @Option(names = "--tls", paramLabel = "passthrough|intercept", defaultValue = "passthrough",
            description = "TLS mode of routes that do not say ',tls=...' (default: ${DEFAULT-VALUE}).")
    String tls;

    @Option(names = "--insecure-upstream",
            description = "When intercepting, accept any upstream certificate (self-signed test servers).")
    boolean insecureUpstream;

    @Option(names = "--upstream-ca", paramLabel = "PEM",
            description = "When intercepting, trust upstream certificates that chain to the certificates in this PEM file"
                    + " (a lab CA, a test server's self-signed certificate) instead of the JDK's trust store; the"
                    + " XMPP domain is still checked.")
    Path upstreamCa;

    @Option(names = "--keep-secrets",
            description = "Store and show passwords as sent instead of masking them. Only on test accounts.")
    boolean keepSecrets;

    @Option(names = "--db", paramLabel = "PATH",
            description = "The capture database to record into (default: a new one under ~/.local/share/xmppscope/captures).")
    Path db;

    @Option(names = "--web", paramLabel = "HOST:PORT", defaultValue = WebOptions.DEFAULT, converter = WebOptionsConverter.class,
            description = "Where the web UI listens (default: ${DEFAULT-VALUE}). Any non-loopback address requires the"
                    + " access token printed at start.")
    WebOptions web;

    @Option(names = "--analysis", paramLabel = "worker|in-process", defaultValue = "worker",
            description = "Where the live analysis runs: 'worker' (default) in a second JVM at idle priority, so that"
                    + " analysing never takes CPU from the relay, not even for the JVM's compiler and collector;"
                    + " 'in-process' in this JVM (one JVM instead of two: less memory, but the analysis's compilation"
                    + " and garbage collection then compete with the relay).")
    String analysis;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "0",
            description = "Threads relaying the connections (default: one per core). Each connection stays on one"
                    + " thread; more threads than cores only makes them preempt each other.")
    int ioThreads;

    @Option(names = "--quiet", description = "Print no line per connection opened and closed; only what starts and stops.")
    boolean quiet;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read settings from a properties file; options on the command line win.")
    Path config;

    @Override
    public Integer call() throws Exception {
        return start().awaitShutdown();
    }

    /** Starts recording and serving; the returned {@link Serving} stops it all. */
    Serving start() {
        if (config != null) {
            ProxyCommand merged = withConfigApplied();
            try {
                return merged.start();
            } catch (CommandLine.ParameterException e) {
                // said as this command's mistake: the merged command's synopsis is not 'xmppscope proxy'
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }
        if (routes.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "no route: give at least one --route LISTEN=UPSTREAM, e.g. --route 127.0.0.1:5222=127.0.0.2:5222");
        }
        if (insecureUpstream && upstreamCa != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--insecure-upstream accepts any upstream certificate and --upstream-ca names the ones to trust: give one");
        }
        try {
            ProxyOptions.requireValidIoThreads(ioThreads); // before anything is created on disk
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean analysisInWorker = analysisInWorker();
        List<X509Certificate> upstreamTrust = upstreamCertificates(); // before anything is created on disk
        List<Route> parsed = parsedRoutes();
        boolean intercepting = parsed.stream().anyMatch(r -> r.tlsMode() == TlsMode.INTERCEPT);
        if (!intercepting && (insecureUpstream || upstreamCa != null)) {
            // most likely --tls intercept was forgotten: the user would see only ciphertext, not knowing why
            spec.commandLine().getErr().printf("xmppscope: %s has no effect: no route intercepts TLS (--tls intercept,"
                    + " or ',tls=intercept' on a route)%n", insecureUpstream ? "--insecure-upstream" : "--upstream-ca");
        }
        CertificateAuthority ca = intercepting ? CertificateAuthority.loadOrCreate(CertificateAuthority.defaultDir()) : null;
        Path dbPath = db != null ? db : DataDirs.newCapture();
        boolean newDatabase = !Files.exists(CaptureStore.dataFile(dbPath));
        PrintWriter out = spec.commandLine().getOut();
        Serving serving = new Serving(spec.commandLine().getErr());
        AtomicBoolean started = new AtomicBoolean();
        try {
            CaptureStore store = CaptureStore.open(dbPath);
            AtomicReference<Recorder> recording = new AtomicReference<>();
            serving.add(() -> closeAfterRecording(store, recording.get()));
            if (store.readOnly()) {
                throw new IllegalArgumentException("cannot record into " + store.file() + ": it is read-only for you;"
                        + " give --db a capture of yours or a new PATH");
            }
            Optional<String> leftOpen = LeftOpen.close(store); // before anything is recorded: none of them is live
            long firstId = store.nextConnectionId();
            // closed after the recorder has written the last close records, before the store
            AtomicReference<List<InetSocketAddress>> listening = new AtomicReference<>(List.of());
            serving.add(() -> {
                if (started.get()) {
                    sayStopped(out, store, firstId, dbPath, recording.get().stopped(), listening.get());
                }
            });
            LiveAnalysis live = analysisInWorker ? LiveAnalysis.inWorker(store) : LiveAnalysis.inProcess(store);
            serving.add(new KeptAtStop(live, store, recording::get, started::get, out)); // closed after the recorder
            Recorder recorder = serving.add(Recorder.start(store, keepSecrets));
            recording.set(recorder);
            Supplier<ListenerState> analysis = recorder.addListenerFromStart(live.feed()); // all of a capture recorded into again
            if (!quiet) {
                recorder.addListener(new ConnectionLog(out));
            }
            // the web UI first: it takes a second to start, and clients that reconnect at once (a restart)
            // had their connections said before the banner that says where they go
            WebServer server = serving.add(WebServer.start(web, ModelSource.recording(live.model(), analysis),
                    List.of(CaptureExportApi.recording(store, analysis, live::stoppedBecause, recorder::stopped))));
            serving.web(server);
            ProxyServer proxy = serving.add(ProxyServer.start(new ProxyOptions(parsed, insecureUpstream, ca, upstreamTrust,
                    ioThreads), recorder));
            serving.add(JitYield.start(proxy::readsRelayed));
            List<InetSocketAddress> bound = proxy.boundAddresses();
            listening.set(bound);
            for (int i = 0; i < parsed.size(); i++) {
                Route r = parsed.get(i);
                out.printf("proxy   %s → %s  (TLS %s)%n", i < bound.size() ? HostPort.of(bound.get(i)) : HostPort.of(r.listen()),
                        HostPort.of(r.upstream()), r.tlsMode().name().toLowerCase());
            }
            out.printf("web UI  %s%n", server.url());
            if (server.options().requiresToken()) {
                out.printf("        (not loopback: every request needs the access token in that URL)%n");
            }
            out.printf("capture %s%n", store.file().toAbsolutePath());
            leftOpen.ifPresent(said -> out.printf("        %s%n", said));
            out.printf("secrets %s%n", keepSecrets ? "KEPT: passwords and tokens are stored as sent (--keep-secrets)"
                    : "masked in the capture (the relayed bytes are unchanged)");
            if (ca != null) {
                out.printf("CA      clients must trust %s%n", ca.certificateFile());
            }
            out.println("Ctrl-C stops the proxy; the capture stays.");
            out.flush();
            started.set(true);
        } catch (RuntimeException e) {
            serving.closeAfter(e);
            if (newDatabase) {
                deleteQuietly(dbPath); // an empty capture of a proxy that never ran is only clutter
            }
            throw e;
        }
        return serving;
    }

    private static void deleteQuietly(Path dbPath) {
        try {
            CaptureStore.delete(dbPath);
        } catch (IOException e) {
            // the start failure is what the user needs to read; the leftover files are harmless
        }
    }

    /**
     * Closes the capture database; after a failed write (a full disk), H2 fails to close it too,
     * which the recording's failure has said already.
     */
    private static void closeAfterRecording(CaptureStore store, Recorder recorder) {
        try {
            store.close();
        } catch (CaptureStoreException e) {
            if (recorder == null || recorder.stopped().isEmpty()) {
                throw e;
            }
        }
    }

    /** What was recorded (and, if recording failed, when and why), and how to see it again. */
    private static void sayStopped(PrintWriter out, CaptureStore store, long firstId, Path dbPath,
                                   Optional<Recorder.Stopped> failed, List<InetSocketAddress> listening) {
        failed.ifPresent(f -> out.printf("stopped: recording failed at %s: %s%n",
                DateTimeFormatter.ISO_LOCAL_TIME.format(f.at().atZone(ZoneId.systemDefault()).toLocalTime().withNano(0)),
                f.reason()));
        try {
            CaptureStore.Totals t = store.totals(firstId);
            out.printf("%s: %,d connection%s recorded (%,d bytes to servers, %,d to clients) in %s%n",
                    failed.isPresent() ? "kept" : "stopped", t.connections(), t.connections() == 1 ? "" : "s",
                    t.bytesToServer(), t.bytesToClient(), store.file().toAbsolutePath());
            if (t.connections() == 0 && failed.isEmpty() && !listening.isEmpty()) {
                // the usual cause: the client still talks to the server directly
                out.printf("        nothing connected to %s: point clients there (for s2s, the other servers' DNS)%n",
                        listening.stream().map(HostPort::of).collect(Collectors.joining(", ")));
            }
        } catch (CaptureStoreException e) {
            // H2 closes a database whose write failed: what it holds is counted when it is opened again
            out.printf("kept: what was recorded before that, in %s%n", store.file().toAbsolutePath());
        }
        out.printf("see it again: xmppscope open %s%n", dbPath);
        out.flush();
    }

    /** Options a config file cannot set: one naming another config file (or itself) would be read without end. */
    private static final List<String> NOT_IN_CONFIG = List.of("--config", "--help", "--version");

    /** A fresh command parsed from the config file's settings followed by this command line's. */
    ProxyCommand withConfigApplied() {
        List<String> known = spec.options().stream().map(OptionSpec::longestName)
                .filter(name -> !NOT_IN_CONFIG.contains(name)).toList();
        List<String> args;
        try {
            args = new ArrayList<>(ConfigFile.toArguments(config, known));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (o.longestName().equals("--config")) {
                continue;
            }
            List<String> values = o.originalStringValues();
            if (values.isEmpty()) {
                args.add(o.longestName());
            }
            for (String v : values) {
                args.add(o.longestName() + "=" + v);
            }
        }
        ProxyCommand fresh = new ProxyCommand();
        CommandLine cl = new CommandLine(fresh);
        cl.setOverwrittenOptionsAllowed(true); // the command line comes last, so it wins
        cl.setOut(spec.commandLine().getOut());
        cl.setErr(spec.commandLine().getErr());
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            // the command line parsed on its own: what fails now is the file's
            throw new CommandLine.ParameterException(spec.commandLine(), "config file " + config + ": " + e.getMessage());
        }
        return fresh;
    }

    /** The certificates of {@code --upstream-ca}, or none; a file without any is an error that names it. */
    private List<X509Certificate> upstreamCertificates() {
        if (upstreamCa == null) {
            return List.of();
        }
        try (InputStream in = Files.newInputStream(upstreamCa)) {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) {
                throw new CertificateException("no certificate in it");
            }
            return certs;
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--upstream-ca " + upstreamCa + ": no such file");
        } catch (IOException | CertificateException e) {
            // a server's key and certificate sit side by side (a.example.key, a.example.crt): an easy slip
            throw new CommandLine.ParameterException(spec.commandLine(), "--upstream-ca " + upstreamCa
                    + (holdsPrivateKey(upstreamCa) ? ": it holds a private key, not a certificate; give the server's"
                            + " certificate, or the CA that signed it"
                            : ": cannot read PEM certificates (" + e.getMessage() + ")"));
        }
    }

    private static boolean holdsPrivateKey(Path pem) {
        try {
            return Files.readString(pem, StandardCharsets.ISO_8859_1).contains("PRIVATE KEY-----");
        } catch (IOException e) {
            return false; // unreadable: the caller says it cannot read it
        }
    }

    private boolean analysisInWorker() {
        return switch (analysis.toLowerCase()) {
            case "worker" -> true;
            case "in-process" -> false;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--analysis must be worker or in-process, not '" + analysis + "'");
        };
    }

    /** The routes as given, each checked; a mistake in one is a usage error that names it. */
    private List<Route> parsedRoutes() {
        try {
            TlsMode defaultMode = parseMode(tls);
            List<Route> parsed = routes.stream().map(r -> Route.parse(r, defaultMode)).toList();
            Route.refuseLoops(parsed);
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static TlsMode parseMode(String mode) {
        return switch (mode.toLowerCase()) {
            case "passthrough" -> TlsMode.PASSTHROUGH;
            case "intercept" -> TlsMode.INTERCEPT;
            default -> throw new IllegalArgumentException("--tls must be passthrough or intercept, not '" + mode + "'");
        };
    }
}
