package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    @Test
    void whenTheWorkerDiesRecordingGoesOnAndTheApiSaysWhy() throws Exception {
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
            } finally {
                proxy.closeAll();
            }
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
