package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The mesh's labels are readable in the windows of ordinary screens: in a laptop's window (the
 * graph pane a third of it wide) the clients' labels were drawn 4-5 px tall, and larger fonts
 * ran into their neighbours. Every label drawn is 10 px or more and clear of the others (look at
 * the screenshots); a fan with no room for its clients' labels shows their count under its server.
 */
class UiGraphLabelsBrowserTest {

    @Test
    void threeServersWithTwentyClientsEachAreReadableOnOrdinaryScreens() {
        try (WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(SyntheticFederation.crowd(3, 20)), List.of())) {
            for (Dimension screen : GraphGeometry.ORDINARY_SCREENS) {
                try (HeadlessChromium browser = new HeadlessChromium(screen.width, screen.height)) {
                    browser.driver.get(server.url());
                    new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(d ->
                            !d.findElements(By.cssSelector("#timeline svg.sequence .row")).isEmpty());
                    GraphGeometry.awaitSettled(browser);
                    browser.screenshot("labels-60-clients-" + screen.width);
                    assertEquals(List.of(), GraphGeometry.unreadableLabels(browser), "3 × 20 clients at " + screen);
                }
            }
        }
    }
}
