package dev.xmppscope.bench.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** An external relay (haproxy, socat) run as a child process with its output in a log file. */
final class RelayProcess implements Relay {
    private final Process process;
    private final InetSocketAddress address;

    private RelayProcess(Process process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    static RelayProcess start(List<String> command, InetSocketAddress listen, Path log) throws InterruptedException {
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            LoopbackPorts.awaitListening(listen, 10_000, p);
            return new RelayProcess(p, listen);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0) + " (run .ci/install-deps): " + e.getMessage(), e);
        }
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public void close() {
        // socat forks one child per connection: end the children we started too, then the parent
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
