package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.Requirements;
import dev.xmppscope.web.HeadlessChromium;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A full disk under each command that writes. The proxy: the relay goes on, byte for byte; the
 * recording stops and says why (one log line, the API, the top bar, the summary at exit), and so
 * does the live analysis, in its worker or in the proxy's JVM; the capture keeps what came
 * before. {@code open}: the disk is full, not a bug in a stream. {@code export}: no truncated
 * file, the older one kept. {@code import}: no part of a file passing for the import. Each disk
 * is a real one: a small tmpfs mounted in a mount namespace of the child JVM's own ({@code
 * unshare -rm}, no root needed); what the test looks at afterwards is copied out or printed
 * before the namespace ends.
 */
class DiskFullTest {
    private static final String HEADER = "<?xml version='1.0'?><stream:stream to='a.example' xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
    private static final long SENT_BYTES = 24L << 20; // three times the disk
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"worker", "in-process"})
    void whenTheDiskFillsTheRelayGoesOnAndTheRecordingStopsSayingWhyKeepingWhatCameBefore(String analysis) throws Exception {
        requireMountNamespaces();
        Path mount = Files.createDirectories(tmp.resolve("disk"));
        Path kept = Files.createDirectories(tmp.resolve("kept"));
        byte[] sent = stanzas(SENT_BYTES);
        String output;
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(upstream));
            int listen = ChildShell.freeLoopbackPort();
            int web = ChildShell.freeLoopbackPort();
            try (ChildShell proxy = ChildShell.inOwnMountNamespace(tmp, "mount -t tmpfs -o size=8m tmpfs \"$1\" && \"$3\" -Xmx256m -cp \"$4\" "
                            + Main.class.getName() + " proxy --quiet --route \"127.0.0.1:$5=127.0.0.1:$6\" --db \"$1/cap\""
                            + " --web \"127.0.0.1:$7\" --analysis \"$8\"; status=$?; cp -a \"$1/.\" \"$2/\"; exit $status",
                    mount.toString(), kept.toString(), ChildShell.java(), System.getProperty("java.class.path"),
                    String.valueOf(listen), String.valueOf(upstream.getLocalPort()), String.valueOf(web), analysis)) {
                proxy.awaitOutput("Ctrl-C stops the proxy");
                assertTrue(proxy.output().contains("secrets masked in the capture"), "the banner says secrets are masked");
                send(sent, listen);
                assertArrayEquals(sent, received.get(60, TimeUnit.SECONDS), "the relay passed every byte on unchanged");
                assertTheUiSaysRecordingStopped("http://127.0.0.1:" + web + "/", analysis);
                output = proxy.stop();
            }
        }
        assertEquals(1, ChildShell.occurrences(output, "recording stopped: cannot write "), "said once, when it happened:\n" + output);
        assertTrue(output.contains("Free some space, or give --db a disk with room, and restart the proxy."), output);
        assertTrue(output.matches("(?s).*\nstopped: recording failed at \\d\\d:\\d\\d:\\d\\d: cannot write .*"
                + "No space left on device \\(the disk is full\\)\n.*\nsee it again: xmppscope open .*"), output);
        ChildShell.assertSaidNone(output, "no stack trace or internal name for a full disk", "\tat ", "Exception", "a bug",
                "$$Lambda", "Self-suppression");

        // what was recorded before the disk filled: a true prefix of what the client sent, and it opens
        try (CaptureStore store = CaptureStore.open(kept.resolve("cap")).analyzeInForeground()) {
            byte[] recorded = RecordingProxy.read(store).bytes(1, Direction.TO_SERVER, TlsLayer.PLAIN);
            assertTrue(recorded.length > 2 << 20 && recorded.length < sent.length, "recorded " + recorded.length);
            assertArrayEquals(Arrays.copyOf(sent, recorded.length), recorded);
            try (Analyzer analyzer = Analyzer.open(store); CaptureReader reader = store.newReader()) {
                reader.replay(analyzer);
                ConnectionView c = analyzer.connections().get(0);
                assertTrue(c.stanzaCount() > 1000, c.toString());
            }
        }
    }

    /**
     * Sends {@code stream} through the proxy at 8 MB/s, as a busy server link might carry: the
     * recorder commits every 100 ms at the latest, so what it loses when the disk fills is the
     * batch it was writing then.
     */
    private static void send(byte[] stream, int port) throws IOException {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = client.getOutputStream();
            long start = System.nanoTime();
            for (int at = 0; at < stream.length; at += 16 << 10) {
                out.write(stream, at, Math.min(16 << 10, stream.length - at));
                LockSupport.parkNanos(start + at * 125L - System.nanoTime());
            }
            client.shutdownOutput();
        }
    }

    /** The API and the top bar say that recording stopped, when and why. */
    private static void assertTheUiSaysRecordingStopped(String base, String analysis) throws Exception {
        JsonNode recording = JSON.readTree(get(base + "api/capture")).get("recording");
        assertEquals("stopped", recording.get("state").asText(), recording.toString());
        assertTrue(recording.get("reason").asText().matches("cannot write .*: No space left on device \\(the disk is full\\)"),
                recording.toString());
        try (HeadlessChromium browser = new HeadlessChromium(1400, 700)) {
            browser.driver.get(base);
            new WebDriverWait(browser.driver, Duration.ofSeconds(30))
                    .until(d -> d.findElement(By.id("live-text")).getText().equals("live · recording stopped"));
            String why = browser.driver.findElement(By.cssSelector(".topbar .status")).getAttribute("title");
            assertTrue(why.startsWith("Recording stopped at ") && why.contains(recording.get("reason").asText())
                    && why.contains("The proxy goes on relaying every connection"), why);
            browser.screenshot("proxy-recording-stopped-disk-full-" + analysis);
        }
    }

    @Test
    void openingACaptureOnAFullDiskSaysTheDiskIsFull() throws Exception {
        requireMountNamespaces();
        Path capture = Files.createDirectories(tmp.resolve("capture"));
        CaptureStore.open(capture.resolve("cap")).close();
        assertSaysTheDiskIsFull(openOnASmallDisk(capture, "4m", true));
    }

    /**
     * The disk has room for the capture but not for its analysis: the index's writes fail part way.
     * That is the disk's problem, not a bug in the stream being analysed.
     */
    @Test
    void whenTheDiskFillsDuringAnAnalysisOpenSaysSoInsteadOfBlamingAStream() throws Exception {
        requireMountNamespaces();
        Path capture = sixMegabyteCapture();
        long captureKiB = 0;
        try (var files = Files.list(capture)) {
            for (Path f : files.toList()) {
                captureKiB += Files.size(f) / 1024 + 4;
            }
        }
        // 1 MiB over the capture: room to open it, not for the index of 6 MB of stanzas
        assertSaysTheDiskIsFull(openOnASmallDisk(capture, (captureKiB + 1024) + "k", false));
    }

    /** An export that does not fit leaves no truncated file, and the file it was to replace as it was. */
    @Test
    void anExportToAFullDiskLeavesNothingHalfWrittenAndTheOlderFileAsItWas() throws Exception {
        requireMountNamespaces();
        Path capture = sixMegabyteCapture();
        Path mount = Files.createDirectories(tmp.resolve("disk"));
        String output;
        try (ChildShell export = ChildShell.inOwnMountNamespace(tmp, "mount -t tmpfs -o size=1m tmpfs \"$1\" && echo 'an older export' > \"$1/x.pcapng\""
                        + " && \"$3\" -cp \"$4\" " + Main.class.getName() + " export --db \"$2/cap\" --out \"$1/x.pcapng\";"
                        + " status=$?; echo \"left: $(ls -A \"$1\")\"; cat \"$1/x.pcapng\"; exit $status",
                mount.toString(), capture.toString(), ChildShell.java(), System.getProperty("java.class.path"))) {
            assertEquals(1, export.exitCode(), export.output());
            output = export.output();
        }
        assertTrue(output.contains("xmppscope: cannot write " + mount.resolve("x.pcapng") + ": No space left on device\n"
                + "xmppscope: free some space on that disk, or use one with room"), output);
        assertTrue(output.endsWith("left: x.pcapng\nan older export\n"), output);
    }

    /** An import into a new database that does not fit removes that database again: a part of a file would pass for it. */
    @Test
    void anImportIntoANewDatabaseOnAFullDiskLeavesNoPartOfIt() throws Exception {
        requireMountNamespaces();
        Path xscap = tmp.resolve("six.xscap");
        try (CaptureStore store = CaptureStore.open(sixMegabyteCapture().resolve("cap"))) {
            CaptureFiles.export(store, xscap, Map.of(), ProgressBar.NONE);
        }
        Path mount = Files.createDirectories(tmp.resolve("disk"));
        String output;
        try (ChildShell importing = ChildShell.inOwnMountNamespace(tmp, "mount -t tmpfs -o size=1m tmpfs \"$1\" && \"$3\" -cp \"$4\" "
                        + Main.class.getName() + " import \"$2\" --db \"$1/imported\"; status=$?; echo \"left: $(ls -A \"$1\")\";"
                        + " exit $status",
                mount.toString(), xscap.toString(), ChildShell.java(), System.getProperty("java.class.path"))) {
            assertEquals(1, importing.exitCode(), importing.output());
            output = importing.output();
        }
        assertTrue(output.contains("No space left on device (the disk is full); imported.mv.db was created by this import"
                + " and is removed again\nxmppscope: free some space on that disk"), output);
        assertTrue(output.endsWith("left: \n"), output);
    }

    /** A capture of one client stream, 6 MB of short messages whose bodies the analysis file compresses little. */
    private Path sixMegabyteCapture() throws IOException {
        Path capture = Files.createDirectories(tmp.resolve("capture"));
        byte[] stream = stanzas(6L << 20, new Random(7));
        try (CaptureStore store = CaptureStore.open(capture.resolve("cap")); CaptureWriter w = store.newWriter()) {
            w.opened(new ConnectionOpened(1, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", "127.0.0.1:40001",
                    "127.0.0.2:5222", TlsMode.PASSTHROUGH, 1_000));
            for (int at = 0, seq = 1; at < stream.length; at += 16 << 10, seq++) {
                w.chunk(Chunk.of(1, seq, Direction.TO_SERVER, 1_000 + seq, TlsLayer.PLAIN, at,
                        Arrays.copyOfRange(stream, at, Math.min(stream.length, at + (16 << 10)))));
            }
        }
        return capture;
    }

    /** {@code xmppscope open} of a copy of {@code capture} on a tmpfs of {@code size}, filled up first if {@code fill}; its output. */
    private String openOnASmallDisk(Path capture, String size, boolean fill) throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("disk"));
        try (ChildShell open = ChildShell.inOwnMountNamespace(tmp, "mount -t tmpfs -o size=" + size + " tmpfs \"$1\" && cp -a \"$2/.\" \"$1/\""
                        + (fill ? " && { dd if=/dev/zero of=\"$1/filler\" bs=64k 2>/dev/null; true; }" : "")
                        + " && exec \"$3\" -cp \"$4\" " + Main.class.getName() + " open \"$1/cap\" --web 127.0.0.1:0",
                mount.toString(), capture.toString(), ChildShell.java(), System.getProperty("java.class.path"))) {
            assertEquals(1, open.exitCode(), open.output());
            return open.output();
        }
    }

    /** Said once, plainly, with what to do: no stack trace, no H2 internals, no "a bug". */
    private static void assertSaysTheDiskIsFull(String output) {
        assertEquals(1, ChildShell.occurrences(output, "No space left on device"), output);
        assertTrue(output.contains(": No space left on device (the disk is full)\nxmppscope: free some space on that disk,"
                + " or use one with room (a capture moves with its .mv.db and .payloads files)"), output);
        ChildShell.assertSaidNone(output, "a full disk is said once, plainly", "\tat ", "Exception", "a bug", "caused by",
                "WARN", "ERROR");
    }

    /** A clear failure, not a skip, where the small disk cannot be made (util-linux missing, user namespaces off). */
    private static void requireMountNamespaces() throws Exception {
        Requirements.require("unshare");
        Process p = new ProcessBuilder("unshare", "-rm", "true").redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "this test mounts a small tmpfs in a user and mount namespace of its own"
                + " ('unshare -rm'), which failed: " + said + " (on Debian: sysctl kernel.unprivileged_userns_clone=1)");
    }

    /** A client stream: the header, then chat messages up to about {@code bytes}. */
    private static byte[] stanzas(long bytes) {
        return stanzas(bytes, null);
    }

    /**
     * Like {@link #stanzas(long)}, each body 100 random letters if {@code random} is given: a stanza's
     * summary quotes its body, which the index then compresses little, and many short stanzas make an
     * index larger than the 1 MiB a test leaves for it (the index points at the stanzas' bytes in
     * the capture, and does not copy them).
     */
    private static byte[] stanzas(long bytes, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) bytes + 4096);
        out.writeBytes(HEADER.getBytes(StandardCharsets.UTF_8));
        String body = "x".repeat(900);
        for (int i = 0; out.size() < bytes; i++) {
            if (random != null) {
                body = random.ints(100, 'a', 'z' + 1).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                        StringBuilder::append).toString();
            }
            out.writeBytes(("<message to='bob@a.example' type='chat' id='m" + i + "'><body>" + body + "</body></message>")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** Everything the proxy relays to the upstream, until it half-closes. */
    private static byte[] readAll(ServerSocket upstream) {
        try (Socket s = upstream.accept(); InputStream in = s.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("the upstream lost the relayed stream: " + e, e);
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
