package dev.xmppscope.bench.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * xmppscope recording into H2 and analyzing live, in its own JVM with the {@code ./xmppscope}
 * launcher's JVM options (G1). {@link #onTmpfs()} is the same with the
 * capture in RAM ({@code /dev/shm}): it separates what the software costs from what the disk
 * allows. {@link #withHeapCap()} caps the heap at 512 MB, for the idle-streams target.
 */
public final class Xmppscope implements Contender {
    private static final Path TMPFS = Path.of("/dev/shm");
    /** What {@code ./xmppscope} passes to java unless XMPPSCOPE_JAVA_OPTS says otherwise. */
    private static final List<String> LAUNCHER_JVM_OPTIONS = List.of("-XX:+UseG1GC");
    private final boolean tmpfs;
    private final List<String> jvmOptions;

    public Xmppscope() {
        this(false, LAUNCHER_JVM_OPTIONS);
    }

    private Xmppscope(boolean tmpfs, List<String> jvmOptions) {
        this.tmpfs = tmpfs;
        this.jvmOptions = jvmOptions;
    }

    /** The same contender writing its capture to tmpfs; null when the machine has no /dev/shm. */
    public static Contender onTmpfs() {
        return Files.isDirectory(TMPFS) && Files.isWritable(TMPFS) ? new Xmppscope(true, LAUNCHER_JVM_OPTIONS) : null;
    }

    /** The same contender with its heap capped at 512 MB ({@code -Xmx512m}). */
    public static Contender withHeapCap() {
        return new Xmppscope(false, List.of("-Xmx512m", "-XX:+UseG1GC"));
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
        return ChildJvmRelay.start(ProxyUnderTest.class.getName(), jvmOptions,
                List.of(route, captureDir.resolve("capture").toString(), workDir.resolve("ca").toString()), workDir)
                .deleteOnClose(captureDir);
    }
}
