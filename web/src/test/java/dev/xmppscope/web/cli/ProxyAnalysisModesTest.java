package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xmppscope.web.HeadlessChromium;
import dev.xmppscope.web.worker.AnalysisWorker;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * {@code xmppscope proxy --analysis worker|in-process}: both show what the proxy records; with
 * the worker (the default) the analysis is a second process at idle priority, and when it dies
 * the proxy keeps recording and the API says why it cannot answer.
 */
class ProxyAnalysisModesTest {
    private static final String HEADER = "<?xml version='1.0'?><stream:stream to='a.example' xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"worker", "in-process"})
    void eitherWayTheWebUiShowsWhatWasRecorded(String mode) throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Serving proxy = start(upstream, mode);
            try {
                assertEquals(mode.equals("worker"), worker().isPresent(), "a worker process only in worker mode");
                sendStreamHeader(upstream);
                JsonNode connection = awaitConnection(proxy);
                assertEquals("a.example", connection.get("streamTo").asText(), connection.toString());
                assertTrue(connection.get("bytesIn").asLong() >= HEADER.length(), connection.toString());
            } finally {
                proxy.closeAll();
            }
            assertTrue(worker().isEmpty(), "stopping the proxy ends its worker");
        }
    }

    /**
     * A proxy started again on its capture shows what the last run recorded at once, beside what it
     * records now; it showed nothing until new traffic came, and then only that. Its terminal log
     * does not print the past again.
     */
    @ParameterizedTest
    @ValueSource(strings = {"worker", "in-process"})
    void aProxyStartedAgainOnItsCaptureShowsWhatTheLastRunRecorded(String mode) throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Serving first = start(upstream, mode);
            try {
                sendStreamHeader(upstream);
                awaitConnection(first);
            } finally {
                first.closeAll();
            }
            StringWriter said = new StringWriter();
            Serving again = start(upstream, mode, new PrintWriter(said, true));
            try {
                JsonNode earlier = awaitConnection(again);
                assertEquals(1, earlier.get("id").asLong(), earlier.toString());
                sendStreamHeader(upstream);
                long deadline = System.nanoTime() + RealFederationWebTest.WAIT.toNanos();
                while (RealFederationWebTest.get(again, "/api/connections").get("items").size() < 2) {
                    assertFalse(System.nanoTime() > deadline, "the new run's connection never showed");
                    Thread.sleep(50);
                }
            } finally {
                again.closeAll();
            }
            assertFalse(said.toString().contains("#1 "), said.toString());
            assertTrue(said.toString().contains("#2 opened"), said.toString());
        }
    }

    @Test
    void whenTheWorkerDiesRecordingGoesOnAndTheApiAndTheTopBarSayWhy() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Serving proxy = start(upstream, "worker");
            try {
                ProcessHandle worker = worker().orElseThrow();
                worker.destroyForcibly();
                worker.onExit().get();
                sendStreamHeader(upstream); // still relayed and recorded
                HttpResponse<String> r = RealFederationWebTest.HTTP.send(HttpRequest.newBuilder(
                        URI.create(proxy.web().url() + "api/connections")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(503, r.statusCode(), r.body());
                assertTrue(r.body().contains("the live analysis stopped") && r.body().contains("recording goes on"), r.body());
                JsonNode analysis = RealFederationWebTest.get(proxy, "/api/capture").get("analysis");
                assertEquals("stopped", analysis.get("state").asText(), analysis.toString());
                assertTrue(analysis.get("reason").asText().contains("recording goes on"), analysis.toString());
                try (HeadlessChromium browser = new HeadlessChromium(1400, 700)) {
                    browser.driver.get(proxy.web().url());
                    WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
                    wait.until(d -> liveText(d).equals("live · analysis stopped"));
                    Thread.sleep(2500); // past the next look at /api/capture: it stays said
                    assertEquals("live · analysis stopped", liveText(browser.driver));
                    String why = browser.driver.findElement(By.cssSelector(".topbar .status")).getAttribute("title");
                    assertTrue(why.contains("the live analysis stopped") && why.contains("recording goes on"), why);
                    String pane = browser.driver.findElement(By.cssSelector("#timeline .empty-note")).getText();
                    assertTrue(pane.startsWith("Could not load the timeline: the live analysis stopped"), pane);
                    String graph = browser.driver.findElement(By.id("graph-note")).getText();
                    assertTrue(graph.startsWith("Could not load the graph: the live analysis stopped"), graph);
                    browser.screenshot("proxy-analysis-worker-stopped");
                }
            } finally {
                proxy.closeAll();
            }
        }
    }

    /**
     * A flood the live analysis cannot follow: the worker is stopped for a moment (a starved
     * worker), so its feed falls behind while the recording takes in 48 MB/s. The top bar says the
     * analysis paused and why; once the flood ends it catches up from the store, says it is live
     * again, and has seen every byte.
     */
    @Test
    void underAFloodTheTopBarSaysTheAnalysisPausedAndWhenItIsLiveAgain() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Serving proxy = start(upstream, "worker");
            Thread sink = new Thread(() -> drain(upstream), "test-sink");
            sink.setDaemon(true);
            sink.start();
            ProcessHandle worker = worker().orElseThrow();
            try (HeadlessChromium browser = new HeadlessChromium(1400, 700);
                 Socket client = new Socket(java.net.InetAddress.getLoopbackAddress(), listenPort)) {
                WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(60));
                browser.driver.get(proxy.web().url());
                wait.until(d -> liveText(d).equals("live"));
                Flood flood = new Flood(client.getOutputStream(), 48_000_000);
                signal(worker, "STOP");
                flood.start();
                try {
                    while (flood.sent() < 48L << 20) { // past the feed's 32 MiB in memory and the pipe's buffers
                        assertTrue(flood.isAlive(), "the flood stopped early");
                        Thread.sleep(20);
                    }
                    signal(worker, "CONT");
                    wait.until(d -> liveText(d).matches("live · analysis paused, [\\d.]+ MB behind"));
                    String why = browser.driver.findElement(By.cssSelector(".topbar .status")).getAttribute("title");
                    assertTrue(why.matches("The recording takes in \\d+ MB/s, more than the live analysis can follow \\(34 MB/s\\)\\."
                            + " Nothing is lost: .* The newest stanza it has seen came .+ ago\\."), why);
                    assertEquals("paused", RealFederationWebTest.get(proxy, "/api/capture").get("analysis").get("state").asText());
                    browser.screenshot("proxy-flood-analysis-paused");
                    long sent = flood.finish();
                    wait.until(d -> liveText(d).equals("live"));
                    browser.screenshot("proxy-flood-analysis-live-again");
                    JsonNode analysis = RealFederationWebTest.get(proxy, "/api/capture").get("analysis");
                    assertEquals("live", analysis.get("state").asText(), analysis.toString());
                    JsonNode connection = awaitConnection(proxy);
                    for (long deadline = System.nanoTime() + RealFederationWebTest.WAIT.toNanos();
                         connection.get("bytesIn").asLong() < sent && System.nanoTime() < deadline; Thread.sleep(100)) {
                        connection = awaitConnection(proxy); // the last bytes may be committed after it went live
                    }
                    assertEquals(sent, connection.get("bytesIn").asLong(), "the analysis caught up with every byte: " + connection);
                } finally {
                    flood.finish(); // a failed assertion must not leave it flooding
                }
            } finally {
                signal(worker, "CONT");
                proxy.closeAll();
            }
        }
    }

    private static String liveText(WebDriver d) {
        return d.findElement(By.id("live-text")).getText();
    }

    private static void signal(ProcessHandle p, String signal) throws Exception {
        if (p.isAlive()) {
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start().waitFor());
        }
    }

    /** Reads and forgets what the proxy relays to the upstream, until the proxy closes. */
    private static void drain(ServerSocket upstream) {
        try (Socket s = upstream.accept(); java.io.InputStream in = s.getInputStream()) {
            byte[] buffer = new byte[64 << 10];
            while (in.read(buffer) >= 0) {
                // the bytes themselves are not what this test looks at
            }
        } catch (java.io.IOException e) {
            // the proxy went away: the test is over
        }
    }

    /** A client stream sending chat messages at a steady rate (bytes per second) until finished. */
    private static final class Flood extends Thread {
        private final OutputStream out;
        private final long bytesPerSecond;
        private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        private volatile boolean going = true;

        Flood(OutputStream out, long bytesPerSecond) {
            super("test-flood");
            this.out = out;
            this.bytesPerSecond = bytesPerSecond;
        }

        long sent() {
            return sent.get();
        }

        /** Stops the flood; returns how many bytes it sent, its stream header included. */
        long finish() throws InterruptedException {
            going = false;
            join(30_000);
            assertFalse(isAlive(), "the flood's last write never returned");
            return sent.get();
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            try {
                write(HEADER.getBytes(StandardCharsets.UTF_8));
                for (int n = 0; going && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60); ) {
                    StringBuilder block = new StringBuilder(64 << 10);
                    while (block.length() < 60 << 10) {
                        block.append("<message to='bob@b.example' type='chat' id='flood-").append(n++)
                                .append("'><body>the meeting moved to three so bring the slides and the notes</body>")
                                .append("<active xmlns='http://jabber.org/protocol/chatstates'/></message>");
                    }
                    write(block.toString().getBytes(StandardCharsets.UTF_8));
                    long due = start + sent.get() * 1_000_000_000L / bytesPerSecond;
                    LockSupport.parkNanos(due - System.nanoTime());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private void write(byte[] bytes) throws java.io.IOException {
            out.write(bytes);
            out.flush();
            sent.addAndGet(bytes.length);
        }
    }

    @Test
    void connectionsAreLoggedAndStoppingSaysWhatWasRecordedAndHowToSeeItAgain() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter said = new StringWriter();
            Serving proxy = start(upstream, "in-process", new PrintWriter(said, true));
            try {
                sendStreamHeader(upstream);
                awaitConnection(proxy);
            } finally {
                proxy.closeAll();
            }
            Path db = tmp.resolve("capture-in-process");
            assertTrue(said.toString().contains("#1 opened: 127.0.0.1:"), said.toString());
            assertTrue(said.toString().contains(" → 127.0.0.1:" + upstream.getLocalPort() + System.lineSeparator()), said.toString());
            // sendStreamHeader closes both ends at once: either may reach the proxy first
            assertTrue(said.toString().matches("(?s).*#1 closed: (client|upstream) 127\\.0\\.0\\.1:\\d+ closed the connection( first)? \\(after \\d+\\.\\d s; "
                    + HEADER.length() + " bytes to the server, 0 to the client\\).*"), said.toString());
            assertTrue(said.toString().contains("stopped: 1 connection recorded (" + HEADER.length()
                    + " bytes to servers, 0 to clients) in " + db.toAbsolutePath() + ".mv.db"), said.toString());
            assertTrue(said.toString().endsWith("see it again: xmppscope open " + db + System.lineSeparator()), said.toString());
        }
    }

    /** A proxy nothing reached (the client still talks to its server directly) says where clients should connect. */
    @Test
    void stoppingWithNothingRecordedSaysWhereClientsShouldConnect() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter said = new StringWriter();
            start(upstream, "in-process", new PrintWriter(said, true)).closeAll();
            assertTrue(said.toString().contains("stopped: 0 connections recorded (0 bytes to servers, 0 to clients)"
                    + " in ") && said.toString().contains(System.lineSeparator() + "        nothing connected to 127.0.0.1:"
                    + listenPort + ": point clients there (for s2s, the other servers' DNS)" + System.lineSeparator()),
                    said.toString());
        }
    }

    @Test
    void quietLogsNoConnections() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter said = new StringWriter();
            Serving proxy = start(upstream, "in-process", new PrintWriter(said, true), "--quiet");
            try {
                sendStreamHeader(upstream);
                awaitConnection(proxy);
            } finally {
                proxy.closeAll();
            }
            assertFalse(said.toString().contains("#1 "), said.toString());
            assertTrue(said.toString().contains("stopped: 1 connection recorded"), said.toString());
        }
    }

    @Test
    void anUnknownModeIsRefusedBeforeAnythingStarts() {
        WebCommandsTest.Run r = WebCommandsTest.run("proxy", "--route", "127.0.0.1:0=127.0.0.2:5222", "--analysis", "elsewhere",
                "--db", tmp.resolve("never").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--analysis must be worker or in-process, not 'elsewhere'"), r.err());
        assertFalse(tmp.resolve("never.mv.db").toFile().exists(), "no capture created");
    }

    private int listenPort;

    private Serving start(ServerSocket upstream, String mode) throws java.io.IOException {
        return start(upstream, mode, new PrintWriter(new StringWriter(), true));
    }

    /** {@code xmppscope proxy} in front of {@code upstream}, saying what it says on {@code out}. */
    private Serving start(ServerSocket upstream, String mode, PrintWriter out, String... more) throws java.io.IOException {
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            listenPort = free.getLocalPort();
        }
        ProxyCommand command = new ProxyCommand();
        CommandLine cl = new CommandLine(command);
        cl.setOut(out);
        List<String> args = new ArrayList<>(List.of("--route", "127.0.0.1:" + listenPort + "=127.0.0.1:" + upstream.getLocalPort(),
                "--analysis", mode, "--db", tmp.resolve("capture-" + mode).toString(), "--web", "127.0.0.1:0"));
        args.addAll(List.of(more));
        cl.parseArgs(args.toArray(String[]::new));
        return command.start();
    }

    /** A client sends its stream header through the proxy; the upstream reads it. */
    private void sendStreamHeader(ServerSocket upstream) throws Exception {
        try (Socket client = new Socket(java.net.InetAddress.getLoopbackAddress(), listenPort)) {
            OutputStream out = client.getOutputStream();
            out.write(HEADER.getBytes(StandardCharsets.UTF_8));
            out.flush();
            try (Socket server = upstream.accept()) {
                byte[] got = server.getInputStream().readNBytes(HEADER.length());
                assertEquals(HEADER, new String(got, StandardCharsets.UTF_8));
            }
        }
    }

    private static JsonNode awaitConnection(Serving proxy) throws Exception {
        long deadline = System.nanoTime() + RealFederationWebTest.WAIT.toNanos();
        while (true) {
            JsonNode items = RealFederationWebTest.get(proxy, "/api/connections").get("items");
            if (items.size() == 1 && !items.get(0).get("streamTo").isNull()) {
                return items.get(0);
            }
            assertFalse(System.nanoTime() > deadline, "no analysed connection after " + RealFederationWebTest.WAIT + ": " + items);
            Thread.sleep(50);
        }
    }

    private static Optional<ProcessHandle> worker() {
        return ProcessHandle.current().descendants().filter(p -> p.isAlive() && commandLine(p).contains(AnalysisWorker.class.getName()))
                .findFirst();
    }

    /** From /proc: ProcessHandle.Info gave no command line for the worker (started through chrt) here. */
    private static String commandLine(ProcessHandle p) {
        try {
            return java.nio.file.Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline")).replace('\0', ' ');
        } catch (java.io.IOException e) {
            return ""; // exited meanwhile
        }
    }
}
