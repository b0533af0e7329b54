package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The mesh stays readable at 3 servers / 30 clients and usable at 300 clients (look at the
 * screenshots), and clients fanned out straight above or below their server keep their labels apart.
 */
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

    /**
     * Loading the mesh counts its nodes a few times, not once for each node: every node placed asked
     * whether the picture was still small enough to refit as it grew, and a capture of 5,000 clients
     * took 1.8 s of the page's first load to count them (the work grew with the square of the clients).
     */
    @Test
    void loadingAMeshOfThousandsCountsItsNodesAFewTimesNotOnceANode() {
        try (HeadlessChromium browser = new HeadlessChromium(1600, 1000);
             WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(SyntheticFederation.crowd(3, 1000)),
                     List.of())) {
            browser.driver.get(server.url());
            new WebDriverWait(browser.driver, Duration.ofSeconds(60)).until(d ->
                    !d.findElements(By.cssSelector("#timeline svg.sequence .row")).isEmpty());
            long counted = (Long) browser.driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const cy = xmppscope.graph.cy;
                    const nodes = cy.nodes.bind(cy);
                    let n = 0;
                    cy.nodes = (...selector) => { n++; return nodes(...selector); };
                    fetch('/api/graph').then((r) => r.json()).then((snapshot) => { xmppscope.graph.load(snapshot); done(n); });""");
            assertTrue(counted < 30, "the 3,003 nodes were counted " + counted + " times");
            assertEquals("3 servers · 3000 clients · 2 s2s", browser.driver.findElement(By.id("graph-counts")).getText());
            browser.screenshot("scale-3000-clients");
        }
    }

    /**
     * Two servers in the tall pane beside the timeline sit one above the other, and their clients
     * fan out straight up and down: the one straight behind its server had its label beside it, on
     * its neighbour's, a label's height lower.
     */
    @Test
    void clientsFannedAboveAndBelowTheirServerKeepTheirLabelsApart() {
        try (HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            for (int perServer : new int[] {2, 3, 7}) {
                try (WebServer server = WebServer.start(WebOptions.loopback(0),
                        ModelSource.fixed(SyntheticFederation.crowd(2, perServer)), List.of())) {
                    browser.driver.get(server.url());
                    new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(d ->
                            !d.findElements(By.cssSelector("#timeline svg.sequence .row")).isEmpty());
                    browser.screenshot("fan-" + perServer + "-clients");
                    assertEquals(List.of(), GraphGeometry.overlappingClientLabels(browser), perServer + " clients a server");
                    assertEquals(List.of("above", "below"), browser.driver.executeScript("return ['a', 'b'].map((s) =>"
                            + " xmppscope.graph.cy.getElementById(`client:user0@${s}.example/res0`).data('side'));"),
                            "the first client of each server is straight behind it");
                }
            }
        }
    }
}
