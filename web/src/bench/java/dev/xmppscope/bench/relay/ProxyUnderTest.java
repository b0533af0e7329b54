package dev.xmppscope.bench.relay;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.proxy.CertificateAuthority;
import dev.xmppscope.proxy.ProxyOptions;
import dev.xmppscope.proxy.ProxyServer;
import dev.xmppscope.proxy.Recorder;
import dev.xmppscope.proxy.Route;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * xmppscope as the relay contender, in its own JVM: ProxyServer + Recorder into an H2 file +
 * Analyzer as the Recorder's live listener, wired as {@code xmppscope proxy} wires them (minus
 * the web UI). Speaks {@link ChildJvmRelay}'s line protocol on stdin/stdout.
 *
 * <p>Arguments: {@code ROUTE DB CA_DIR [--no-analysis]}, e.g. {@code 127.9.9.2:0=127.9.9.1:41234
 * work/capture work/ca}. {@code --no-analysis} records without the live analyzer: what recording
 * alone costs.
 */
public final class ProxyUnderTest {
    private ProxyUnderTest() {
    }

    public static void main(String[] args) throws Exception {
        Route route = Route.parse(args[0], TlsMode.PASSTHROUGH);
        try (CaptureStore store = CaptureStore.open(Path.of(args[1]))) {
            CertificateAuthority ca = CertificateAuthority.loadOrCreate(Path.of(args[2]));
            Recorder recorder = Recorder.start(store, false);
            Analyzer analyzer = Analyzer.open(store);
            if (!List.of(args).contains("--no-analysis")) {
                recorder.addListener(analyzer);
            }
            ProxyServer server = ProxyServer.start(new ProxyOptions(List.of(route), false, ca), recorder);
            InetSocketAddress bound = (InetSocketAddress) server.boundAddresses().get(0);
            System.out.println("LISTENING " + bound.getAddress().getHostAddress() + ":" + bound.getPort());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                if (line.equals("heap")) {
                    System.gc();
                    System.gc();
                    System.out.println("HEAP " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                    System.out.flush();
                }
            }
            server.close();
            recorder.close();
            analyzer.close();
        }
    }
}
