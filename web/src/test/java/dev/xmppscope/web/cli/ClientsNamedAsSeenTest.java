package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.capture.pcap.Tshark;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import dev.xmppscope.web.HeadlessChromium;
import dev.xmppscope.web.ModelSource;
import dev.xmppscope.web.WebOptions;
import dev.xmppscope.web.WebServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Two real pcaps of Smack on a real Prosody, imported as one capture: bob logs in without TLS, and
 * only what he sent was captured (no bind result: his JID is what his login and bind request claim,
 * with markup in its resource, which must stay text); alice logs in with STARTTLS, not decrypted
 * (her login is out of sight, not missing). Each is named as far as the capture shows it, in the
 * API, the terminal and the browser.
 */
class ClientsNamedAsSeenTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;

    static Path db;
    static final String BOB = "bob@a.example/lap<i>top</i>";

    @BeforeAll
    static void captureTwoLogins() throws Exception {
        Path oneWay = tmp.resolve("bob-to-server.pcapng");
        Path both = tmp.resolve("alice-starttls.pcapng");
        try (Federation fed = Federation.aliceAndBobUnrelayed().start(tmp.resolve("servers"))) {
            InetSocketAddress c2s = fed.server("a.example").c2s();
            String host = c2s.getAddress().getHostAddress();
            Tshark.Capture capture = Tshark.capture("tcp and dst host " + host + " and dst port " + c2s.getPort(), oneWay, false);
            try (XmppClient bob = XmppClient.options("a.example", c2s).resource("lap<i>top</i>").login("bob", "bob-secret")) {
                assertEquals(BOB, bob.jid().toString());
            } finally {
                capture.stop();
            }
            capture = Tshark.capture(Tshark.trafficOf(c2s), both, false);
            try (XmppClient alice = XmppClient.options("a.example", c2s).startTls(fed.server("a.example").certificate().trustManager())
                    .login("alice", "alice-secret")) {
                assertTrue(alice.isSecureConnection());
            } finally {
                capture.stop();
            }
        }
        db = tmp.resolve("db");
        try (CaptureStore store = CaptureStore.open(db)) {
            CaptureFiles.importPcapParts(store, List.of(oneWay, both), ProgressBar.NONE, sink -> sink);
        }
    }

    @Test
    void showNamesTheClaimedClientInTheListAndTheClientInsideTlsInTheGraph() {
        WebCommandsTest.Run list = WebCommandsTest.run("show", db.toString(), "--no-pager");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().lines().anyMatch(l -> l.matches("1\\s+c2s\\s+none\\s+.*\\Q" + BOB + " (claimed)\\E\\s.*")), list.out());

        WebCommandsTest.Run graph = WebCommandsTest.run("show", db.toString(), "--graph", "--no-pager");
        assertEquals(0, graph.exit(), graph.err());
        assertTrue(graph.out().lines().anyMatch(l -> l.matches("  client 127\\.0\\.0\\.1:\\d+ \\(inside TLS\\)\\s+client\\s+c2s .*")),
                graph.out());
        assertTrue(graph.out().lines().noneMatch(l -> l.contains("unauthenticated")), graph.out());
    }

    @Test
    void theApiAndTheBrowserSayTheClaimedJidAsTextAndTheClientInsideTls() throws Exception {
        try (CaptureStore store = CaptureStore.open(db); Analyzer analyzer = Analyzer.open(store)) {
            try (var reader = store.newReader()) {
                analyzer.analyze(reader, n -> { });
            }
            analyzer.flushed();
            try (WebServer web = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(analyzer), List.of());
                 HeadlessChromium browser = new HeadlessChromium(1400, 900)) {
                JsonNode connections = get(web, "api/connections").get("items");
                assertEquals(BOB, connections.get(0).get("claimedJid").asText(), connections.toString());
                assertTrue(connections.get(0).get("jid").isNull());
                assertTrue(connections.get(1).get("claimedJid").isNull(), "alice's login is inside TLS: " + connections);
                List<String> clients = StreamSupport.stream(get(web, "api/graph").get("nodes").spliterator(), false)
                        .filter(n -> n.get("kind").asText().equals("client")).map(n -> n.get("label").asText()).toList();
                assertEquals(2, clients.size(), clients.toString());
                assertTrue(clients.contains(BOB + " (claimed; bound JID not seen)"), clients.toString());
                assertTrue(clients.stream().anyMatch(l -> l.matches("client 127\\.0\\.0\\.1:\\d+ \\(inside TLS\\)")), clients.toString());

                browser.driver.get(web.url() + "connections/1");
                WebElement identity = new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                        .until(d -> d.findElement(By.cssSelector("#connections-table tr[data-id='1'] td.identity")));
                assertEquals(BOB + " (claimed)", identity.getAttribute("title"));
                assertTrue(identity.findElements(By.tagName("i")).isEmpty(), "the resource's markup is text, not an element");
                WebElement inspector = new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                        .until(d -> d.findElement(By.id("inspector")).getText().contains("claimed as") ? d.findElement(By.id("inspector")) : null);
                assertTrue(inspector.getText().contains("claimed as\n" + BOB + " (its login or its stanzas' from; no bind seen)"),
                        inspector.getText());
                assertTrue(inspector.findElements(By.tagName("i")).isEmpty(), "the resource's markup is text, not an element");
                browser.screenshot("claimed-client");
            }
        }
    }

    private static JsonNode get(WebServer web, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(web.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body());
    }
}
