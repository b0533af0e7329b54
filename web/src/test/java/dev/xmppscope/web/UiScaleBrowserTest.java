package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The mesh stays readable at 3 servers / 30 clients and usable at 300 clients (look at the screenshots). */
class UiScaleBrowserTest {

    @Test
    void thirtyAndThreeHundredClients() {
        try (HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            for (int perServer : new int[] {10, 100}) {
                try (WebServer server = WebServer.start(WebOptions.loopback(0),
                        ModelSource.fixed(SyntheticFederation.crowd(3, perServer)), List.of())) {
                    browser.driver.get(server.url());
                    new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(d ->
                            !d.findElements(By.cssSelector("#timeline svg.sequence .row")).isEmpty());
                    assertEquals("3 servers · " + 3 * perServer + " clients · 2 s2s",
                            browser.driver.findElement(By.id("graph-counts")).getText());
                    browser.screenshot("scale-" + 3 * perServer + "-clients");
                }
            }
        }
    }
}
