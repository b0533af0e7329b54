package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.XmppClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code xmppscope export --out FILE.dot} of a client that logged in twice with the same resource
 * (real Prosody, Smack through the proxy): its two c2s streams are two edges between the same two
 * nodes, and their labels tell them apart by the connection each stands for, as {@code show} numbers them.
 * Once {@code show} has kept the capture's analysis, the same graph comes from it.
 */
class GraphDotExportTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void parallelStreamsOfOneClientHaveLabelsThatTellThemApart() throws Exception {
        Path db = tmp.resolve("twice");
        try (Federation fed = Federation.builder("a.example").user("a.example", "bob", "bob-pw").start(tmp.resolve("servers"));
             RecordingProxy proxy = RecordingProxy.start(db, fed.relayRoutes(), TlsMode.PASSTHROUGH, true, false)) {
            for (int i = 0; i < 2; i++) {
                XmppClient.options("a.example", fed.relayC2s("a.example")).resource("desk").login("bob", "bob-pw").close();
            }
            proxy.awaitCapture(c -> c.connections.size() == 2 && c.connections.stream().allMatch(r -> r.closed() != null),
                    "bob's two sessions");
        }
        Path dot = tmp.resolve("graph.dot");
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cl.execute("export", "--db", db.resolve("capture").toString(), "--out", dot.toString()), err.toString());
        String text = Files.readString(dot);
        Matcher edge = Pattern.compile("\"client:bob@a\\.example/desk\" -> \"server:a\\.example\" \\[[^\\]]*\"label\"=\"([^\"]*)\"")
                .matcher(text);
        List<String> labels = edge.results().map(m -> m.group(1)).toList();
        assertEquals(2, labels.size(), text);
        assertEquals(List.of("c2s #1: 20 stanzas, closed", "c2s #2: 20 stanzas, closed"),
                labels.stream().map(l -> l.replaceFirst(": \\d+ stanzas", ": 20 stanzas")).sorted().toList(),
                "each names its connection: " + text);

        // once show has kept the capture's analysis, the graph is exported from it, the same
        assertEquals(0, cl.execute("show", db.resolve("capture").toString()), err.toString());
        Path again = tmp.resolve("again.dot");
        assertEquals(0, cl.execute("export", "--db", db.resolve("capture").toString(), "--out", again.toString()), err.toString());
        assertTrue(err.toString().contains("edges, from the analysis kept in"), err.toString());
        assertEquals(text, Files.readString(again), "the graph from the kept analysis");
    }
}
