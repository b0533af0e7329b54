package dev.xmppscope.bench.relay;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** socat forking one relay process per connection: the simplest relay people reach for. */
public final class Socat implements Contender {
    @Override
    public String name() {
        return "socat";
    }

    @Override
    public boolean cpuMeasurable() {
        return false;
    }

    @Override
    public Relay start(InetSocketAddress upstream, Path workDir) throws InterruptedException {
        InetSocketAddress listen = LoopbackPorts.freePort(upstream.getAddress());
        return RelayProcess.start(List.of("socat",
                "TCP-LISTEN:" + listen.getPort() + ",bind=" + listen.getAddress().getHostAddress() + ",reuseaddr,fork,backlog=4096",
                "TCP:" + upstream.getAddress().getHostAddress() + ":" + upstream.getPort()),
                listen, workDir.resolve("socat.log"));
    }
}
