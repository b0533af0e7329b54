package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A label the graph leaves out for want of room shows on hover; keyboard and touch users had no
 * way to read it. In a small laptop's window, three servers' twenty clients each have no room for
 * their labels: the graph's pane is a tab stop, the arrow keys go from node to node showing each
 * one's label and naming it in a live region, Enter narrows the timeline to it as a click does,
 * and a tap shows a label as hovering does.
 */
class UiGraphKeyboardBrowserTest {

    private static final String ALICE = "client:user0@a.example/res0";
    private static final String BOB = "client:user5@b.example/res5";

    @Test
    void theKeyboardAndATapRevealTheLabelsLeftOutForWantOfRoom() {
        try (WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(SyntheticFederation.crowd(3, 20)), List.of());
             HeadlessChromium browser = new HeadlessChromium(1024, 768)) {
            browser.driver.get(server.url());
            new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(d ->
                    !d.findElements(By.cssSelector("#timeline svg.sequence .row")).isEmpty());
            GraphGeometry.awaitSettled(browser);
            assertTrue(GraphGeometry.unlabelledNodes(browser).containsAll(List.of(ALICE, BOB)),
                    "the clients' labels have no room in this window: " + GraphGeometry.unlabelledNodes(browser));

            browser.driver.findElement(By.id("graph-fit")).sendKeys(Keys.TAB);
            assertEquals("graph", browser.driver.switchTo().activeElement().getAttribute("id"), "Tab reaches the graph");
            Actions keys = new Actions(browser.driver);
            for (int i = 0; i < 5 && !said(browser).startsWith("user0@a.example/res0"); i++) {
                keys.sendKeys(Keys.ARROW_RIGHT).perform();
            }
            assertEquals("user0@a.example/res0: client of a.example, 1 stream", said(browser), "the live region names the node reached");
            assertTrue(GraphGeometry.shownLabels(browser).contains(ALICE), "its label shows");
            browser.screenshot("keyboard-reveals-label");

            keys.sendKeys(Keys.ENTER).perform();
            assertEquals("user0@a.example/res0", browser.driver.findElement(By.id("graph-selection")).getText(),
                    "Enter narrows the timeline to it");
            keys.sendKeys(Keys.ARROW_LEFT).perform();
            assertEquals("a.example: server, 20 clients, 21 streams", said(browser), "the arrow keys go back too");
            assertTrue(!GraphGeometry.shownLabels(browser).contains(ALICE), "the label left behind has no room again");
            keys.sendKeys(Keys.ESCAPE).perform();
            assertEquals("", said(browser), "Escape leaves the nodes");

            tap(browser, BOB);
            assertTrue(GraphGeometry.shownLabels(browser).contains(BOB), "a tap shows a label as hovering does");
            browser.screenshot("tap-reveals-label");
        }
    }

    private static String said(HeadlessChromium browser) {
        return browser.driver.findElement(By.id("graph-said")).getText();
    }

    /** Touches the node `id` with a finger: a touch starting and ending where it is drawn. */
    private static void tap(HeadlessChromium browser, String id) {
        @SuppressWarnings("unchecked")
        Map<String, Number> at = (Map<String, Number>) browser.driver.executeScript("""
                const n = xmppscope.graph.cy.getElementById(arguments[0]);
                const box = document.getElementById('graph').getBoundingClientRect();
                return {x: box.left + n.renderedPosition().x, y: box.top + n.renderedPosition().y};""", id);
        browser.driver.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", true, "maxTouchPoints", 1));
        Map<String, Object> point = Map.of("x", at.get("x"), "y", at.get("y"));
        browser.driver.executeCdpCommand("Input.dispatchTouchEvent", Map.of("type", "touchStart", "touchPoints", List.of(point)));
        browser.driver.executeCdpCommand("Input.dispatchTouchEvent", Map.of("type", "touchEnd", "touchPoints", List.of()));
    }
}
