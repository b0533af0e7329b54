package dev.xmppscope.web.cli;

import static dev.xmppscope.web.cli.WebCommandsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.XmppClient;
import dev.xmppscope.web.HeadlessChromium;
import dev.xmppscope.web.cli.WebCommandsTest.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * A capture database's analysis is kept once complete, and the next {@code open} or {@code show}
 * of the capture, unchanged, answers from it without parsing the capture: exactly what a fresh
 * analysis answers, every API answer and every view of {@code show}. A capture recorded into again
 * since, or an analysis kept by another version, is analysed again, and the console says why.
 */
class KeptAnalysisTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String REUSED = "analysis reused from %s \\(made \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\);"
            + " use --reanalyze to build it again";

    @TempDir
    Path tmp;

    /**
     * Two real Prosody servers through the proxy, Smack clients chatting across them and a message
     * to someone b.example does not know (bounced: its route is still open when the capture ends,
     * as the last routes of any capture are); then {@code open} twice and {@code show} each way.
     */
    @Test
    void aSecondLookAnswersFromTheKeptAnalysisExactlyAsAFreshAnalysis() throws Exception {
        Path db = recordedFederation();
        String analysisFile = CaptureStore.analysisFile(db).toString();

        StringWriter firstOut = new StringWriter();
        Map<String, String> fresh = everythingServed(db, firstOut);
        assertFalse(firstOut.toString().contains("reused"), firstOut.toString());
        assertTrue(firstOut.toString().contains("analyzed in "), firstOut.toString());

        StringWriter secondOut = new StringWriter();
        Map<String, String> reused = everythingServed(db, secondOut);
        assertTrue(secondOut.toString().matches("(?s)" + String.format(REUSED, Pattern.quote(analysisFile))
                + "\nweb UI  .*"), secondOut.toString());
        assertFalse(secondOut.toString().contains("analyzing") || secondOut.toString().contains("analyzed"),
                "nothing is analysed: " + secondOut);
        assertEquals(fresh.keySet(), reused.keySet());
        for (String path : fresh.keySet()) {
            assertEquals(fresh.get(path), reused.get(path), path);
        }
        assertTrue(fresh.keySet().stream().anyMatch(p -> p.startsWith("/api/routes/") && fresh.get(p).startsWith("200 ")),
                "some stanzas have routes: " + fresh.keySet());

        shownInBrowser(db);

        List<List<String>> views = new ArrayList<>(List.of(List.of(), List.of("--json"), List.of("--graph"),
                List.of("--graph", "--json"), List.of("--stanzas"), List.of("--stanzas", "--json"),
                List.of("--kind", "message", "--type", "error")));
        for (JsonNode c : JSON.readTree(fresh.get("/api/connections").substring(4)).get("items")) {
            views.add(List.of("--negotiation", c.get("id").asText()));
        }
        fresh.keySet().stream().filter(p -> p.startsWith("/api/routes/") && fresh.get(p).startsWith("200 ")).limit(8)
                .forEach(p -> views.add(List.of("--stanza", p.substring("/api/routes/".length()))));
        for (List<String> view : views) {
            Run analysed = show(db, view, "--reanalyze");
            Run kept = show(db, view);
            assertEquals(analysed.out(), kept.out(), "show " + String.join(" ", view));
            assertTrue(kept.err().matches(String.format(REUSED, Pattern.quote(analysisFile)) + "\n"), kept.err());
            assertTrue(analysed.err().contains("is not reused: --reanalyze asks for a new one; the capture is analyzed again"),
                    analysed.err());
        }
    }

    /**
     * The kept analysis of a capture recorded into since (a connection appended, as a proxy
     * recording into it again adds one) is not used: the capture is analyzed again, its new
     * connection shown, and that analysis kept. Nor is one kept by another version of the index, nor
     * one damaged.
     */
    @Test
    void aKeptAnalysisIsNotUsedOnceTheCaptureGrewNorOneOfAnotherVersionNorOneDamaged() throws Exception {
        Path db = tmp.resolve("lab");
        assertEquals(0, run("import", "--db", db.toString(), ShowCommandTest.sample(tmp, "federation").toString()).exit());
        String analysisFile = CaptureStore.analysisFile(db).toString();
        Run first = show(db, List.of());
        assertFalse(first.err().contains("reused"), first.err());
        assertTrue(show(db, List.of()).err().startsWith("analysis reused from "));

        String body = "recorded after the analysis was kept " + UUID.randomUUID();
        long appended = appendConnection(db, body);
        Run grown = show(db, List.of("--stanzas", "--text", body));
        Matcher why = Pattern.compile("the analysis kept in \\Q" + analysisFile + "\\E is not reused: the capture has grown since it was"
                + " made \\(([\\d,]+) records then, ([\\d,]+) now; .*\\); the capture is analyzed again\n(?s).*").matcher(grown.err());
        assertTrue(why.matches(), grown.err());
        assertEquals(3, records(why.group(2)) - records(why.group(1)), "the stream's opening, its chunk and its close: " + grown.err());
        assertTrue(grown.out().contains(appended + "-s-1 "), "the appended stream's message is shown: " + grown.out());
        Run keptAgain = show(db, List.of("--stanzas", "--text", body));
        assertTrue(keptAgain.err().startsWith("analysis reused from "), keptAgain.err());
        assertEquals(grown.out(), keptAgain.out());
        Run listing = show(db, List.of());

        madeByIndexVersion(db, -1);
        Run older = show(db, List.of());
        assertTrue(older.err().matches("the analysis kept in \\Q" + analysisFile + "\\E is not reused: it was made by another version"
                + " of xmppscope \\(layout \\d+\\.\\d+, now \\d+\\.\\d+\\); the capture is analyzed again\n(?s).*"), older.err());
        assertEquals(listing.out(), older.out());
        assertTrue(show(db, List.of()).err().startsWith("analysis reused from "));

        damageKeptModel(db);
        Run damaged = show(db, List.of());
        assertTrue(damaged.err().startsWith("the analysis kept in " + analysisFile + " is not reused: it cannot be read ("),
                damaged.err());
        assertEquals(listing.out(), damaged.out());
        assertTrue(show(db, List.of()).err().startsWith("analysis reused from "));
    }

    /** "1,341" as a number. */
    private static long records(String counted) {
        return Long.parseLong(counted.replace(",", ""));
    }

    /** Serves {@code db} with {@code open} ({@code more} its options), its analysis done, and reads every answer the API gives about it. */
    static Map<String, String> everythingServed(Path db, StringWriter console, String... more) throws Exception {
        Serving serving = opened(db, console, more);
        try {
            Map<String, String> answers = new LinkedHashMap<>();
            for (String path : List.of("/api/capture", "/api/graph", "/api/connections", "/api/stanzas", "/api/stanzas?cursor=latest")) {
                answers.put(path, get(serving, path));
            }
            for (JsonNode c : JSON.readTree(answers.get("/api/connections").substring(4)).get("items")) {
                String id = c.get("id").asText();
                answers.put("/api/connections/" + id, get(serving, "/api/connections/" + id));
                answers.put("/api/connections/" + id + "/negotiation", get(serving, "/api/connections/" + id + "/negotiation"));
                answers.put("/api/stanzas?conn=" + id, get(serving, "/api/stanzas?conn=" + id));
            }
            String cursor = null;
            do { // every stanza, page by page: each one's detail and route
                String page = get(serving, "/api/stanzas?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
                answers.put("/api/stanzas?limit=100&cursor=" + cursor, page);
                JsonNode items = JSON.readTree(page.substring(4));
                for (JsonNode s : items.get("items")) {
                    String ref = URLEncoder.encode(s.get("ref").asText(), StandardCharsets.UTF_8);
                    answers.put("/api/stanzas/" + ref, get(serving, "/api/stanzas/" + ref));
                    answers.put("/api/routes/" + ref, get(serving, "/api/routes/" + ref));
                }
                cursor = items.get("next").isNull() ? null : items.get("next").asText();
            } while (cursor != null);
            return answers;
        } finally {
            serving.closeAll();
        }
    }

    /** The web UI over the reused analysis: the graph, the timeline and a stream's negotiation, done from the start. */
    private static void shownInBrowser(Path db) throws Exception {
        StringWriter console = new StringWriter();
        Serving serving = opened(db, console);
        try (HeadlessChromium browser = new HeadlessChromium(1400, 800)) {
            assertTrue(console.toString().startsWith("analysis reused from "), console.toString());
            browser.driver.get(serving.web().url());
            WebDriverWait wait = new WebDriverWait(browser.driver, WAIT);
            wait.until(d -> d.findElement(By.id("live-text")).getText().equals("stored capture"));
            wait.until(d -> d.findElement(By.id("graph-counts")).getText().startsWith("2 servers · 2 clients"));
            wait.until(d -> d.findElements(By.cssSelector("#timeline .row")).size() > 10);
            browser.screenshot("kept-analysis-reused");
            assertEquals(List.of(), browser.pageProblems());
        } finally {
            serving.closeAll();
        }
    }

    /** {@code open} serving {@code db} ({@code more} its options), its analysis done (or reused); what it says goes to {@code console}. */
    private static Serving opened(Path db, StringWriter console, String... more) throws Exception {
        OpenCommand open = new OpenCommand();
        CommandLine cl = new CommandLine(open);
        cl.setOut(new PrintWriter(console, true));
        List<String> args = new ArrayList<>(List.of(db.toString(), "--web", "127.0.0.1:0"));
        args.addAll(List.of(more));
        cl.parseArgs(args.toArray(String[]::new));
        return open.startAnalyzed();
    }

    /** The status and body of GET {@code path}. */
    private static String get(Serving s, String path) throws Exception {
        HttpResponse<String> r = RealFederationWebTest.HTTP.send(HttpRequest.newBuilder(URI.create(s.web().url().replaceAll("/$", "")
                + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    /** {@code show db VIEW... MORE...}, which must succeed. */
    static Run show(Path db, List<String> view, String... more) {
        List<String> args = new ArrayList<>(List.of("show", db.toString(), "--no-pager"));
        args.addAll(view);
        args.addAll(List.of(more));
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return r;
    }

    /** A capture recorded through the proxy from two real Prosody servers and their Smack clients. */
    private Path recordedFederation() throws Exception {
        Path proxyDir = tmp.resolve("proxy");
        String hello = "hello bob " + UUID.randomUUID();
        String back = "hello alice " + UUID.randomUUID();
        String lost = "to nobody " + UUID.randomUUID();
        try (Federation fed = Federation.aliceAndBob().configure((domain, cfg) -> cfg.s2sEncryption(false)).start(tmp.resolve("servers"));
             RecordingProxy proxy = RecordingProxy.start(proxyDir, fed.relayRoutes(), TlsMode.PASSTHROUGH, false, false)) {
            try (XmppClient bob = XmppClient.options("b.example", fed.relayC2s("b.example")).resource("phone")
                    .saslMechanism("PLAIN").login("bob", "bob-pw");
                 XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).resource("laptop")
                         .saslMechanism("PLAIN").login("alice", "alice-pw")) {
                alice.send("bob@b.example", hello);
                bob.awaitMessage(hello, WAIT);
                bob.send("alice@a.example/laptop", back);
                alice.awaitMessage(back, WAIT);
                alice.send("nobody@b.example", lost);
                alice.awaitMessage(m -> m.getType() == Message.Type.error, "b.example's bounce of the message to nobody", WAIT);
            }
            proxy.awaitCapture(c -> c.connections.stream().filter(r -> r.opened().route().contains(":5222"))
                    .allMatch(r -> r.closed() != null) && c.connections.size() >= 4, "both clients gone, the s2s streams recorded");
        }
        return proxyDir.resolve("capture");
    }

    /** Appends a client's stream with one message to the capture, as a proxy recording into it again would; its id. */
    private static long appendConnection(Path db, String body) {
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter w = store.newWriter()) {
            long id = store.nextConnectionId();
            long t = System.currentTimeMillis() * 1_000_000L;
            w.opened(new ConnectionOpened(id, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:5222", "127.0.0.1:40001",
                    "127.0.0.2:5222", TlsMode.PASSTHROUGH, t));
            byte[] b = ("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='a.example'>"
                    + "<message to='bob@a.example' id='late' type='chat'><body>" + body + "</body></message>")
                    .getBytes(StandardCharsets.UTF_8);
            w.chunk(Chunk.of(id, 1, Direction.TO_SERVER, t + 10, TlsLayer.PLAIN, 0, b));
            w.closed(new ConnectionClosed(id, t + 100, CloseReason.CLIENT_CLOSED, "", b.length, 0));
            return id;
        }
    }

    /** Cuts the kept analysis's streams and graph short, as damage on disk would. */
    private static void damageKeptModel(Path db) {
        try (MVStore mv = new MVStore.Builder().fileName(CaptureStore.analysisFile(db).toString()).open()) {
            MVMap<String, byte[]> kept = mv.openMap("xs.kept");
            byte[] model = kept.get("model");
            kept.put("model", Arrays.copyOf(model, model.length / 2));
        }
    }

    /** Rewrites what the kept analysis says it was made from: by an index layout {@code by} versions off this one's. */
    private static void madeByIndexVersion(Path db, int by) throws Exception {
        try (MVStore mv = new MVStore.Builder().fileName(CaptureStore.analysisFile(db).toString()).open()) {
            MVMap<String, byte[]> kept = mv.openMap("xs.kept");
            ObjectNode made = (ObjectNode) JSON.readTree(kept.get("made"));
            ObjectNode fingerprint = (ObjectNode) made.get("fingerprint");
            fingerprint.put("indexVersion", fingerprint.get("indexVersion").asInt() + by);
            kept.put("made", JSON.writeValueAsBytes(made));
        }
    }
}
