package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.capture.pcap.Tshark;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real federation (two Prosody servers, s2s with STARTTLS, straight to each other) captured by
 * dumpcap, cut as a capture begun after a.example's s2s link to b.example had started TLS: of that
 * link only TLS records, no SYN, no stream header, no ClientHello. It is still drawn, between
 * stand-ins named by their addresses, or by the domains the rest of the capture shows served there
 * (bob bound to b.example on its address), and says it was inferred.
 */
class PcapS2sJoinedInsideTlsTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;

    static Path session;
    static String a;
    static String b;

    @BeforeAll
    static void captureAMessageAcrossServers() throws Exception {
        session = tmp.resolve("federation.pcapng");
        try (Federation fed = Federation.builder("a.example", "b.example").relayed(false).user("a.example", "alice", "alice-secret")
                .user("b.example", "bob", "bob-secret").start(tmp.resolve("servers"))) {
            a = fed.server("a.example").c2s().getAddress().getHostAddress();
            b = fed.server("b.example").c2s().getAddress().getHostAddress();
            Tshark.Capture capture = Tshark.capture("tcp and (host " + a + " or host " + b + ")", session, false);
            String body = "across " + UUID.randomUUID();
            try (XmppClient alice = XmppClient.options("a.example", fed.server("a.example").c2s()).login("alice", "alice-secret");
                 XmppClient bob = XmppClient.options("b.example", fed.server("b.example").c2s()).login("bob", "bob-secret")) {
                alice.send("bob@b.example", body);
                bob.awaitMessage(body, Duration.ofSeconds(20));
            } finally {
                capture.stop();
            }
        }
    }

    /** With bob's c2s stream in the capture, b.example's address names the link's receiving end. */
    @Test
    void aLinkJoinedInsideTlsGoesToTheServerTheRestOfTheCaptureShowsAtItsAddress() throws Exception {
        String link = s2sStream(b);
        String tls = Tshark.firstApplicationData(session, link, 5269);
        analyzed(cut("tcp.stream != " + link + " || frame.number >= " + tls, "with-clients"), an -> {
            ConnectionView c = linkOf(an);
            assertEquals("s2s", c.kind());
            assertEquals("b.example", c.streamTo());
            assertTrue(c.kindInferred().endsWith("; its ends named by the addresses they are at: " + b + " serves b.example"
                    + " (a stream authenticated there)"), c.kindInferred());
            assertEquals(List.of("unnamed server " + c.client() + " → b.example"), s2sEdges(an.graph(), c), an.graph().toString());
        });
    }

    /** The link alone: both its ends are stand-ins at their addresses, as Direct TLS's sender is. */
    @Test
    void aLinkJoinedInsideTlsWithNothingElseIsDrawnBetweenUnnamedServers() throws Exception {
        String link = s2sStream(b);
        String tls = Tshark.firstApplicationData(session, link, 5269);
        analyzed(cut("tcp.stream == " + link + " && frame.number >= " + tls, "link-alone"), an -> {
            ConnectionView c = linkOf(an);
            assertEquals("s2s", c.kind());
            assertTrue(c.kindInferred() != null, "no header says it");
            assertEquals("encrypted", c.state(), "only TLS was seen of it: not taken as established");
            assertEquals(List.of("unnamed server " + c.client() + " → unnamed server " + c.server()), s2sEdges(an.graph(), c),
                    an.graph().toString());
        });
    }

    private static ConnectionView linkOf(Analyzer an) {
        return an.connections().stream().filter(c -> c.server().equals(b + ":5269") && c.tls().equals("starttls-passthrough")
                && c.kindInferred() != null).findFirst().orElseThrow(() -> new AssertionError(an.connections().toString()));
    }

    /** The s2s edges of connection {@code c}, "SOURCE → TARGET" by the nodes' labels. */
    private static List<String> s2sEdges(GraphSnapshot g, ConnectionView c) {
        Map<String, String> labels = g.nodes().stream().collect(Collectors.toMap(GraphNode::id, GraphNode::label));
        Function<GraphEdge, String> named = e -> labels.get(e.source()) + " → " + labels.get(e.target());
        return g.edges().stream().filter(e -> e.connections().contains(c.id())).map(named).toList();
    }

    private static void analyzed(Path pcap, Consumer<Analyzer> check) {
        try (CaptureStore store = CaptureStore.open(tmp.resolve(pcap.getFileName() + "-db"))) {
            CaptureFiles.importInto(store, pcap, ProgressBar.NONE, sink -> sink);
            try (Analyzer an = BulkAnalysisTest.analyzedAfresh(store, true)) {
                check.accept(an);
            }
        }
    }

    /** The TCP stream of the s2s link to {@code server}'s 5269. */
    private static String s2sStream(String server) throws Exception {
        return Tshark.read(session, "-Y", "ip.dst == " + server + " && tcp.dstport == 5269 && tcp.flags.syn == 1", "-T", "fields",
                "-e", "tcp.stream").lines().findFirst().orElseThrow(() -> new AssertionError("no s2s link to " + server)).trim();
    }

    private static Path cut(String filter, String name) throws Exception {
        Path cut = tmp.resolve(name + ".pcapng");
        Tshark.read(session, "-Y", filter, "-w", cut.toString());
        return cut;
    }
}
