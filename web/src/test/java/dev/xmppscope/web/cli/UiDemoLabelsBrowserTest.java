package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.web.GraphGeometry;
import dev.xmppscope.web.HeadlessChromium;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo's federation has readable labels in the windows of ordinary screens: every label drawn
 * 10 px or more and clear of the others (look at the screenshots). At 1,024 and 1,280 px its
 * clients' labels were 4-5 px tall; then, kept at 11 px, a.example's three clients and the
 * conference service had no room and showed their names only on hover. Every node's name shows.
 */
class UiDemoLabelsBrowserTest {

    @Test
    void theDemoFederationIsReadableOnOrdinaryScreens() {
        try (DemoCommand.Running demo = PausedDemo.atItsEnd("federation")) {
            for (Dimension screen : GraphGeometry.ORDINARY_SCREENS) {
                try (HeadlessChromium browser = new HeadlessChromium(screen.width, screen.height)) {
                    browser.driver.get(demo.server().url());
                    new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(d ->
                            d.findElement(By.id("graph-counts")).getText().startsWith("3 servers"));
                    GraphGeometry.awaitSettled(browser);
                    browser.screenshot("labels-demo-" + screen.width);
                    assertEquals(List.of(), GraphGeometry.unreadableLabels(browser), "the demo at " + screen);
                    assertEquals(List.of(), GraphGeometry.unlabelledNodes(browser), "nodes named only on hover at " + screen);
                }
            }
        }
    }
}
