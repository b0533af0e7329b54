package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in a real headless Chromium against the real web app, fed a hand-built federation whose
 * JIDs, resources, bodies and attributes carry script probes (no real server routes those).
 */
class UiSyntheticBrowserTest {

    static WebServer server;
    static HeadlessChromium browser;

    @BeforeAll
    static void start() {
        server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(SyntheticFederation.build()), List.of());
        browser = new HeadlessChromium(1600, 1000);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    private WebDriverWait await() {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(10));
    }

    private Object js(String script, Object... args) {
        return browser.driver.executeScript(script, args);
    }

    @Test
    void overviewShowsTheMeshAndTheTimeline() {
        browser.driver.get(server.url());
        await().until(d -> !d.findElements(By.cssSelector("#timeline svg.sequence .row")).isEmpty());
        browser.screenshot("synthetic-overview");
        assertEquals("3 servers · 5 clients · 1 components · 3 s2s", browser.driver.findElement(By.id("graph-counts")).getText());
    }

    @Test
    void scriptProbesStayInert() {
        browser.driver.get(server.url());
        await().until(d -> !d.findElements(By.cssSelector("#timeline svg.sequence .row")).isEmpty());
        js("window.__pwned = 0; window.alert = () => { window.__pwned++; };");
        browser.driver.findElement(By.id("mode-list")).click();
        WebElement evilRow = await().until(d -> d.findElements(By.cssSelector("#timeline tr[data-ref]")).stream()
                .filter(r -> r.getText().contains("onerror")).findFirst().orElse(null));
        evilRow.click();
        await().until(d -> d.findElement(By.id("stanza-xml")).getText().contains("script"));
        browser.screenshot("synthetic-xss-inspector");
        assertEquals(0L, js("return window.__pwned;"));
        assertEquals(0L, js("return document.querySelectorAll('main img, main script, #inspector iframe').length;"));
        assertEquals(0L, js("return [...document.querySelectorAll('a')].filter(a => a.getAttribute('href').startsWith('javascript')).length;"));
        assertTrue(browser.driver.findElement(By.id("stanza-head")).getText().contains("chat"));
        assertFalse(browser.driver.getPageSource().contains("<script>alert"));
    }
}
