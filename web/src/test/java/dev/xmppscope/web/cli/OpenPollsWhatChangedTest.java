package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.web.AnalysisProgress;
import dev.xmppscope.web.HeadlessChromium;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * While {@code open} analyzes a capture of 5,000 streams, a page asks every 2 s for what changed
 * since its last poll ({@code changedSince}), not for the whole graph and connection list again
 * (1.7 and 2.4 MB at 5,000 streams): the answers stay small, and added up they are exactly the
 * whole list and graph once the analysis is done. The analysis is held at its progress steps (every
 * 500 records) by the command's hook, so each poll's answer is known without racing it.
 */
class OpenPollsWhatChangedTest {
    private static final int STREAMS = 5_000;
    /** Far more than the streams, nodes and edges a step of 500 records adds: a few dozen of each. */
    private static final int SMALL = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path db;
    private final Semaphore atStep = new Semaphore(0);
    private final Semaphore go = new Semaphore(0);
    /** The step (progress call) at which the analysis waits for {@link #go}; 0 for every step. */
    private volatile int holdAt;
    /** Progress calls so far: 90 for the capture's 45,000 records. */
    private volatile int steps;
    private static final int HALF_WAY = 45;

    @BeforeAll
    static void manyStreams() {
        db = tmp.resolve("many");
        ManyStreamsCapture.write(db, STREAMS);
    }

    @Test
    void pollsForWhatChangedStaySmallAndAddUpToTheWholeListAndGraph() throws Exception {
        OpenCommand open = command();
        Serving serving = open.start();
        try {
            Map<Long, JsonNode> connections = new HashMap<>();
            Map<String, JsonNode> nodes = new HashMap<>();
            Map<String, JsonNode> edges = new HashMap<>();
            long[] versions = {0, 0};
            int polls = 0;
            long largestLater = 0;
            long first = 0;
            while (!open.background.ended()) {
                if (!atStep.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                if (steps >= HALF_WAY) { // from half way: the first poll gets all that is known then
                    long bytes = poll(serving, versions, connections, nodes, edges);
                    if (polls++ == 0) {
                        first = bytes;
                    } else {
                        largestLater = Math.max(largestLater, bytes);
                    }
                }
                go.release();
            }
            poll(serving, versions, connections, nodes, edges);
            String whole = RealFederationWebTest.body(serving, "/api/connections");
            String graph = RealFederationWebTest.body(serving, "/api/graph");
            System.out.printf("%d streams: a whole poll %d bytes (connections %d, graph %d); half way, the first poll for changes"
                    + " %d bytes, later ones at most %d, %d polls%n", STREAMS, whole.length() + graph.length(), whole.length(),
                    graph.length(), first, largestLater, polls);
            assertTrue(polls > 10, polls + " polls");
            assertTrue(first > 1_000_000, "the first poll gets everything known: " + first);
            assertTrue(largestLater < SMALL, "a later poll gets only what changed: " + largestLater + " bytes");

            assertEquals(STREAMS, connections.size());
            assertEquals(byKey(JSON.readTree(whole).get("items"), "id"), toText(connections), "the streams, each as it ended");
            JsonNode g = JSON.readTree(graph);
            assertEquals(byKey(g.get("nodes"), "id"), toText(nodes), "the nodes");
            assertEquals(byKey(g.get("edges"), "id"), toText(edges), "the edges");
        } finally {
            go.release(1000);
            serving.closeAll();
        }
    }

    @Test
    void aPageFollowingTheAnalysisAsksOnlyForWhatChanged() throws Exception {
        holdAt = HALF_WAY;
        OpenCommand open = command();
        Serving serving = open.start();
        try (HeadlessChromium browser = new HeadlessChromium(1400, 800)) {
            assertTrue(atStep.tryAcquire(60, TimeUnit.SECONDS), "the analysis came half way");
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(60));
            browser.driver.get(serving.web().url() + "connections");
            String halfWay = streams(serving);
            wait.until(d -> d.findElement(By.id("connections-count")).getText().equals(halfWay));

            holdAt = HALF_WAY + 10;
            go.release();
            assertTrue(atStep.tryAcquire(60, TimeUnit.SECONDS), "the analysis went on");
            String later = streams(serving);
            wait.until(d -> d.findElement(By.id("connections-count")).getText().equals(later)); // the polls brought the rest
            browser.screenshot("open-polls-changes");
            @SuppressWarnings("unchecked")
            List<List<Object>> polls = (List<List<Object>>) browser.driver.executeScript(
                    "return performance.getEntriesByType('resource').filter((e) => /changedSince=[1-9]/.test(e.name))"
                            + ".map((e) => [e.name, e.encodedBodySize]);");
            assertTrue(polls.stream().anyMatch(p -> p.get(0).toString().contains("/api/connections?")), polls.toString());
            assertTrue(polls.stream().anyMatch(p -> p.get(0).toString().contains("/api/graph?")), polls.toString());
            for (List<Object> p : polls) {
                assertTrue(((Number) p.get(1)).longValue() < SMALL, "a poll after the first is small: " + p);
            }

            holdAt = -1;
            go.release();
            wait.until(d -> d.findElement(By.id("live-text")).getText().equals("stored capture"));
            wait.until(d -> d.findElement(By.id("connections-count")).getText().equals("5,000 streams"));
            assertEquals(List.of(), browser.pageProblems());
        } finally {
            holdAt = -1;
            go.release(1000);
            serving.closeAll();
        }
    }

    private OpenCommand command() {
        OpenCommand open = new OpenCommand();
        CommandLine cl = new CommandLine(open);
        cl.setOut(new PrintWriter(new StringWriter(), true));
        // both tests follow an analysis of the one capture: the second must not reuse the first's, kept
        cl.parseArgs(db.toString(), "--reanalyze", "--web", "127.0.0.1:0");
        open.whileAnalyzing = p -> {
            steps++;
            if (p.state() == AnalysisProgress.State.ANALYZING && (holdAt == 0 || steps == holdAt)) {
                atStep.release();
                go.acquireUninterruptibly();
            }
        };
        return open;
    }

    /** Asks what changed since {@code versions} (connections, graph), merges it in, and returns the bytes it took. */
    private static long poll(Serving serving, long[] versions, Map<Long, JsonNode> connections, Map<String, JsonNode> nodes,
                             Map<String, JsonNode> edges) throws Exception {
        String c = RealFederationWebTest.body(serving, "/api/connections?changedSince=" + versions[0]);
        String g = RealFederationWebTest.body(serving, "/api/graph?changedSince=" + versions[1]);
        JsonNode cj = JSON.readTree(c);
        JsonNode gj = JSON.readTree(g);
        cj.get("removed").forEach(id -> connections.remove(id.asLong()));
        cj.get("items").forEach(item -> connections.put(item.get("id").asLong(), item));
        gj.get("removedNodes").forEach(id -> nodes.remove(id.asText()));
        gj.get("removedEdges").forEach(id -> edges.remove(id.asText()));
        gj.get("nodes").forEach(n -> nodes.put(n.get("id").asText(), n));
        gj.get("edges").forEach(e -> edges.put(e.get("id").asText(), e));
        versions[0] = cj.get("version").asLong();
        versions[1] = gj.get("version").asLong();
        return c.length() + g.length();
    }

    private static String streams(Serving serving) throws Exception {
        int n = JSON.readTree(RealFederationWebTest.body(serving, "/api/connections")).get("items").size();
        return String.format("%,d stream%s", n, n == 1 ? "" : "s");
    }

    private static Map<String, String> byKey(JsonNode items, String key) {
        Map<String, String> m = new HashMap<>();
        items.forEach(i -> m.put(i.get(key).asText(), i.toString()));
        return m;
    }

    private static Map<String, String> toText(Map<?, JsonNode> items) {
        Map<String, String> m = new HashMap<>();
        items.forEach((k, v) -> m.put(k.toString(), v.toString()));
        return m;
    }
}
