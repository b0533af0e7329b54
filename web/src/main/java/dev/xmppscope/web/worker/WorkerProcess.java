package dev.xmppscope.web.worker;

import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.index.KeptAnalysis;
import dev.xmppscope.capture.BackgroundThreads;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureStoreException;
import dev.xmppscope.capture.StoredPayloads;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the live analysis in a second JVM ({@link AnalysisWorker}) under the background policy of
 * {@link BackgroundThreads} (idle priority on Linux), feeds it what the recorder commits through
 * its stdin and queries it through a Unix socket in a private temporary directory.
 *
 * <p>If the worker dies, recording goes on: the feed drops what it cannot deliver (it is in the
 * capture; {@code xmppscope open} analyses it later) and the web API answers 503 with the reason.
 */
final class WorkerProcess implements LiveAnalysis {
    /** The private directory of a worker's socket, in the temporary directory; the worker removes it as it exits. */
    static final String SOCKET_DIR_PREFIX = "xmppscope-analysis-";
    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);
    /**
     * JVM options of the worker unless XMPPSCOPE_WORKER_JAVA_OPTS says otherwise: the collector for
     * throughput, with its young generation capped. Uncapped, the parallel collector grew it to
     * 1.9 GB under 20,000 stanzas/s and kept it: the worker held 1.7-2.2 GB of memory for an
     * 80 MB live set; capped at 128 MB it held 0.3-0.47 GB, for the same CPU (17.9-19.6 s against
     * 20.4 s per 60 s of that load). The heap cap bounds a runaway analysis, and exiting on
     * running out of memory ends it cleanly: recording goes on, and the web UI says why.
     */
    private static final List<String> DEFAULT_JVM_OPTIONS = List.of(
            "-XX:+UseParallelGC", "-XX:MaxNewSize=128m", "-Xmx2g", "-XX:+ExitOnOutOfMemoryError");
    private static final long READY_TIMEOUT_SECONDS = 60;
    /** How long closing waits for the worker to analyse what it was fed last and write its index. */
    private static final long EXIT_TIMEOUT_SECONDS = 120;

    private final Process process;
    private final WorkerOutput output;
    private final Path socket;
    private final DataOutputStream stdin;
    private final CaptureSink feed;
    private final RemoteModel model;
    /** Set when a write to the worker failed: it missed what the feed dropped after. */
    private volatile boolean feedBroken;

    private WorkerProcess(Process process, WorkerOutput output, Path socket, RemoteModel model, StoredPayloads payloads) {
        this.process = process;
        this.output = output;
        this.socket = socket;
        this.model = model;
        this.stdin = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
        this.feed = FeedCodec.encoder(stdin, payloads, e -> {
            feedBroken = true;
            if (output.stoppedBecause() == null) { // a reason the worker gave is logged already
                LOG.error("{}", whyGone(process, output));
            }
        });
    }

    static WorkerProcess start(CaptureStore store) {
        Path dir;
        try {
            dir = Files.createTempDirectory(SOCKET_DIR_PREFIX); // owner-only: the socket answers anyone who can reach it
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the analysis worker's socket", e);
        }
        Path socket = dir.resolve("worker.sock");
        Path analysisFile = store.analysisFile().toAbsolutePath();
        Process process = launch(List.of(analysisFile.toString(), store.id(), socket.toString(),
                store.file().toAbsolutePath().toString()));
        WorkerOutput output = new WorkerOutput(process);
        try {
            output.awaitReady();
            return new WorkerProcess(process, output, socket, new RemoteModel(socket, () -> whyGone(process, output)),
                    store.payloads());
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            removeSocket(socket);
            throw e instanceof CaptureStoreException c ? c
                    : new CaptureStoreException("the live analysis could not start: " + e.getMessage()
                            + "; '--analysis in-process' runs it in this process instead", e);
        }
    }

    private static Process launch(List<String> args) {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(jvmOptions());
        java.add("-cp");
        java.add(System.getProperty("java.class.path"));
        List<String> prefix = BackgroundThreads.processPrefix();
        if (!prefix.isEmpty()) {
            java.add("-Dxmppscope.background=normal"); // the whole process is in the background already
        }
        java.add(AnalysisWorker.class.getName());
        java.addAll(args);
        try {
            return start(prefix, java);
        } catch (IOException e) {
            if (prefix.isEmpty()) {
                throw new UncheckedIOException("cannot start the analysis worker (" + java.get(0) + ")", e);
            }
            LOG.info("the live analysis runs at normal priority and may compete with the relay for CPU: {} failed ({})",
                    prefix.get(0), e.getMessage());
            java.remove("-Dxmppscope.background=normal");
            try {
                return start(List.of(), java);
            } catch (IOException again) {
                throw new UncheckedIOException("cannot start the analysis worker (" + java.get(0) + ")", again);
            }
        }
    }

    private static Process start(List<String> prefix, List<String> java) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(java);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static List<String> jvmOptions() {
        String env = System.getenv("XMPPSCOPE_WORKER_JAVA_OPTS");
        return env == null || env.isBlank() ? DEFAULT_JVM_OPTIONS : Arrays.asList(env.trim().split("\\s+"));
    }

    /**
     * The worker's stdout: its READY line, the reason it gives when it stops on a failure (a full
     * disk), and anything else, which goes to the log.
     */
    private static final class WorkerOutput {
        private final Process process;
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        private final Thread reader;
        private volatile String stoppedBecause;
        private volatile boolean kept;
        private volatile String notKeptBecause;

        WorkerOutput(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "xmppscope-worker-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.equals(AnalysisWorker.READY)) {
                        ready.complete(null);
                    } else if (line.equals(AnalysisWorker.KEPT)) {
                        kept = true;
                    } else if (line.startsWith(AnalysisWorker.NOT_KEPT)) {
                        notKeptBecause = line.substring(AnalysisWorker.NOT_KEPT.length());
                    } else if (line.startsWith(AnalysisWorker.STOPPED)) {
                        stoppedBecause = line.substring(AnalysisWorker.STOPPED.length());
                        LOG.error("the live analysis stopped: {}", stoppedBecause);
                    } else {
                        LOG.info("analysis worker: {}", line);
                    }
                }
            } catch (IOException e) {
                LOG.debug("analysis worker stdout: {}", e.toString());
            }
            ready.completeExceptionally(new IOException(exitedEarly(process)));
        }

        /** Waits for the worker's READY line. */
        void awaitReady() throws IOException {
            try {
                ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IOException(e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IOException("the analysis worker was not ready within " + READY_TIMEOUT_SECONDS + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting the analysis worker", e);
            }
        }

        /** The reason the worker gave for stopping, once it has exited and its last line is read; else null. */
        String stoppedBecause() {
            awaitEnd();
            return stoppedBecause;
        }

        /** Whether the worker said it kept its analysis, once it has exited and its last line is read. */
        boolean kept() {
            awaitEnd();
            return kept;
        }

        /** Why the worker said it could not keep its analysis, once it has exited; else null. */
        String notKeptBecause() {
            awaitEnd();
            return notKeptBecause;
        }

        private void awaitEnd() {
            try {
                reader.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String exitedEarly(Process process) {
        OptionalInt exit = exitCode(process, 5_000);
        return exit.isPresent() ? "its worker process exited with " + exit.getAsInt() + " (its message is above)"
                : "its worker process closed its output";
    }

    private static String whyGone(Process process, WorkerOutput output) {
        OptionalInt exit = exitCode(process, 200);
        if (exit.isEmpty()) {
            return "the live analysis does not answer (worker process " + process.pid() + ")";
        }
        String reason = output.stoppedBecause();
        return reason != null ? "the live analysis stopped: " + reason
                : "the live analysis stopped (its worker process exited with " + exit.getAsInt()
                + "; the proxy's terminal shows its log); recording goes on, and 'xmppscope open' analyses the capture later";
    }

    /** The worker's exit code if it ends within {@code millis}. */
    private static OptionalInt exitCode(Process process, long millis) {
        try {
            if (process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                return OptionalInt.of(process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalInt.empty();
    }

    @Override
    public CaptureSink feed() {
        return feed;
    }

    @Override
    public CaptureModel model() {
        return model;
    }

    @Override
    public Optional<String> stoppedBecause() {
        return process.isAlive() ? Optional.empty() : Optional.of(whyGone(process, output));
    }

    @Override
    public OptionalLong workerHeapUsedAfterGc() {
        return OptionalLong.of(model.heapUsedAfterGc());
    }

    /** The worker's process id (tests stop it to see that recording goes on). */
    long pid() {
        return process.pid();
    }

    /**
     * Asks the worker to keep its analysis once it has analysed what it was fed (the last thing on
     * its feed), then closes it as {@link #close} does; the worker says when it kept it.
     */
    @Override
    public Optional<String> closeKeeping(KeptAnalysis.Made made) {
        Optional<String> whyNot = stoppedBecause().or(() -> feedBroken ? Optional.of("its feed broke off") : Optional.empty());
        if (whyNot.isEmpty()) {
            try {
                FeedCodec.writeKeep(stdin, made);
            } catch (IOException e) {
                whyNot = Optional.of("the worker could not be asked to keep it (" + e.getMessage() + ")");
            }
        }
        close();
        if (whyNot.isPresent() || output.kept()) {
            return whyNot;
        }
        if (output.notKeptBecause() != null) {
            return Optional.of(output.notKeptBecause());
        }
        String reason = output.stoppedBecause();
        return Optional.of(reason != null ? "the analysis stopped: " + reason
                : "the analysis worker did not finish (" + (process.isAlive() ? "still running" : "exit code " + process.exitValue()) + ")");
    }

    @Override
    public void close() {
        try {
            stdin.close(); // the end of the feed: the worker analyses the rest, writes its index and exits
        } catch (IOException e) {
            LOG.debug("closing the analysis feed: {}", e.toString());
        }
        try {
            if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("the analysis worker did not finish within {} s; stopping it (reopen the capture to analyse the rest)",
                        EXIT_TIMEOUT_SECONDS);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            model.close();
            removeSocket(socket);
        }
    }

    /**
     * Removes a worker's socket and the private directory it is in ({@link #SOCKET_DIR_PREFIX});
     * the proxy does as it closes the worker, and the worker as it exits, since a proxy killed
     * outright cannot, and each such run left one behind in the temporary directory.
     */
    static void removeSocket(Path socket) {
        try {
            Files.deleteIfExists(socket);
            Path dir = socket.getParent();
            if (dir != null && dir.getFileName().toString().startsWith(SOCKET_DIR_PREFIX)) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", socket, e.toString());
        }
    }
}
