package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.route.RouteCorrelator;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.TestCertificates;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.X509TrustManager;

/**
 * What the live analyzer tests watch: real Prosody servers with the recording proxy on every
 * link (TLS intercepted) and an analyzer fed by its recorder. Clients log in through the proxy,
 * with STARTTLS, as USER with the password USER-pw.
 */
final class AnalyzedFederation implements AutoCloseable {
    final Federation servers;
    final RecordingProxy proxy;
    final Analyzer analyzer;
    private final X509TrustManager trust;

    private AnalyzedFederation(Federation servers, RecordingProxy proxy, Analyzer analyzer) {
        this.servers = servers;
        this.proxy = proxy;
        this.analyzer = analyzer;
        this.trust = TestCertificates.trustManager(proxy.ca().certificate());
        proxy.recorder().addListener(analyzer);
    }

    static AnalyzedFederation start(Federation.Builder servers, Path tmp) throws Exception {
        return start(servers, tmp, RouteCorrelator.DEFAULT_WINDOW_NANOS);
    }

    /** As above, the analyzer matching hops within {@code routeWindowNanos}. */
    static AnalyzedFederation start(Federation.Builder servers, Path tmp, long routeWindowNanos) throws Exception {
        Federation fed = servers.start(tmp);
        RecordingProxy proxy = null;
        try {
            proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.INTERCEPT, true, false);
            return new AnalyzedFederation(fed, proxy, Analyzer.open(proxy.store(), routeWindowNanos));
        } catch (Exception | Error e) {
            try (fed; RecordingProxy started = proxy) {
                throw e;
            }
        }
    }

    XmppClient login(String domain, String user, String resource) {
        return XmppClient.options(domain, servers.relayC2s(domain)).startTls(trust).resource(resource).login(user, user + "-pw");
    }

    /**
     * alice (laptop) sends bob (phone) {@code body} and bob gets it, so the servers' streams to each
     * other are up; the clients then log out.
     */
    void messageAcross(String body) {
        try (XmppClient bob = login("b.example", "bob", "phone");
             XmppClient alice = login("a.example", "alice", "laptop")) {
            alice.send("bob@b.example", body);
            bob.awaitMessage(body, Duration.ofSeconds(20));
        } catch (AssertionError | RuntimeException e) {
            throw withDiagnostics(e);
        }
    }

    /** The first connection the analysis shows that {@code p} accepts, once it shows one (within 20 s). */
    ConnectionView awaitConnection(Predicate<ConnectionView> p, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<ConnectionView> found = analyzer.connections().stream().filter(p).toList();
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the analysis never showed " + what + ": " + analyzer.connections());
    }

    /** {@code e}, with what the servers logged: for a failure while the clients talk. */
    AssertionError withDiagnostics(Throwable e) {
        return new AssertionError(e.getMessage() + "\n" + servers.diagnostics(), e);
    }

    @Override
    public void close() {
        try (servers; proxy; analyzer) {
            // closed in reverse: the analyzer, then the proxy, then the servers
        }
    }
}
