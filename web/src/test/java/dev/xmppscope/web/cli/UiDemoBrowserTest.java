package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.web.GraphGeometry;
import dev.xmppscope.web.HeadlessChromium;
import dev.xmppscope.web.WebOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The bundled samples as a newcomer sees them with 'xmppscope demo' (look at the screenshots). */
class UiDemoBrowserTest {

    @Test
    void theDemoShowsTheThreeServerFederationWithNarration() {
        try (DemoCommand.Running demo = DemoCommand.start("federation", WebOptions.loopback(0), 20, false);
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            browser.driver.get(demo.server().url());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            wait.until(d -> d.findElement(By.id("replay")).isDisplayed());
            wait.until(d -> d.findElement(By.id("graph-counts")).getText().startsWith("3 servers"));
            wait.until(d -> !d.findElement(By.id("narration")).getText().isEmpty());
            wait.until(d -> d.findElements(By.cssSelector("#timeline .row.k-message")).size() >= 3);
            browser.click(d -> d.findElement(By.cssSelector("#timeline .row.k-message"))); // the replay re-renders it
            wait.until(d -> d.findElement(By.id("stanza-xml")).isDisplayed());
            browser.screenshot("demo-federation");
            assertEquals("20×", new org.openqa.selenium.support.ui.Select(
                    browser.driver.findElement(By.id("replay-speed"))).getFirstSelectedOption().getText(),
                    "the speed given on the command line is shown");
        }
    }

    /**
     * The federation's first view: the mesh fills the tall graph pane both ways (it used a third of
     * its height), and each pair of servers federating over two streams, one each way, shows both
     * streams' labels apart (they were drawn over each other).
     */
    @Test
    void theFederationFillsTheGraphPaneWithEveryStreamLabelReadable() {
        try (DemoCommand.Running demo = PausedDemo.atItsEnd("federation");
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            GraphGeometry.Fill fill = settledFederation(demo, browser);
            browser.screenshot("demo-graph-fit");
            assertTrue(fill.fills(0.85, 0.6), "the mesh fills the pane up to the margin one way, and much of it the other: "
                    + fill);
            assertEquals(5L, GraphGeometry.parallelPairs(browser), "a, b and c pairwise, a and c with b's conference service");
            assertEquals(List.of(), GraphGeometry.overlappingParallelLabels(browser));
            assertEquals(List.of(), GraphGeometry.overlappingClientLabels(browser), "clients' labels stay clear of the others");
        }
    }

    /**
     * b.example's conference service federates with a.example and c.example over streams of its
     * own. Placed close to b.example on the side facing them, its streams ran alongside b.example's:
     * labels of different pairs of nodes were drawn over each other ("18 stanzas" hidden), and
     * b.example's streams ran through the service's name.
     */
    @Test
    void theFederationsStreamsOfDifferentNodesKeepTheirLabelsApart() {
        try (DemoCommand.Running demo = PausedDemo.atItsEnd("federation");
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            settledFederation(demo, browser);
            assertEquals(List.of(), GraphGeometry.overlappingStreamLabels(browser), "no two streams' labels overlap");
            assertEquals(List.of(), GraphGeometry.nodeLabelsOverStreamLabels(browser), "nor a node's label a stream's");
            assertEquals(List.of(), GraphGeometry.nodeLabelsCrossedByStreams(browser, "client", "component"),
                    "no stream runs through a client's or a service's label");
        }
    }

    /** Opens the demo's federation and waits until its graph, all three servers in, stops moving; returns its box. */
    private static GraphGeometry.Fill settledFederation(DemoCommand.Running demo, HeadlessChromium browser) {
        browser.driver.get(demo.server().url());
        WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
        wait.until(d -> d.findElement(By.id("graph-counts")).getText().startsWith("3 servers"));
        return wait.until(d -> GraphGeometry.settledFill(browser));
    }

    /**
     * A timeline narrowed to an s2s stream, then the replay goes back to before that stream opened
     * (a seek, the next loop): the API has no such stream now (404), so the narrowing is dropped and
     * the timeline shows what there is, rather than "Could not load" in every pane.
     */
    @Test
    void goingBackBeforeTheStreamShownOpenedShowsEveryStreamAgain() {
        try (DemoCommand.Running demo = PausedDemo.atItsEnd("federation");
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            settledFederation(demo, browser);
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            browser.driver.executeScript("xmppscope.graph.cy.edges().filter((e) => e.data('kind') === 's2s')[0].emit('tap');");
            wait.until(d -> d.findElement(By.id("f-conn")).isDisplayed());
            demo.replayer().seek(demo.replayer().status().start());
            wait.until(d -> !d.findElement(By.id("f-conn")).isDisplayed());
            assertTrue(!browser.driver.findElement(By.id("graph-selection")).isDisplayed(), "nor is it said over the graph");
            wait.until(d -> d.findElement(By.id("timeline")).getText().contains("No stanzas yet")
                    || !d.findElements(By.cssSelector("#timeline .row")).isEmpty());
            browser.screenshot("demo-seek-back-narrowed");
            assertTrue(!browser.driver.findElement(By.id("graph-note")).isDisplayed(),
                    browser.driver.findElement(By.id("graph-note")).getText());
            assertTrue(!browser.driver.findElement(By.id("timeline")).getText().contains("Could not load"),
                    browser.driver.findElement(By.id("timeline")).getText());
        }
    }

    /**
     * The top bar with the replay controls stays one line at 1,000 px (it wrapped onto two, pushing
     * the panes down), and at 1,280 px; narrower, it may wrap, but each control stays whole.
     */
    @Test
    void theTopBarWithTheReplayControlsIsOneLineAtAThousandPixels() {
        for (int width : new int[] {1000, 1280, 760}) {
            // the longest sample, played to its end: its position reads longest ("34.26 s / 34.26 s · ended")
            try (DemoCommand.Running demo = DemoCommand.start("failures", WebOptions.loopback(0), 100, false);
                 HeadlessChromium browser = new HeadlessChromium(width, 800)) {
                browser.driver.get(demo.server().url());
                WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
                wait.until(d -> d.findElement(By.id("replay-position")).getText().endsWith("ended"));
                wait.until(d -> d.findElement(By.id("live-text")).getText().equals("live"));
                browser.screenshot("demo-topbar-" + width);
                assertEquals(List.of(), misplacedInTopBar(browser, width >= 1000), "at " + width + " px");
            }
        }
    }

    /**
     * The top bar's visible controls (by id or text) cut off at its right edge, squeezed under their
     * own width, or, when it should be {@code oneLine}, below its first line.
     */
    @SuppressWarnings("unchecked")
    private static List<String> misplacedInTopBar(HeadlessChromium browser, boolean oneLine) {
        return (List<String>) browser.driver.executeScript("""
                const items = [...document.querySelectorAll('.topbar > *, .topbar .replay > *')]
                  .filter((e) => e.offsetParent !== null && !e.classList.contains('spacer') && !e.classList.contains('replay'));
                const bar = document.querySelector('.topbar').getBoundingClientRect();
                const first = Math.min(...items.map((e) => e.getBoundingClientRect().top));
                return items.filter((e) => {
                  const r = e.getBoundingClientRect();
                  return (arguments[0] && r.top > first + 12) || r.right > bar.right || e.scrollWidth > e.clientWidth + 1
                    || (e.type === 'range' && r.width < 60);
                }).map((e) => e.id || e.textContent.trim());""", oneLine);
    }

    @Test
    void aLinkToAnEarlyStanzaShowsItInTheTimeline() {
        try (DemoCommand.Running demo = PausedDemo.atItsEnd("federation");
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            // alice's first STARTTLS: the growing capture opens on its newest 300 elements, which it is not among
            String first = demo.replayer().current().stanzas(new StanzaQuery(null, null, "tls", null, null, null, null, null,
                    null, null, 1)).items().get(0).ref();
            assertTrue(demo.replayer().current().stanzas(new StanzaQuery(null, null, null, null, null, null, null, null, null,
                    "latest", 300)).items().stream().noneMatch(st -> st.ref().equals(first)));
            browser.driver.get(demo.server().url() + "stanzas/" + first);
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            String row = "#timeline [data-ref='" + first + "']";
            wait.until(d -> !d.findElements(By.cssSelector(row + ".selected")).isEmpty());
            assertTrue((Boolean) browser.driver.executeScript("""
                    const row = document.querySelector(arguments[0]).getBoundingClientRect();
                    const pane = document.getElementById('timeline').getBoundingClientRect();
                    return row.top >= pane.top && row.bottom <= pane.bottom;""", row), "the row is scrolled into view");
            assertEquals("Paused", browser.driver.findElement(By.id("follow")).getText(),
                    "an older page is shown: following the newest would pull it away");
            browser.screenshot("demo-deep-link");
        }
    }

    @Test
    void anIdInTheInspectorFiltersTheTimelineToTheStanzasSharingIt() {
        try (DemoCommand.Running demo = PausedDemo.atItsEnd("federation");
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            // alice's ping of c.example: the request and its answer, on her stream and on the s2s stream
            StanzaSummary ping = demo.replayer().current().stanzas(new StanzaQuery(null, null, "iq", "get", "urn:xmpp:ping",
                    null, null, null, null, null, 1)).items().get(0);
            browser.driver.get(demo.server().url() + "stanzas/" + ping.ref());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            browser.click(d -> d.findElement(By.cssSelector("#inspector button.filter[data-filter='id']")));
            wait.until(d -> d.findElements(By.cssSelector("#timeline .row")).size() == 4);
            assertEquals(ping.id(), browser.driver.findElement(By.id("f-id")).getAttribute("value"));
            assertEquals(1, browser.driver.findElements(By.cssSelector("#timeline .row.selected")).size(),
                    "the stanza shown stays marked among them");
            browser.screenshot("demo-filter-by-id");
        }
    }

    @Test
    void aBounceLinksTheMessageItBouncesAndBack() {
        try (DemoCommand.Running demo = PausedDemo.atItsEnd("failures");
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            String bounce = demo.replayer().current().stanzas(new StanzaQuery("remote-server-not-found", null, "message",
                    "error", null, null, null, null, null, null, 5)).items().get(0).ref();
            browser.driver.get(demo.server().url() + "stanzas/" + bounce);
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            wait.until(d -> d.findElement(By.id("iq-partner")).isDisplayed());
            assertTrue(browser.driver.findElement(By.id("inspector")).getText().contains("The error that came back for"));
            browser.screenshot("demo-bounce");
            browser.click(d -> d.findElement(By.id("iq-partner")));
            wait.until(d -> d.findElement(By.id("inspector")).getText().contains("Bounced:"));
            assertEquals(bounce, browser.driver.findElement(By.id("iq-partner")).getText(),
                    "alice's message links back to its bounce");
        }
    }
}
