package dev.xmppscope.bench.relay;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.proxy.CertificateAuthority;
import dev.xmppscope.proxy.ProxyOptions;
import dev.xmppscope.proxy.JitYield;
import dev.xmppscope.proxy.ProxyServer;
import dev.xmppscope.proxy.Recorder;
import dev.xmppscope.proxy.Route;
import dev.xmppscope.web.worker.LiveAnalysis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * xmppscope as the relay contender, in its own JVM: ProxyServer + Recorder into an H2 file +
 * the live analysis (in its worker JVM) fed by the Recorder, wired as {@code xmppscope proxy}
 * wires them (minus the web UI). Speaks {@link ChildJvmRelay}'s line protocol on stdin/stdout;
 * the heap it reports includes the worker's.
 *
 * <p>Arguments: {@code ROUTE DB CA_DIR [--no-analysis | --analysis-in-process | --no-recording] [--keep-secrets]}, e.g.
 * {@code 127.9.9.2:0=127.9.9.1:41234 work/capture work/ca}. {@code --no-analysis} records without
 * the live analysis: what recording alone costs; {@code --analysis-in-process} is
 * {@code xmppscope proxy --analysis in-process}; {@code --no-recording} relays with the tap's
 * records dropped: what the JVM relay itself costs, before anything is stored; {@code --keep-secrets}
 * records without masking secrets, as {@code xmppscope proxy --keep-secrets}.
 */
public final class ProxyUnderTest {
    private ProxyUnderTest() {
    }

    public static void main(String[] args) throws Exception {
        Route route = Route.parse(args[0], TlsMode.PASSTHROUGH);
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(Path.of(args[2]));
        List<String> options = List.of(args);
        if (options.contains("--no-recording")) {
            relayOnly(route, ca); // no store opened: no H2 threads either
            return;
        }
        try (CaptureStore store = CaptureStore.open(Path.of(args[1]))) {
            LiveAnalysis live = options.contains("--no-analysis") ? null
                    : options.contains("--analysis-in-process") ? LiveAnalysis.inProcess(store) : LiveAnalysis.inWorker(store);
            Recorder recorder = Recorder.start(store, options.contains("--keep-secrets"));
            if (live != null) {
                recorder.addListener(live.feed());
            }
            ProxyServer server = ProxyServer.start(new ProxyOptions(List.of(route), false, ca), recorder);
            JitYield jit = JitYield.start(server::readsRelayed); // as xmppscope proxy does
            serve(server, () -> live == null ? 0 : live.workerHeapUsedAfterGc().orElse(0));
            jit.close();
            server.close();
            recorder.close();
            if (live != null) {
                live.close();
            }
        }
    }

    /** Announces where the relay listens, then answers {@code heap} (adding {@code otherHeap}) until {@code quit}. */
    private static void serve(ProxyServer server, LongSupplier otherHeap) throws IOException {
        InetSocketAddress bound = (InetSocketAddress) server.boundAddresses().get(0);
        System.out.println("LISTENING " + bound.getAddress().getHostAddress() + ":" + bound.getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            if (line.equals("heap")) {
                System.gc();
                System.gc();
                System.out.println("HEAP " + (ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + otherHeap.getAsLong()));
                System.out.flush();
            }
        }
    }

    /** The relay with a sink that drops every record: the tap still copies each chunk, nothing is stored. */
    private static void relayOnly(Route route, CertificateAuthority ca) throws Exception {
        ProxyServer server = ProxyServer.start(new ProxyOptions(List.of(route), false, ca), CaptureSink.discarding());
        try (JitYield jit = JitYield.start(server::readsRelayed)) {
            serve(server, () -> 0L);
        }
        server.close();
    }
}
