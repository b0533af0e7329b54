package dev.xmppscope.bench.relay;

import dev.xmppscope.proxy.OpenFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** HAProxy from Debian in {@code mode tcp}: the production-grade TCP relay to beat. */
public final class Haproxy implements Contender {
    @Override
    public String name() {
        return "haproxy";
    }

    @Override
    public Relay start(InetSocketAddress upstream, Path workDir) throws IOException, InterruptedException {
        InetSocketAddress listen = LoopbackPorts.freePort(upstream.getAddress());
        Path cfg = workDir.resolve("haproxy.cfg");
        Files.createDirectories(workDir);
        Files.writeString(cfg, """
                global
                  maxconn %d
                defaults
                  mode tcp
                  timeout connect 5s
                  timeout client 1h
                  timeout server 1h
                frontend xmpp
                  bind %s:%d
                  default_backend sink
                backend sink
                  server sink %s:%d
                """.formatted(maxConnections(), listen.getAddress().getHostAddress(), listen.getPort(),
                upstream.getAddress().getHostAddress(), upstream.getPort()));
        return RelayProcess.start(List.of("haproxy", "-db", "-f", cfg.toString()), listen, workDir.resolve("haproxy.log"));
    }

    /** Two descriptors per relayed stream; haproxy refuses to start if maxconn needs more than the limit. */
    static int maxConnections() {
        return Math.max(100, Math.min(40_000, (OpenFiles.limit() - 200) / 2));
    }
}
