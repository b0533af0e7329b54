package dev.xmppscope.capture.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionRecord;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same real session seen twice: by the xmppscope proxy, and by dumpcap on the loopback
 * interface between the client and the proxy. Importing the pcap must give what the proxy
 * recorded, byte for byte, in both directions.
 */
class PcapOfRealProsodyTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void importingADumpcapCaptureOfAProsodySessionGivesWhatTheProxyRecorded() throws Exception {
        try (Federation fed = Federation.builder("a.example").user("a.example", "alice", "alice-secret")
                .user("a.example", "bob", "bob-secret").start(tmp.resolve("servers"));
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.PASSTHROUGH, true, false)) {
            String relay = fed.relayAddress("a.example").getHostAddress();
            String server = fed.server("a.example").address().getHostAddress();
            Path pcap = tmp.resolve("session.pcapng");
            // only the client ↔ proxy leg: what the proxy itself saw
            Tshark.Capture capture = Tshark.capture("tcp and host " + relay + " and not host " + server, pcap, false);
            try (XmppClient bob = XmppClient.options("a.example", fed.relayC2s("a.example")).login("bob", "bob-secret");
                 XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).login("alice", "alice-secret")) {
                alice.send(bob.jid().toString(), "seen by the proxy and by dumpcap " + "x".repeat(100_000));
                bob.awaitMessage(m -> m.getBody() != null && m.getBody().startsWith("seen by the proxy"), "the long message",
                        Duration.ofSeconds(20));
            } finally {
                Thread.sleep(500);
                capture.stop();
            }
            RecordingProxy.Capture recorded = proxy.awaitCapture(c -> c.connections.size() == 2
                    && c.connections.stream().allMatch(r -> r.closed() != null), "two closed connections");
            PcapImportTest.Streams imported = PcapImportTest.Streams.of(new PcapImporter(pcap));
            assertEquals(2, imported.opened.size(), "one connection per TCP connection");
            for (int i = 0; i < 2; i++) {
                ConnectionRecord proxied = recorded.connections.get(i);
                assertEquals(proxied.opened().client(), imported.opened.get(i).client(), "same client address and port");
                long id = imported.opened.get(i).id();
                for (Direction d : Direction.values()) {
                    byte[] want = recorded.bytes(proxied.id(), d, TlsLayer.PLAIN);
                    assertTrue(want.length > 100, "the proxy recorded a conversation " + d);
                    assertArrayEquals(want, imported.bytes(id, d), "connection " + proxied.id() + " " + d);
                }
                // who sent the first FIN, as tshark reads the same pcap (the proxy's own close reason
                // and HALF_CLOSED events describe its view across both legs, which may differ)
                int client = Integer.parseInt(proxied.opened().client().substring(proxied.opened().client().lastIndexOf(':') + 1));
                CloseReason firstFin = Tshark.firstFinSourcePort(pcap, client) == client ? CloseReason.CLIENT_CLOSED
                        : CloseReason.SERVER_CLOSED;
                var closed = imported.closed.stream().filter(c -> c.id() == id).findFirst().orElseThrow();
                assertEquals(firstFin, closed.reason(), "connection " + id + " (client port " + client + ")");
                long skew = Math.abs(proxied.opened().atNanos() - imported.opened.get(i).atNanos());
                assertTrue(skew < 1_000_000_000L, "the capture's timestamps are the real ones (skew " + skew + " ns)");
            }
        }
    }
}
