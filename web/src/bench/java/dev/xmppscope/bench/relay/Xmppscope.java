package dev.xmppscope.bench.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * xmppscope recording into H2 and analyzing live, in its own JVM with -Xmx512m and ZGC (as the
 * {@code ./xmppscope} launcher runs it). {@link #onTmpfs()}
 * is the same with the capture in RAM ({@code /dev/shm}): it separates what the software costs
 * from what the disk allows.
 */
public final class Xmppscope implements Contender {
    private static final Path TMPFS = Path.of("/dev/shm");
    private final boolean tmpfs;

    public Xmppscope() {
        this(false);
    }

    private Xmppscope(boolean tmpfs) {
        this.tmpfs = tmpfs;
    }

    /** The same contender writing its capture to tmpfs; null when the machine has no /dev/shm. */
    public static Contender onTmpfs() {
        return Files.isDirectory(TMPFS) && Files.isWritable(TMPFS) ? new Xmppscope(true) : null;
    }

    @Override
    public String name() {
        return tmpfs ? "xmppscope (tmpfs)" : "xmppscope";
    }

    @Override
    public Relay start(InetSocketAddress upstream, Path workDir) throws IOException {
        String listen = upstream.getAddress().getHostAddress() + ":0";
        String route = listen + "=" + upstream.getAddress().getHostAddress() + ":" + upstream.getPort();
        Path captureDir = tmpfs ? Files.createTempDirectory(TMPFS, "xmppscope-bench-") : workDir.resolve("capture");
        return ChildJvmRelay.start(ProxyUnderTest.class.getName(), List.of("-Xmx512m", "-XX:+UseZGC"),
                List.of(route, captureDir.resolve("capture").toString(), workDir.resolve("ca").toString()), workDir)
                .deleteOnClose(captureDir);
    }
}
