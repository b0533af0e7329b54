package dev.xmppscope.web.cli;

import static dev.xmppscope.web.cli.WebCommandsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.HostPort;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import dev.xmppscope.web.cli.WebCommandsTest.Run;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy killed with SIGKILL (or cut off by a full disk) writes no close record for the
 * connections it was relaying. They are over all the same: the next look at the capture, or the
 * next proxy recording into it, ends them where their traffic stopped, instead of showing them
 * established for ever beside the live ones.
 */
class KilledProxyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theConnectionsAKilledProxyLeftOpenEndWhereTheirTrafficStopped() throws Exception {
        Path killed = tmp.resolve("killed");
        long sentAt;
        try (Federation fed = Federation.builder("a.example").user("a.example", "alice", "alice-pw").start(tmp.resolve("servers"))) {
            int listen = ChildShell.freeLoopbackPort();
            InetSocketAddress server = fed.server("a.example").c2s();
            try (ChildShell proxy = ChildShell.of(tmp, "exec \"$1\" -cp \"$2\" " + Main.class.getName()
                            + " proxy --quiet --analysis in-process --route \"127.0.0.1:$3=$4\" --db \"$5\""
                            + " --web \"127.0.0.1:$6\"", ChildShell.java(), System.getProperty("java.class.path"),
                    String.valueOf(listen), HostPort.of(server), killed.toString(),
                    String.valueOf(ChildShell.freeLoopbackPort()))) {
                proxy.awaitOutput("Ctrl-C stops the proxy");
                try (XmppClient alice = XmppClient.options("a.example", new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        listen)).plaintext().login("alice", "alice-pw")) {
                    alice.send(alice.jid().toString(), "before the kill");
                    alice.awaitMessage("before the kill", Duration.ofSeconds(10));
                    sentAt = System.currentTimeMillis();
                    Thread.sleep(1500); // the recording is durable within a fraction of a second
                    proxy.process().destroyForcibly(); // SIGKILL to the proxy's JVM: no close record is written
                    assertTrue(proxy.process().waitFor(10, TimeUnit.SECONDS));
                }
            }
        }
        Path copy = tmp.resolve("copy");
        Path exported = tmp.resolve("exported");
        for (Path f : CaptureStore.files(killed)) {
            if (Files.exists(f)) {
                Files.copy(f, copy.resolveSibling(f.getFileName().toString().replace("killed", "copy")));
                Files.copy(f, exported.resolveSibling(f.getFileName().toString().replace("killed", "exported")));
            }
        }

        // a look at the capture: the connection ended where its traffic did, and the reason says why
        Run shown = run("show", killed.toString(), "--json");
        assertEquals(0, shown.exit(), shown.err());
        JsonNode c = JSON.readTree(shown.out()).get("items").get(0);
        assertEquals("closed", c.get("state").asText(), c.toString());
        assertEquals("UNKNOWN", c.get("closeReason").asText(), c.toString());
        assertTrue(c.get("closeDetail").asText().startsWith("the recording stopped before this connection was seen to close"),
                c.toString());
        long closedMillis = c.get("closedAt").asLong() / 1_000_000;
        assertTrue(closedMillis <= sentAt && closedMillis >= c.get("openedAt").asLong() / 1_000_000, c.toString());
        assertTrue(c.get("bytesIn").asLong() > 500 && c.get("bytesOut").asLong() > 500, "the bytes recorded on it: " + c);
        assertTrue(c.get("jid").asText().startsWith("alice@a.example/"), c.toString());
        assertTrue(c.get("error").isNull(), "the recording was cut, not the client's stream: " + c);
        assertTrue(shown.err().contains("1 connection the recording left open when it stopped abruptly"), shown.err());
        Run again = run("show", killed.toString());
        assertTrue(again.out().lines().anyMatch(l -> l.matches("^1\\s+c2s\\s.*\\sUNKNOWN\\s+\\d+$")), again.out());
        assertFalse(again.err().contains("left open"), "ended once, and kept: " + again.err());

        // a proxy recording into it again ends it before it records anything, and says so
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ChildShell proxy = ChildShell.of(tmp, "\"$1\" -cp \"$2\" " + Main.class.getName()
                             + " proxy --quiet --analysis in-process --route \"127.0.0.1:$3=127.0.0.1:$4\" --db \"$5\""
                             + " --web \"127.0.0.1:$6\"", ChildShell.java(), System.getProperty("java.class.path"),
                     String.valueOf(ChildShell.freeLoopbackPort()), String.valueOf(upstream.getLocalPort()),
                     copy.toString(), String.valueOf(ChildShell.freeLoopbackPort()))) {
            proxy.awaitOutput("Ctrl-C stops the proxy");
            assertTrue(proxy.output().contains("1 connection the recording left open when it stopped abruptly"),
                    proxy.output());
            String output = proxy.stop();
            assertTrue(output.contains("stopped: 0 connections recorded"), output);
        }
        Run copied = run("show", copy.toString(), "--json");
        assertEquals("UNKNOWN", JSON.readTree(copied.out()).get("items").get(0).get("closeReason").asText(), copied.out());

        // an export ends it too, and says so
        Run export = run("export", "--db", exported.toString(), "--out", tmp.resolve("exported.xscap").toString());
        assertEquals(0, export.exit(), export.err());
        assertTrue(export.err().startsWith("xmppscope: 1 connection the recording left open when it stopped abruptly"),
                export.err());
    }

    /** The kill cut a stanza in half: the recording was cut, not the client's stream, which is not called unparseable. */
    @Test
    void aStanzaTheKillCutInHalfIsNotTheStreamsError() throws Exception {
        Path db = tmp.resolve("cut");
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            long t = 1_764_000_000_000_000_000L;
            w.opened(new ConnectionOpened(1, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", "127.0.0.1:40001",
                    "127.0.0.2:5222", TlsMode.PASSTHROUGH, t));
            byte[] b = ("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='a.example'>"
                    + "<message to='bob@a.example' id='m1'><body>whole</body></message>"
                    + "<message to='bob@a.example' id='m2'><body>cut in ha").getBytes(StandardCharsets.UTF_8);
            w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, t + 10, TlsLayer.PLAIN, 0, b));
        } // no close record: as the proxy's kill left it
        Run shown = run("show", db.toString(), "--json");
        JsonNode c = JSON.readTree(shown.out()).get("items").get(0);
        assertEquals("UNKNOWN", c.get("closeReason").asText(), c.toString());
        assertFalse(c.get("error").asText().contains("unparseable"), c.toString());
        Run unparsed = run("show", db.toString(), "--kind", "unparsed");
        assertTrue(unparsed.out().startsWith("no stanza matches"), "the cut stanza is not listed as unparsed: " + unparsed.out());
        assertTrue(run("show", db.toString(), "--id", "m1").out().contains("whole"));
    }
}
