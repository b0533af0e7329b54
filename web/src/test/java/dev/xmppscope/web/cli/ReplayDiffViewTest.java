package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.XmppClient;
import dev.xmppscope.web.HeadlessChromium;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * {@code xmppscope replay} against real Prosody whose ping module is disabled, then
 * {@code xmppscope open} on the replay's database: the stored diff is served by /api/diffs and
 * shown in the "Replay diffs" view, recorded beside replayed, linked to both stanzas. The replay
 * runs a second time on a terminal, with the password typed at its prompt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayDiffViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;

    private Path db;
    private int replayExit;
    private int promptedExit;
    private String promptedScreen;
    private Serving opened;

    @BeforeAll
    void replayAgainstAServerWithoutPing() throws Exception {
        Path recorded = recordSession();
        db = tmp.resolve("replay");
        try (Federation fed = Federation.builder("a.example").user("a.example", "alice", "another-secret")
                .configure((d, config) -> config.lua("modules_disabled = { \"ping\" }")).start(tmp.resolve("changed"))) {
            InetSocketAddress c2s = fed.server("a.example").c2s();
            Path passwordFile = Files.writeString(tmp.resolve("password"), "another-secret\n"); // as `echo` writes it
            replayExit = Main.commandLine().execute("replay", recorded.toString(), "--connection", "1",
                    "--to", c2s.getAddress().getHostAddress() + ":" + c2s.getPort(), "--user", "alice@a.example",
                    "--password-file", passwordFile.toString(), "--db", db.toString(), "--timeout", "5");
            try (TerminalSession terminal = TerminalSession.start("replay", recorded.toString(), "--connection", "1",
                    "--to", c2s.getAddress().getHostAddress() + ":" + c2s.getPort(), "--user", "alice@a.example",
                    "--db", tmp.resolve("prompted").toString(), "--timeout", "5")) {
                terminal.awaitScreen("password for the replay's login: ", Duration.ofSeconds(60));
                terminal.type("another-secret");
                promptedExit = terminal.awaitExit(Duration.ofSeconds(90));
                promptedScreen = terminal.screen();
            }
        }
        CommandLine cl = new CommandLine(new OpenCommand());
        cl.setOut(new PrintWriter(new ByteArrayOutputStream(), true));
        cl.parseArgs(db.toString(), "--web", "127.0.0.1:0");
        opened = ((OpenCommand) cl.getCommand()).startAnalyzed();
    }

    @AfterAll
    void stop() {
        if (opened != null) {
            opened.closeAll();
        }
    }

    /** Alice logs in (SCRAM), pings her server, writes to herself, logs out; exported as .xscap. */
    private Path recordSession() {
        Path file = tmp.resolve("session.xscap");
        try (Federation fed = Federation.builder("a.example").user("a.example", "alice", "recorded-secret").start(tmp.resolve("rec"));
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.PASSTHROUGH, true, false)) {
            try (XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).resource("desk")
                    .login("alice", "recorded-secret")) {
                assertTrue(PingManager.getInstanceFor(alice.connection()).ping(JidCreate.from("a.example")));
                alice.send(alice.jid().toString(), "a note to myself");
                alice.awaitMessage("a note to myself", Duration.ofSeconds(10));
            } catch (Exception e) {
                throw new AssertionError("recording failed: " + e + "\n" + fed.diagnostics(), e);
            }
            proxy.awaitCapture(c -> c.connections.size() == 1 && c.connections.get(0).closed() != null, "the closed session");
            CaptureFiles.export(proxy.store(), file, Map.of(), ProgressBar.NONE);
        }
        return file;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(opened.web().url().replaceAll("/$", "") + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void theApiServesTheStoredDiffWithRefsToBothAnswers() throws Exception {
        assertEquals(3, replayExit, "replay exits 3 when answers differ");
        JsonNode list = json("/api/diffs").get("items");
        assertEquals(1, list.size(), list.toString());
        JsonNode summary = list.get(0);
        assertEquals(1, summary.get("recordedConnection").asLong(), summary.toString());
        assertEquals(2, summary.get("replayedConnection").asLong(), summary.toString());
        assertEquals(2, summary.get("changes").asLong(), "the ping's result became an error: " + summary);
        assertEquals(1, summary.get("changedSteps").asLong(), summary.toString());

        JsonNode diff = json("/api/diffs/" + summary.get("id").asLong());
        List<JsonNode> changed = new ArrayList<>();
        diff.get("steps").forEach(s -> {
            if (!s.get("change").asText().equals("same")) {
                changed.add(s);
            }
        });
        assertEquals(1, changed.size(), "one row: recorded result beside replayed error: " + diff.get("steps"));
        JsonNode ping = changed.get(0);
        assertEquals("changed", ping.get("change").asText());
        assertTrue(ping.get("recorded").asText().startsWith("<iq type=result"), ping.toString());
        assertTrue(ping.get("replayed").asText().contains("service-unavailable"), ping.toString());

        JsonNode recordedStanza = json("/api/stanzas/" + ping.get("recordedRef").asText());
        assertEquals(1, recordedStanza.get("connection").asLong());
        assertEquals("iq", recordedStanza.get("kind").asText());
        assertEquals("result", recordedStanza.get("type").asText(), recordedStanza.toString());
        JsonNode replayedStanza = json("/api/stanzas/" + ping.get("replayedRef").asText());
        assertEquals(2, replayedStanza.get("connection").asLong());
        assertEquals("error", replayedStanza.get("type").asText(), replayedStanza.toString());
        assertTrue(replayedStanza.get("xml").asText().contains("service-unavailable"), replayedStanza.toString());

        // every ref of every row names a stanza of the right connection the inspector can open
        for (JsonNode s : diff.get("steps")) {
            for (String side : List.of("recordedRef", "replayedRef")) {
                if (!s.get(side).isNull()) {
                    assertEquals(200, get("/api/stanzas/" + s.get(side).asText()).statusCode(), s.toString());
                }
            }
        }
        assertEquals(404, get("/api/diffs/99").statusCode());
        assertEquals(400, get("/api/diffs/nope").statusCode());
        assertEquals(400, get("/api/diffs?x=1").statusCode(), "a parameter /api/diffs does not take");
        assertEquals(400, get("/api/diffs/" + summary.get("id").asLong() + "?x=1").statusCode());
    }

    @Test
    void onATerminalReplayAsksForThePasswordAndDoesNotEchoIt() {
        // logged in with what was typed: the server's SASL success is unchanged, only the ping differs
        assertTrue(promptedScreen.contains("\n  <success xmlns=urn:ietf:params:xml:ns:xmpp-sasl>"), promptedScreen);
        assertTrue(promptedScreen.contains("2 of the server's answers differ"), promptedScreen);
        assertEquals(3, promptedExit, promptedScreen);
        assertFalse(promptedScreen.contains("another-secret"), "the typed password was echoed:\n" + promptedScreen);
    }

    @Test
    void theReplayDiffsViewShowsRecordedBesideReplayedAndOpensTheInspector() throws Exception {
        try (HeadlessChromium browser = new HeadlessChromium(1500, 950)) {
            browser.driver.get(opened.web().url());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(20));
            WebElement nav = wait.until(d -> {
                WebElement b = d.findElement(By.id("nav-diffs"));
                return b.isDisplayed() ? b : null;
            });
            assertEquals("Replay diffs (1)", nav.getText());
            assertFalse(browser.driver.findElement(By.id("follow")).isDisplayed(), "a stored capture has nothing to follow");
            wait.until(d -> d.findElement(By.id("live-text")).getText().equals("stored capture")); // not "live"
            nav.click();
            wait.until(d -> d.findElements(By.cssSelector("#diff-table tbody tr")).size() >= 8);
            int rows = browser.driver.findElements(By.cssSelector("#diff-table tbody tr")).size();
            String option = browser.driver.findElement(By.cssSelector("#diffs-pick option")).getText();
            assertTrue(option.contains("connection 1 vs 2 — 1 of " + rows + " steps differ"), option);
            List<WebElement> changed = browser.driver.findElements(By.cssSelector("#diff-table tr.diff-changed"));
            assertEquals(1, changed.size());
            List<WebElement> cells = changed.get(0).findElements(By.tagName("td"));
            assertTrue(cells.get(1).getText().contains("type=result"), cells.get(1).getText());
            assertTrue(cells.get(2).getText().contains("service-unavailable"), cells.get(2).getText());
            List<String> marked = cells.get(2).findElements(By.tagName("mark")).stream().map(WebElement::getText).toList();
            assertTrue(marked.contains("type=error"), "the difference is highlighted: " + marked);
            assertTrue(browser.driver.findElement(By.id("diffs-summary")).getText().contains("1 of " + rows + " steps differ"),
                    browser.driver.findElement(By.id("diffs-summary")).getText());
            assertTrue(browser.driver.findElement(By.cssSelector("#diff-table thead")).getText().contains("replayed (connection 2)"));
            browser.screenshot("replay-diff");

            WebElement link = cells.get(2).findElement(By.cssSelector("a.diff-ref"));
            String ref = link.getText();
            link.click();
            wait.until(d -> d.getCurrentUrl().endsWith("/stanzas/" + ref));
            wait.until(d -> d.findElement(By.id("inspector")).getText().contains("service-unavailable"));
            assertTrue(!browser.driver.findElement(By.id("diffs-dialog")).isDisplayed(), "the dialog gives way to the inspector");
            browser.screenshot("replay-diff-inspector");
        }
    }
}
