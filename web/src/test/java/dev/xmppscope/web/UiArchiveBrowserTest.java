package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import dev.xmppscope.testing.TestCertificates;
import dev.xmppscope.testing.XmppClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A page of bob's archive (XEP-0313), fetched from a real Prosody through the recording proxy, in
 * a real Chromium: the inspector links the archive's copy to alice's message as she sent it.
 */
class UiArchiveBrowserTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void theInspectorLinksAnArchivedCopyToTheMessageItHolds() throws Exception {
        String body = "from the archive " + UUID.randomUUID();
        try (Federation fed = Federation.aliceAndBob().configure((domain, cfg) -> cfg.modules("mam")).start(tmp);
             RecordingProxy proxy = RecordingProxy.start(tmp.resolve("proxy"), fed.relayRoutes(), TlsMode.INTERCEPT, true, false);
             Analyzer analyzer = Analyzer.open(proxy.store())) {
            proxy.recorder().addListener(analyzer);
            X509TrustManager trust = TestCertificates.trustManager(proxy.ca().certificate());
            try (XmppClient alice = client(fed, trust, "a.example", "alice");
                 XmppClient bob = client(fed, trust, "b.example", "bob")) {
                alice.send("bob@b.example", body);
                bob.awaitMessage(body, Duration.ofSeconds(20));
                bob.fetchArchive();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + fed.diagnostics(), e);
            }
            // the recorder hands chunks to the analyzer once committed
            StanzaSummary archived = new FluentWait<>(analyzer).withTimeout(Duration.ofSeconds(20))
                    .pollingEvery(Duration.ofMillis(100)).until(a -> first(a.stanzas(new StanzaQuery(body, null, "message", null,
                            "XEP-0313", null, null, null, null, null, 5)).items()));
            String sent = analyzer.stanzas(new StanzaQuery(body, null, "message", null, null, null, null, null, null, null, 5))
                    .items().get(0).ref();
            try (WebServer web = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(analyzer), List.of());
                 HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
                browser.driver.get(web.url() + "stanzas/" + archived.ref());
                WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(20));
                wait.until(d -> d.findElement(By.id("carried-original")).isDisplayed());
                assertEquals(sent, browser.driver.findElement(By.id("carried-original")).getText());
                browser.screenshot("archive-carries");
                browser.click(d -> d.findElement(By.id("carried-original")));
                wait.until(d -> d.findElement(By.id("stanza-head")).getText().contains(sent));
            }
        }
    }

    private static StanzaSummary first(List<StanzaSummary> items) {
        return items.isEmpty() ? null : items.get(0);
    }

    private static XmppClient client(Federation fed, X509TrustManager trust, String domain, String user) {
        return XmppClient.options(domain, fed.relayC2s(domain)).startTls(trust).resource("laptop").login(user, user + "-pw");
    }
}
