package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.replay.Annotation;
import dev.xmppscope.replay.CaptureReplayer;
import dev.xmppscope.replay.ReplayApi;
import dev.xmppscope.replay.ReplayModel;
import dev.xmppscope.replay.ReplayTimeline;
import dev.xmppscope.web.WebOptions;
import dev.xmppscope.web.WebServer;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import dev.xmppscope.web.GraphGeometry;
import dev.xmppscope.web.HeadlessChromium;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * The acceptance story end to end: two real Prosody servers federate through {@code xmppscope
 * proxy} (started as the CLI starts it: recorder → analyzer → web UI in one process), real Smack
 * clients log in and chat, and a real Chromium watches. Then {@code xmppscope open} serves the
 * same capture database again.
 */
class RealFederationWebTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    static <T> T parse(T command, List<String> args) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(new ByteArrayOutputStream(), true));
        cl.parseArgs(args.toArray(String[]::new));
        return command;
    }

    static JsonNode get(Serving s, String path) throws Exception {
        return JSON.readTree(body(s, path));
    }

    /** The body of a 200 answer to GET {@code path} from what {@code s} serves. */
    static String body(Serving s, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(s.web().url().replaceAll("/$", "") + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    @Test
    void aNewcomerWatchesAMessageCrossTheFederation() throws Exception {
        String body = "hello bob across the mesh " + UUID.randomUUID();
        Path db = tmp.resolve("capture");
        try (Federation fed = Federation.builder("a.example", "b.example")
                .configure((domain, cfg) -> cfg.s2sEncryption(false))
                .user("a.example", "alice", "alice-pw").user("b.example", "bob", "bob-pw")
                .user("a.example", "mallory", "mallory-pw")
                .start(tmp.resolve("servers"))) {
            List<String> args = new ArrayList<>();
            for (String route : fed.relayRoutes()) {
                args.add("--route=" + route);
            }
            args.addAll(List.of("--db", db.toString(), "--web", "127.0.0.1:0"));
            Serving proxy = parse(new ProxyCommand(), args).start();
            try (HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
                browser.driver.get(proxy.web().url());
                WebDriverWait wait = new WebDriverWait(browser.driver, WAIT);
                wait.until(d -> d.findElement(By.id("live-text")).getText().equals("live"));
                try (XmppClient bob = XmppClient.options("b.example", fed.relayC2s("b.example")).resource("laptop")
                        .saslMechanism("PLAIN").login("bob", "bob-pw");
                     XmppClient alice = XmppClient.options("a.example", fed.relayC2s("a.example")).resource("phone")
                             .saslMechanism("PLAIN").login("alice", "alice-pw")) {
                    long sent = System.nanoTime();
                    alice.send("bob@b.example", body);
                    bob.awaitMessage(body, WAIT);
                    // the message appears in the open page without a reload
                    wait.until(d -> (Boolean) browser.driver.executeScript(
                            "return [...document.querySelectorAll('#timeline .row')].filter(r => r.textContent.includes(arguments[0])).length >= 3;",
                            "hello bob across"));
                    System.out.printf("message rendered in the timeline at most %.0f ms after Smack sent it"
                                    + " (first message: includes s2s setup and the 0.5 s polling of the wait)%n",
                            (System.nanoTime() - sent) / 1e6);
                    wait.until(d -> d.findElement(By.id("graph-counts")).getText().startsWith("2 servers · 2 clients"));
                    browser.screenshot("real-federation-overview");
                    wait.until(d -> GraphGeometry.settledFill(browser));
                    assertEquals(List.of(), GraphGeometry.clippedNodeLabels(browser), "every node's label is drawn whole");

                    // the first hop: alice's message as it entered a.example
                    browser.click(d -> (WebElement) browser.driver.executeScript(
                            "const r = [...document.querySelectorAll('#timeline .row.k-message')]"
                            + ".find(r => r.textContent.includes(arguments[0])); if (r) r.scrollIntoView({block: 'center'}); return r;",
                            "hello bob across"));
                    awaitText(browser, "stanza-xml", body);
                    wait.until(d -> d.findElements(By.cssSelector("#route-hops tbody tr")).size() == 3);
                    browser.screenshot("real-federation-stanza");

                    sendScriptProbes(fed, bob, browser, wait);
                }

                JsonNode graph = get(proxy, "/api/graph");
                List<String> ids = new ArrayList<>();
                graph.get("nodes").forEach(n -> ids.add(n.get("id").asText()));
                assertTrue(ids.containsAll(List.of("server:a.example", "server:b.example",
                        "client:alice@a.example/phone", "client:bob@b.example/laptop")), ids.toString());
                boolean s2s = false;
                for (JsonNode e : graph.get("edges")) {
                    s2s |= e.get("kind").asText().equals("s2s") && e.get("source").asText().equals("server:a.example")
                            && e.get("target").asText().equals("server:b.example");
                }
                assertTrue(s2s, "a directed s2s edge a.example → b.example: " + graph.get("edges"));

                JsonNode hits = get(proxy, "/api/stanzas?kind=message&q=" + body.replace(" ", "%20")).get("items");
                assertEquals(3, hits.size(), "alice's c2s, the s2s stream and bob's c2s: " + hits);
                JsonNode detail = get(proxy, "/api/stanzas/" + hits.get(0).get("ref").asText());
                assertEquals(3, detail.get("route").get("hops").size(), detail.toString());

                long aliceConn = hits.get(0).get("connection").asLong();
                List<String> steps = new ArrayList<>();
                get(proxy, "/api/connections/" + aliceConn + "/negotiation").get("items")
                        .forEach(st -> steps.add(st.get("step").asText()));
                assertTrue(steps.contains("sasl-success") && steps.contains("bind"), steps.toString());
                browser.driver.get(proxy.web().url().replaceAll("/$", "") + "/connections/" + aliceConn);
                wait.until(d -> !d.findElements(By.cssSelector("#negotiation-steps li")).isEmpty());
                browser.screenshot("real-federation-negotiation");
                // the inspector offers the stream alone, for a bug report: alice's connection and nobody else's
                String href = wait.until(d -> d.findElement(By.id("export-connection"))).getAttribute("href");
                assertTrue(href.endsWith("/api/capture/export?connection=" + aliceConn), href);
                HttpResponse<Path> alone = HTTP.send(HttpRequest.newBuilder(URI.create(href)).build(),
                        HttpResponse.BodyHandlers.ofFile(tmp.resolve("alice.xscap")));
                assertEquals(200, alone.statusCode());
                WebCommandsTest.Run shown = WebCommandsTest.run("show", alone.body().toString());
                List<String> rows = shown.out().lines().filter(l -> l.matches("\\d+\\s.*")).toList();
                assertEquals(1, rows.size(), shown.out());
                assertTrue(rows.get(0).contains("alice@a.example/phone"), shown.out());
                assertEquals(404, HTTP.send(HttpRequest.newBuilder(URI.create(proxy.web().url() + "api/capture/export?connection=9999"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode());

                assertEquals(List.of("xscap", "pcapng"), JSON.convertValue(get(proxy, "/api/capture").get("formats"), List.class));
                assertTrue(get(proxy, "/api/capture").get("live").asBoolean(), "the proxy's capture grows while shown");
                HttpResponse<Path> pcapng = HTTP.send(HttpRequest.newBuilder(URI.create(proxy.web().url()
                        + "api/capture/export?format=pcapng")).build(), HttpResponse.BodyHandlers.ofFile(tmp.resolve("dl.pcapng")));
                assertEquals(200, pcapng.statusCode());
                assertTrue(Files.size(pcapng.body()) > 0);
                HttpResponse<Path> export = HTTP.send(HttpRequest.newBuilder(URI.create(
                        proxy.web().url() + "api/capture/export")).build(), HttpResponse.BodyHandlers.ofFile(tmp.resolve("dl.xscap")));
                assertEquals(200, export.statusCode());
                assertTrue(Files.size(export.body()) > 0);
                CaptureFiles.open(export.body()); // recognised as a capture file
            } finally {
                proxy.closeAll();
            }
        }

        // the same database, opened later: the same story without any server running
        Serving opened = parse(new OpenCommand(), List.of(db.toString(), "--web", "127.0.0.1:0")).startAnalyzed();
        try {
            assertEquals(3, get(opened, "/api/stanzas?kind=message&q=" + body.replace(" ", "%20")).get("items").size());
            assertFalse(get(opened, "/api/capture").get("live").asBoolean(), "a stored capture opens on its first stanza");
        } finally {
            opened.closeAll();
        }
        // the exported .xscap opens the same way (imported into a temporary database)
        Serving fromFile = parse(new OpenCommand(), List.of(tmp.resolve("dl.xscap").toString(), "--web", "127.0.0.1:0")).startAnalyzed();
        try {
            assertEquals(3, get(fromFile, "/api/stanzas?kind=message&q=" + body.replace(" ", "%20")).get("items").size());
        } finally {
            fromFile.closeAll();
        }
        // the exported file replayed: the controls appear, the narration follows, the message travels again
        replayInTheBrowser(tmp.resolve("dl.xscap"));
    }

    /**
     * Mallory binds a resource that is an HTML tag (RFC 7622 allows it, Prosody binds it) and sends
     * a script in the body, an onerror attribute and a javascript: URL across the federation. The page must show them
     * as text and run nothing.
     */
    private void sendScriptProbes(Federation fed, XmppClient bob, HeadlessChromium browser, WebDriverWait wait) throws Exception {
        browser.driver.executeScript("window.__pwned = 0; window.alert = () => { window.__pwned++; };");
        String resource = "<img src=x onerror=alert('resource')>";
        String body = "<script>alert('body')</script> javascript:alert('text') " + UUID.randomUUID();
        try (XmppClient mallory = XmppClient.options("a.example", fed.relayC2s("a.example")).resource(resource)
                .saslMechanism("PLAIN").login("mallory", "mallory-pw")) {
            Message m = mallory.connection().getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.from("nobody@b.example")).ofType(Message.Type.chat).setBody(body)
                    .addExtension(StandardExtensionElement.builder("x", "urn:xmppscope:probe")
                            .addAttribute("onerror", "alert('attribute')")
                            .addElement("url", "javascript:alert('url')").build())
                    .build();
            mallory.connection().sendStanza(m);
            // to a user that does not exist: Smack's own parser asserts on a JID like mallory's, so no
            // Smack client receives it; b.example bounces it, which puts the probes on every link.
            // The bounce is awaited back at mallory's stream too: arriving while a row is clicked,
            // it re-renders the list under the click, and the inspector then shows the bounce
            wait.until(d -> (Boolean) browser.driver.executeScript(
                    "const rows = [...document.querySelectorAll('#timeline .row')];"
                    + "return rows.filter(r => r.textContent.includes(\"alert('body')\")).length >= 2"
                    + " && rows.filter(r => r.textContent.includes('service-unavailable')).length >= 2;"));
        }
        browser.driver.findElement(By.id("mode-list")).click();
        browser.click(d -> (WebElement) browser.driver.executeScript(
                "const r = [...document.querySelectorAll('#timeline tr[data-ref]')].reverse()"
                + ".find(r => r.textContent.includes(\"alert('body')\")); if (r) r.scrollIntoView({block: 'center'}); return r;"));
        awaitText(browser, "stanza-xml", "onerror=", "javascript:alert"); // the attribute and the URL, as text
        awaitText(browser, "stanza-head", "<script>alert('body')</script>"); // the body, as text
        browser.screenshot("real-federation-script-probes");
        for (String view : List.of("/", "/connections")) {
            browser.driver.executeScript("history.pushState(null, '', arguments[0]); dispatchEvent(new PopStateEvent('popstate'));", view);
            assertEquals(0L, browser.driver.executeScript("return window.__pwned;"), view + ": no script ran");
            assertEquals(0L, browser.driver.executeScript(
                    "return document.querySelectorAll('main img, main script, main iframe, [onerror]').length;"), view + ": nothing injected");
            assertEquals(0L, browser.driver.executeScript(
                    "return [...document.querySelectorAll('a[href]')].filter(a => !a.getAttribute('href').startsWith('/')).length;"),
                    view + ": every link is our own");
        }
        browser.driver.findElement(By.id("nav-mesh")).click();
        browser.driver.findElement(By.id("mode-sequence")).click();
    }

    /**
     * Waits until the element {@code id} shows every one of {@code parts}. The inspector re-renders
     * when the stanza's route gains a hop, so the element is found afresh each time: text read
     * from one found a moment before can fail as stale.
     */
    private static void awaitText(HeadlessChromium browser, String id, String... parts) {
        List<String> expected = List.of(parts);
        String[] shown = {""}; // what the last look saw, for the timeout's message
        new WebDriverWait(browser.driver, WAIT).ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "#" + id + " shows " + expected + "; it showed: " + shown[0])
                .until(d -> {
                    shown[0] = d.findElement(By.id(id)).getText();
                    return expected.stream().allMatch(shown[0]::contains);
                });
    }

    private void replayInTheBrowser(Path xscap) throws Exception {
        ReplayTimeline timeline = ReplayTimeline.load(CaptureFiles.open(xscap));
        ReplayModel.Factory fresh = () -> {
            try {
                Path dir = Files.createTempDirectory(tmp, "replay");
                CaptureStore store = CaptureStore.open(dir.resolve("model"));
                Analyzer analyzer = Analyzer.open(store);
                return new ReplayModel(analyzer, analyzer, () -> {
                    analyzer.close();
                    store.close();
                });
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        try (CaptureReplayer replayer = CaptureReplayer.start(timeline,
                List.of(new Annotation(timeline.start(), "Bob and Alice log in to their own servers")), fresh,
                new CaptureReplayer.Options(1.0, false, false, 2_000));
             WebServer server = WebServer.start(WebOptions.loopback(0), replayer, List.of(new ReplayApi(replayer)));
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            browser.driver.get(server.url());
            WebDriverWait wait = new WebDriverWait(browser.driver, WAIT);
            wait.until(d -> d.findElement(By.id("replay")).isDisplayed());
            new Select(browser.driver.findElement(By.id("replay-speed"))).selectByValue("100");
            browser.driver.findElement(By.id("replay-play")).click();
            wait.until(d -> (Boolean) browser.driver.executeScript(
                    "return [...document.querySelectorAll('#timeline .row')].filter(r => r.textContent.includes('hello bob across')).length >= 3;"));
            wait.until(d -> d.findElement(By.id("narration")).getText().equals("Bob and Alice log in to their own servers"));
            browser.screenshot("real-replay");
        }
    }
}
