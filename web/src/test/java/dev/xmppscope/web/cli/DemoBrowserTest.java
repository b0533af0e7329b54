package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.web.HeadlessChromium;
import dev.xmppscope.web.WebOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What a newcomer sees after {@code xmppscope demo}: the federation graph growing, replay controls, narration. */
class DemoBrowserTest {

    @Test
    void theDemoShowsTheFederationGrowingWithReplayControls() {
        try (DemoCommand.Running demo = DemoCommand.start("federation", WebOptions.loopback(0), 5, true);
             HeadlessChromium browser = new HeadlessChromium(1400, 900)) {
            browser.driver.get(demo.server().url());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(40));
            wait.until(d -> d.findElement(By.id("replay")).isDisplayed());
            wait.until(d -> ((Number) browser.driver.executeScript(
                    "return xmppscope.graph.cy.nodes('[kind = \"server\"]').length;")).intValue() >= 3);
            // the label follows the graph on the next render, and the looping demo starts over
            // from an empty graph now and then: wait for it rather than read it once
            wait.until(d -> d.findElement(By.id("graph-counts")).getText().startsWith("3 servers"));
            browser.screenshot("demo-federation");
            String counts = browser.driver.findElement(By.id("graph-counts")).getText();
            assertTrue(counts.contains("s2s"), counts);
            assertFalse(browser.driver.findElement(By.id("replay")).getText().isBlank());
        }
    }
}
