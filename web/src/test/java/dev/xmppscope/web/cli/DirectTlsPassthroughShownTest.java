package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers federating over Direct TLS (XEP-0368) through a proxy that passes TLS through: no
 * stream header is readable, and the initiating server's name is inside TLS. {@code show --graph}
 * lists each stream between servers to the server its ClientHello asked for, from a server it
 * calls unnamed, by its address.
 */
class DirectTlsPassthroughShownTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void showGraphListsTheStreamsBetweenServersFromAnUnnamedServerToTheOneAskedFor() throws Exception {
        String body = "inside TLS " + UUID.randomUUID();
        Path db;
        try (Federation fed = Federation.builder("a.example", "b.example").user("a.example", "alice", "alice-pw")
                .user("b.example", "bob", "bob-pw").s2sDirectTls(true).start(tmp.resolve("servers"));
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.PASSTHROUGH, true, false)) {
            db = proxy.store().file();
            try (XmppClient bob = XmppClient.options("b.example", fed.relayC2s("b.example")).login("bob", "bob-pw");
                 XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).login("alice", "alice-pw")) {
                alice.send(bob.jid().toString(), body);
                bob.awaitMessage(body, Duration.ofSeconds(20));
            }
            proxy.awaitCapture(c -> c.connections.size() >= 4, "the two c2s and two s2s connections");
        }
        WebCommandsTest.Run r = WebCommandsTest.run("show", db.toString(), "--graph", "--no-pager");
        assertEquals(0, r.exit(), r.err());
        List<String> streams = r.out().lines().dropWhile(l -> !l.equals("streams between servers")).skip(1).map(String::strip).toList();
        assertEquals(2, streams.size(), r.out());
        for (String domain : List.of("a.example", "b.example")) {
            assertTrue(streams.stream().anyMatch(s -> s.matches("unnamed server 127\\.0\\.0\\.1:\\d+ → " + domain.replace(".", "\\.")
                    + "\\s+closed, 0 stanzas, .*")), r.out());
        }
    }
}
