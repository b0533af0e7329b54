package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaSummary;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.WheelInput;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What changes in the model shows up in an open page without a reload. */
class UiLiveBrowserTest {

    @Test
    void newEntitiesAndStanzasAppearLive() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        try (WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of());
             HeadlessChromium browser = new HeadlessChromium(1400, 900)) {
            browser.driver.get(server.url());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(10));
            wait.until(d -> d.findElements(By.cssSelector("#timeline svg.sequence .row")).size() == 28);
            wait.until(d -> d.findElement(By.id("live-text")).getText().equals("live"));
            Object before = browser.driver.executeScript("return JSON.stringify(xmppscope.graph.cy.getElementById('server:a.example').position());");

            model.put(new GraphNode("client:dave@b.example/car", "client", "dave@b.example/car", "server:b.example", "dave@b.example", ""));
            model.put(new GraphEdge("c2s:2", "client:bob@b.example/desk", "server:b.example", "c2s", "established", List.of(2L), 99, 9999, null));
            String xml = "<message xmlns='jabber:client' to='alice@a.example' type='chat' id='live1'><body>live!</body></message>";
            model.put(new StanzaDetail(new StanzaSummary("2-s-99", 2, "toServer", SyntheticFederation.T0 + 900_000_000L,
                    "message", "chat", "bob@b.example/desk", "alice@a.example", "live1", List.of("jabber:client"),
                    List.of(), "chat: live!", xml.length(), 5000, "ok"), xml, null, null, null, false, null));

            wait.until(d -> d.findElements(By.cssSelector("#timeline svg.sequence .row")).size() == 29);
            wait.until(d -> d.findElement(By.id("graph-counts")).getText().startsWith("3 servers · 6 clients"));
            assertEquals(before, browser.driver.executeScript(
                    "return JSON.stringify(xmppscope.graph.cy.getElementById('server:a.example').position());"),
                    "placed nodes do not move when others arrive");
            browser.screenshot("synthetic-live");
        }
    }

    /**
     * A growing capture opens on its newest page; paused, a filter shows its first page, and
     * following again brings the newest back; "Load earlier" pages back to the first stanza.
     */
    @Test
    void followingALongLiveCaptureShowsItsNewestPage() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        for (int i = 0; i < 400; i++) {
            model.put(message("2-s-" + (1000 + i), SyntheticFederation.T0 + 500_000_000L + i * 1000L, "old" + i));
        }
        try (WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of());
             HeadlessChromium browser = new HeadlessChromium(1400, 900)) {
            browser.driver.get(server.url());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(10));
            wait.until(d -> d.findElement(By.id("live-text")).getText().equals("live"));
            wait.until(d -> !d.findElements(By.cssSelector("#timeline [data-ref='2-s-1399']")).isEmpty());
            assertTrue(browser.driver.findElements(By.cssSelector("#timeline [data-ref='2-s-1000']")).isEmpty(),
                    "the newest 300 of 428, not the first");
            assertFalse(browser.driver.findElement(By.id("load-more")).isDisplayed(), "the newest page is the end");
            assertEquals("300 elements (more available)", browser.driver.findElement(By.id("timeline-count")).getText());

            browser.driver.findElement(By.id("follow")).click(); // paused
            browser.driver.findElement(By.id("f-q")).sendKeys("message");
            wait.until(d -> !d.findElements(By.cssSelector("#timeline [data-ref='2-s-1000']")).isEmpty());
            assertTrue(browser.driver.findElement(By.id("load-more")).isDisplayed(), "paused, a filter starts at the first match");
            model.put(message("2-s-5000", SyntheticFederation.T0 + 900_000_000L, "newest"));
            wait.until(d -> d.findElement(By.id("timeline-new")).getText().equals("1 new — follow"));
            browser.driver.findElement(By.id("timeline-new")).click();
            wait.until(d -> !d.findElements(By.cssSelector("#timeline [data-ref='2-s-5000']")).isEmpty());
            assertFalse(browser.driver.findElement(By.id("load-more")).isDisplayed());
            browser.screenshot("live-newest-page");

            browser.driver.findElement(By.id("f-clear")).click();
            wait.until(d -> d.findElement(By.id("load-earlier")).isDisplayed());
            browser.driver.findElement(By.id("load-earlier")).click();
            wait.until(d -> d.findElement(By.id("timeline-count")).getText().equals("429 elements"));
            assertFalse(browser.driver.findElements(By.cssSelector("#timeline [data-ref='2-s-1000']")).isEmpty());
            assertFalse(browser.driver.findElement(By.id("load-earlier")).isDisplayed(), "back at the first stanza");
        }
    }

    /** Following a long live session keeps the newest 2,000 elements, so the page stays responsive. */
    @Test
    void followingKeepsTheNewestTwoThousandAndLoadEarlierBringsBackTheRest() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        try (WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of());
             HeadlessChromium browser = new HeadlessChromium(1400, 900)) {
            browser.driver.get(server.url());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(20));
            wait.until(d -> d.findElement(By.id("live-text")).getText().equals("live"));
            browser.driver.findElement(By.id("mode-list")).click();
            wait.until(d -> d.findElements(By.cssSelector("#timeline tr[data-ref]")).size() == 28);

            // after the 28 already shown, 2,128 in all, in two bursts that each fit one request for the tail
            for (int i = 0; i < 2100; i++) {
                model.put(message("2-s-" + (10_000 + i), SyntheticFederation.T0 + 1_000_000_000L + i * 1000L, "m" + i));
                if (i == 1099) {
                    wait.until(d -> !d.findElements(By.cssSelector("#timeline tr[data-ref='2-s-11099']")).isEmpty());
                }
            }
            wait.until(d -> !d.findElements(By.cssSelector("#timeline tr[data-ref='2-s-12099']")).isEmpty());
            wait.until(d -> d.findElement(By.id("timeline-count")).getText().equals("2000 elements (more available)"));
            assertTrue(browser.driver.findElements(By.cssSelector("#timeline tr[data-ref='2-s-10099']")).isEmpty(),
                    "the 28 first and the 100 oldest messages went");
            assertFalse(browser.driver.findElements(By.cssSelector("#timeline tr[data-ref='2-s-10100']")).isEmpty());

            browser.driver.findElement(By.id("load-earlier")).click();
            wait.until(d -> d.findElement(By.id("timeline-count")).getText().equals("2128 elements"));
            assertFalse(browser.driver.findElements(By.cssSelector("#timeline tr[data-ref='2-s-10000']")).isEmpty());
            assertFalse(browser.driver.findElement(By.id("load-earlier")).isDisplayed(), "back at the first stanza");
        }
    }

    /** Scrolling back to read pauses Following: what arrives is counted, the view stays where it was. */
    @Test
    void scrollingBackPausesFollowingSoArrivalsDoNotPullTheViewAway() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        try (WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of());
             HeadlessChromium browser = new HeadlessChromium(1400, 900)) {
            browser.driver.get(server.url());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(10));
            wait.until(d -> d.findElement(By.id("live-text")).getText().equals("live"));
            wait.until(d -> d.findElements(By.cssSelector("#timeline svg.sequence .row")).size() == 28);
            WebElement timeline = browser.driver.findElement(By.id("timeline"));
            new Actions(browser.driver).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(timeline), 0, -150).perform();
            wait.until(d -> d.findElement(By.id("follow")).getText().equals("Paused"));
            Object readingAt = browser.driver.executeScript("return document.getElementById('timeline').scrollTop;");

            model.put(message("2-s-5000", SyntheticFederation.T0 + 900_000_000L, "newest"));
            wait.until(d -> d.findElement(By.id("timeline-new")).getText().equals("1 new — follow"));
            assertEquals(readingAt, browser.driver.executeScript("return document.getElementById('timeline').scrollTop;"),
                    "the view stays where the user is reading");
            assertTrue(browser.driver.findElements(By.cssSelector("#timeline [data-ref='2-s-5000']")).isEmpty());

            browser.driver.findElement(By.id("timeline-new")).click();
            wait.until(d -> !d.findElements(By.cssSelector("#timeline [data-ref='2-s-5000']")).isEmpty());
            assertEquals("Following", browser.driver.findElement(By.id("follow")).getText());
        }
    }

    /** More arriving at once than one request for the tail holds: the newest page is shown. */
    @Test
    void aBurstLargerThanOneRequestShowsTheNewestPage() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        try (WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of());
             HeadlessChromium browser = new HeadlessChromium(1400, 900)) {
            browser.driver.get(server.url());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(20));
            wait.until(d -> d.findElement(By.id("live-text")).getText().equals("live"));
            wait.until(d -> d.findElements(By.cssSelector("#timeline svg.sequence .row")).size() == 28);
            browser.driver.findElement(By.id("follow")).click(); // paused while the burst arrives
            for (int i = 0; i < 2500; i++) {
                model.put(message("2-s-" + (10_000 + i), SyntheticFederation.T0 + 1_000_000_000L + i * 1000L, "m" + i));
            }
            wait.until(d -> d.findElement(By.id("timeline-new")).getText().equals("2500 new — follow"));
            browser.driver.findElement(By.id("timeline-new")).click();
            wait.until(d -> !d.findElements(By.cssSelector("#timeline [data-ref='2-s-12499']")).isEmpty());
            assertEquals("300 elements (more available)", browser.driver.findElement(By.id("timeline-count")).getText());
        }
    }

    private static StanzaDetail message(String ref, long at, String id) {
        String xml = "<message xmlns='jabber:client' to='alice@a.example' type='chat' id='" + id + "'><body>hi</body></message>";
        return new StanzaDetail(new StanzaSummary(ref, 2, "toServer", at, "message", "chat", "bob@b.example/desk",
                "alice@a.example", id, List.of("jabber:client"), List.of(), "chat: hi", xml.length(), 5000, "ok"),
                xml, null, null, null, false, null);
    }
}
