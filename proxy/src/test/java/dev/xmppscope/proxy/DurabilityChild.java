package dev.xmppscope.proxy;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.LoopbackBlock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link RecorderDurabilityTest}, which kills it with SIGKILL: a proxy
 * recording a client that sends a numbered element every few milliseconds, printing
 * {@code SENT n} after each one left the client.
 */
public final class DurabilityChild {
    private DurabilityChild() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        LoopbackBlock block = LoopbackBlock.random();
        try (ServerSocket upstream = new ServerSocket()) {
            upstream.bind(new InetSocketAddress(block.address(2), 0));
            Thread sinkThread = new Thread(() -> {
                try (Socket s = upstream.accept(); InputStream in = s.getInputStream()) {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    System.err.println("upstream: " + e);
                }
            });
            sinkThread.setDaemon(true);
            sinkThread.start();
            CaptureStore store = CaptureStore.open(db);
            Recorder recorder = Recorder.start(store, false);
            Route route = Route.parse(block.host(12) + ":0=" + block.host(2) + ":" + upstream.getLocalPort(),
                    TlsMode.PASSTHROUGH);
            ProxyServer proxy = ProxyServer.start(new ProxyOptions(List.of(route), false, null), recorder);
            try (Socket client = new Socket()) {
                client.connect(proxy.boundAddresses().get(0), 10_000);
                OutputStream out = client.getOutputStream();
                out.write("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>".getBytes(StandardCharsets.UTF_8));
                long deadline = System.nanoTime() + 60_000_000_000L;
                for (int i = 0; System.nanoTime() < deadline; i++) {
                    out.write(("<message id='m" + i + "'/>").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    System.out.println("SENT " + i);
                    System.out.flush();
                    Thread.sleep(5);
                }
            }
        }
    }
}
