package dev.xmppscope.bench.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * xmppscope recording into H2 and analyzing live (in its analysis worker JVM, as
 * {@code xmppscope proxy} does by default), in its own JVM with the {@code ./xmppscope}
 * launcher's JVM options (G1). {@link #onTmpfs()} is the same with the capture in RAM
 * ({@code /dev/shm}): it separates what the software costs from what the disk allows.
 * {@link #withHeapCap()} caps the heap at 512 MB, for the idle-streams target.
 * {@link #recordingOnly()} records without analyzing: it separates what recording costs from what
 * the live analysis adds; {@link #keepingSecrets()} records with no secret masked: what the redactor costs;
 * {@link #relayOnly()} stores nothing: what the JVM relay costs by itself. {@link #analysisInProcess()} analyzes in the relay's JVM
 * ({@code --analysis in-process}).
 */
public final class Xmppscope implements Contender {
    private static final Path TMPFS = Path.of("/dev/shm");
    /** What {@code ./xmppscope} passes to java unless XMPPSCOPE_JAVA_OPTS says otherwise. */
    private static final List<String> LAUNCHER_JVM_OPTIONS = List.of("-XX:+UseG1GC");
    /** The name of {@link #recordingOnly()} in tables and results. */
    public static final String RECORDING_ONLY = "xmppscope (recording only)";
    /** The name of {@link #relayOnly()} in tables and results. */
    public static final String RELAY_ONLY = "xmppscope (relay only, nothing stored)";
    /** The name of {@link #keepingSecrets()} in tables and results. */
    public static final String KEEPING_SECRETS = "xmppscope (--keep-secrets)";
    /** The name of {@link #analysisInProcess()} in tables and results. */
    public static final String IN_PROCESS = "xmppscope (analysis in-process)";
    private final String name;
    private final boolean tmpfs;
    private final List<String> jvmOptions;
    private final List<String> analysisArgs;

    public Xmppscope() {
        this("xmppscope", false, LAUNCHER_JVM_OPTIONS, List.of());
    }

    private Xmppscope(String name, boolean tmpfs, List<String> jvmOptions, List<String> analysisArgs) {
        this.name = name;
        this.tmpfs = tmpfs;
        this.jvmOptions = jvmOptions;
        this.analysisArgs = analysisArgs;
    }

    /** The same contender without the live analysis. */
    public static Contender recordingOnly() {
        return new Xmppscope(RECORDING_ONLY, false, LAUNCHER_JVM_OPTIONS, List.of("--no-analysis"));
    }

    /** The same contender keeping secrets ({@code --keep-secrets}): what masking them costs is the difference. */
    public static Contender keepingSecrets() {
        return new Xmppscope(KEEPING_SECRETS, false, LAUNCHER_JVM_OPTIONS, List.of("--keep-secrets"));
    }

    /** The same relay storing nothing (its tap's records are dropped): what relaying in the JVM costs before recording. */
    public static Contender relayOnly() {
        return new Xmppscope(RELAY_ONLY, false, LAUNCHER_JVM_OPTIONS, List.of("--no-recording"));
    }

    /** The same contender with the live analysis in the relay's JVM instead of a worker. */
    public static Contender analysisInProcess() {
        return new Xmppscope(IN_PROCESS, false, LAUNCHER_JVM_OPTIONS, List.of("--analysis-in-process"));
    }

    /** The same contender writing its capture to tmpfs; null when the machine has no /dev/shm. */
    public static Contender onTmpfs() {
        return Files.isDirectory(TMPFS) && Files.isWritable(TMPFS)
                ? new Xmppscope("xmppscope (tmpfs)", true, LAUNCHER_JVM_OPTIONS, List.of()) : null;
    }

    /** The same contender with its heap capped at 512 MB ({@code -Xmx512m}). */
    public static Contender withHeapCap() {
        return new Xmppscope("xmppscope", false, List.of("-Xmx512m", "-XX:+UseG1GC"), List.of());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Relay start(InetSocketAddress upstream, Path workDir) throws IOException {
        String listen = upstream.getAddress().getHostAddress() + ":0";
        String route = listen + "=" + upstream.getAddress().getHostAddress() + ":" + upstream.getPort();
        Path captureDir = tmpfs ? Files.createTempDirectory(TMPFS, "xmppscope-bench-") : workDir.resolve("capture");
        List<String> args = new ArrayList<>(List.of(route, captureDir.resolve("capture").toString(),
                workDir.resolve("ca").toString()));
        args.addAll(analysisArgs);
        return ChildJvmRelay.start(ProxyUnderTest.class.getName(), jvmOptions, args, workDir).deleteOnClose(captureDir);
    }
}
