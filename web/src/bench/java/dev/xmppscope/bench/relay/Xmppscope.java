package dev.xmppscope.bench.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** xmppscope recording into H2 and analyzing live, in its own JVM with -Xmx512m. */
public final class Xmppscope implements Contender {
    @Override
    public String name() {
        return "xmppscope";
    }

    @Override
    public Relay start(InetSocketAddress upstream, Path workDir) throws IOException {
        String listen = upstream.getAddress().getHostAddress() + ":0";
        String route = listen + "=" + upstream.getAddress().getHostAddress() + ":" + upstream.getPort();
        return ChildJvmRelay.start(ProxyUnderTest.class.getName(), List.of("-Xmx512m", "-XX:+UseG1GC"),
                List.of(route, workDir.resolve("capture/capture").toString(), workDir.resolve("ca").toString()), workDir)
                .deleteOnClose(workDir.resolve("capture"));
    }
}
