package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.capture.pcap.HttpBeside;
import dev.xmppscope.capture.pcap.Tshark;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import dev.xmppscope.web.HeadlessChromium;
import dev.xmppscope.web.ModelSource;
import dev.xmppscope.web.WebOptions;
import dev.xmppscope.web.WebServer;
import dev.xmppscope.web.api.CaptureExportApi;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real pcap (dumpcap on a Prosody's address) of a Smack client logging in with Direct TLS on
 * 5223, and an HTTP request beside it. What a user sees of it, in the terminal and in the
 * browser: the TLS connection as c2s to a.example, said to be inferred and how, and the HTTP
 * connection the import left out, said where the capture is shown, not only on the import's console.
 */
class DirectTlsPcapShownTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;

    static Path pcap;
    static InetSocketAddress http;

    private static final String INFERRED = "it went to port 5223, XEP-0368's Direct TLS port for clients, and its SNI names a.example";

    @BeforeAll
    static void captureADirectTlsLoginBesideHttp() throws Exception {
        pcap = tmp.resolve("direct-tls.pcapng");
        try (Federation fed = Federation.builder("a.example").relayed(false).user("a.example", "alice", "alice-secret")
                .start(tmp.resolve("servers"))) {
            InetSocketAddress directTls = fed.server("a.example").directTls();
            Tshark.Capture capture = Tshark.capture("tcp and host " + directTls.getAddress().getHostAddress(), pcap, false);
            HttpBeside web = HttpBeside.start(directTls.getAddress());
            http = web.address();
            try (XmppClient alice = XmppClient.options("a.example", directTls).directTls(fed.server("a.example").certificate()
                    .trustManager()).login("alice", "alice-secret")) {
                assertEquals(200, web.get());
            } finally {
                capture.stop();
                web.close();
            }
        }
    }

    private static String leftOut() {
        return pcap + ": left out 1 TCP connection carrying no XMPP: " + http.getAddress().getHostAddress() + ":" + http.getPort()
                + " (HTTP)";
    }

    @Test
    void showListsTheConnectionAsAnInferredC2sAndSaysWhatTheImportLeftOut() {
        WebCommandsTest.Run r = WebCommandsTest.run("show", pcap.toString(), "--no-pager");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(1).matches("1\\s+c2s\\*\\s+direct-tls-passthrough\\s+.*to a\\.example.*"), r.out());
        assertEquals("* c2s inferred: " + INFERRED, lines.get(2).strip(), r.out());
        assertTrue(lines.get(lines.size() - 1).startsWith(leftOut()), r.out());
    }

    @Test
    void theBrowserShowsTheConnectionAsAnInferredC2sAndWhatTheImportLeftOut() throws Exception {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("db"))) {
            CaptureFiles.importInto(store, pcap, ProgressBar.NONE, sink -> sink);
            try (Analyzer analyzer = Analyzer.open(store)) {
                try (var reader = store.newReader()) {
                    analyzer.analyze(reader, n -> { });
                }
                analyzer.flushed();
                try (WebServer web = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(analyzer),
                        List.of(CaptureExportApi.of(store, pcap)));
                     HeadlessChromium browser = new HeadlessChromium(1400, 900)) {
                    browser.driver.get(web.url());
                    WebElement notes = new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                            .until(d -> d.findElement(By.id("import-notes")).isDisplayed() ? d.findElement(By.id("import-notes")) : null);
                    assertTrue(notes.getText().startsWith(leftOut()), notes.getText());
                    browser.screenshot("import-notes");

                    browser.driver.get(web.url() + "connections/1");
                    WebElement inferred = new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                            .until(d -> d.findElement(By.cssSelector("#connections-table tr[data-id='1'] .inferred")));
                    assertEquals("inferred: " + INFERRED, inferred.getAttribute("title"));
                    WebElement head = new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                            .until(d -> d.findElement(By.id("connection-head")));
                    assertTrue(head.getText().startsWith("c2s\ninferred\nStream #1"), head.getText());
                    assertTrue(browser.driver.findElement(By.id("inspector")).getText().contains("kind\nc2s, inferred: " + INFERRED),
                            browser.driver.findElement(By.id("inspector")).getText());
                    browser.screenshot("direct-tls-inferred");
                }
            }
        }
    }
}
