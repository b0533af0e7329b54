package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.capture.pcap.Tshark;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture of one direction only (a filter on the server's port as destination, a mirror of
 * one side): Smack logs in to a real Prosody with SCRAM and writes a message, and the pcap holds
 * none of the server's answers, its bind result among them. The client is named by what its
 * own stream says, its login and the resource it asked for, not left an unnamed connection.
 */
class OneWayPcapTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void aClientWhoseAnswersWereNotCapturedIsNamedByItsLoginAndTheResourceItAskedFor() throws Exception {
        Path pcap = tmp.resolve("to-server.pcapng");
        try (Federation fed = Federation.builder("a.example").relayed(false).user("a.example", "alice", "alice-secret")
                .start(tmp.resolve("servers"))) {
            InetSocketAddress c2s = fed.server("a.example").c2s();
            Tshark.Capture capture = Tshark.capture("tcp and dst host " + c2s.getAddress().getHostAddress() + " and dst port "
                    + c2s.getPort(), pcap, false);
            try (XmppClient alice = XmppClient.options("a.example", c2s).resource("laptop").login("alice", "alice-secret")) {
                alice.send("bob@a.example", "only this way");
            } finally {
                capture.stop();
            }
        }
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture"))) {
            CaptureFiles.importInto(store, pcap, ProgressBar.NONE, sink -> sink);
            try (Analyzer a = Analyzer.open(store); CaptureReader reader = store.newReader()) {
                a.analyze(reader, done -> { });
                List<String> clients = a.graph().nodes().stream().filter(n -> n.kind().equals("client")).map(GraphNode::label).toList();
                assertEquals(List.of("alice@a.example/laptop (claimed; bound JID not seen)"), clients,
                        "named by its SCRAM login and bind request: " + a.graph().nodes());
            }
        }
    }
}
