package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphEdge;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.replay.BundledSample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.WheelInput;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What changes in the model shows up in an open page without a reload. */
class UiLiveBrowserTest {
    private static final String SEQUENCE_ROWS = "#timeline svg.sequence .row";

    @Test
    void newEntitiesAndStanzasAppearLive() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        try (LivePage page = new LivePage(model)) {
            page.awaitRows(SEQUENCE_ROWS, 28);
            Object before = page.browser.driver.executeScript(
                    "return JSON.stringify(xmppscope.graph.cy.getElementById('server:a.example').position());");

            model.put(new GraphNode("client:dave@b.example/car", "client", "dave@b.example/car", "server:b.example", "dave@b.example", ""));
            model.put(new GraphEdge("c2s:2", "client:bob@b.example/desk", "server:b.example", "c2s", "established", List.of(2L), 99, 9999, null, null));
            model.put(message("2-s-99", SyntheticFederation.T0 + 900_000_000L, "live1"));

            page.awaitRows(SEQUENCE_ROWS, 29);
            page.wait.until(d -> page.element("graph-counts").getText().startsWith("3 servers · 6 clients"));
            assertEquals(before, page.browser.driver.executeScript(
                    "return JSON.stringify(xmppscope.graph.cy.getElementById('server:a.example').position());"),
                    "placed nodes do not move when others arrive");
            page.browser.screenshot("synthetic-live");
        }
    }

    /**
     * An external component first drawn beside a stand-in for the server at its address moves beside
     * that server once the capture names it: the analyzer gives it a new parent and drops the stand-in.
     * In a mesh of over 200 nodes, which a fit does not spread again (spread.js).
     */
    @Test
    void aComponentMovesBesideItsServerOnceTheCaptureNamesIt() {
        InMemoryCaptureModel model = SyntheticFederation.crowd(3, 70);
        String standIn = "server:#at-127.0.0.2:5347";
        String bridge = "server:bridge.example";
        model.put(new GraphNode(standIn, "server", "unnamed server 127.0.0.2:5347", null, null, ""));
        model.put(new GraphNode(bridge, "component", "bridge.example", standIn, null, ""));
        model.put(new GraphEdge("component:90", bridge, standIn, "component", "established", List.of(90L), 4, 400, null, null));
        try (LivePage page = new LivePage(model)) {
            page.wait.until(d -> standIn.equals(page.nearestServer(bridge)));
            double before = page.distance(bridge, "server:a.example");
            model.put(new GraphNode(bridge, "component", "bridge.example", "server:a.example", null, ""));
            model.put(new GraphEdge("component:90", bridge, "server:a.example", "component", "established", List.of(90L), 4, 400,
                    null, null));
            model.removeNode(standIn);
            page.wait.until(d -> page.element("graph-counts").getText().startsWith("3 servers"));
            // it moves in beside a.example; left where the stand-in was drawn, it would stay as far
            page.wait.until(d -> page.distance(bridge, "server:a.example") < before);
            assertEquals("server:a.example", page.nearestServer(bridge));
            page.browser.screenshot("live-component-moved");
        }
    }

    /**
     * A growing capture opens on its newest page; paused, a filter shows its first page, and
     * following again brings the newest back; "Load earlier" pages back to the first stanza.
     */
    @Test
    void followingALongLiveCaptureShowsItsNewestPage() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        putMessages(model, 1000, 400, 500_000_000L, "old");
        try (LivePage page = new LivePage(model)) {
            page.awaitShown("2-s-1399");
            assertFalse(page.shows("2-s-1000"), "the newest 300 of 428, not the first");
            assertFalse(page.element("load-more").isDisplayed(), "the newest page is the end");
            assertEquals("300 elements (more available)", page.element("timeline-count").getText());

            page.element("follow").click(); // paused
            page.element("f-q").sendKeys("message");
            page.awaitShown("2-s-1000");
            assertTrue(page.element("load-more").isDisplayed(), "paused, a filter starts at the first match");
            model.put(message("2-s-5000", SyntheticFederation.T0 + 900_000_000L, "newest"));
            page.awaitText("timeline-new", "1 new — follow");
            page.element("timeline-new").click();
            page.awaitShown("2-s-5000");
            assertFalse(page.element("load-more").isDisplayed());
            page.browser.screenshot("live-newest-page");

            page.element("f-clear").click();
            page.wait.until(d -> page.element("load-earlier").isDisplayed());
            page.element("load-earlier").click();
            page.awaitText("timeline-count", "429 elements");
            assertTrue(page.shows("2-s-1000"));
            assertFalse(page.element("load-earlier").isDisplayed(), "back at the first stanza");
        }
    }

    /** Following a long live session keeps the newest 2,000 elements, so the page stays responsive. */
    @Test
    void followingKeepsTheNewestTwoThousandAndLoadEarlierBringsBackTheRest() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        try (LivePage page = new LivePage(model)) {
            page.element("mode-list").click();
            page.awaitRows("#timeline tr[data-ref]", 28);

            // after the 28 already shown, 2,128 in all, in two bursts that each fit one request for the tail
            putMessages(model, 10_000, 1100, 1_000_000_000L, "m");
            page.awaitShown("2-s-11099");
            putMessages(model, 11_100, 1000, 1_001_100_000L, "n");
            page.awaitShown("2-s-12099");
            page.awaitText("timeline-count", "2000 elements (more available)");
            assertFalse(page.shows("2-s-10099"), "the 28 first and the 100 oldest messages went");
            assertTrue(page.shows("2-s-10100"));

            page.element("load-earlier").click();
            page.awaitText("timeline-count", "2128 elements");
            assertTrue(page.shows("2-s-10000"));
            assertFalse(page.element("load-earlier").isDisplayed(), "back at the first stanza");
        }
    }

    /** Scrolling back to read pauses Following: what arrives is counted, the view stays where it was. */
    @Test
    void scrollingBackPausesFollowingSoArrivalsDoNotPullTheViewAway() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        try (LivePage page = new LivePage(model)) {
            page.awaitRows(SEQUENCE_ROWS, 28);
            WebElement timeline = page.element("timeline");
            new Actions(page.browser.driver).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(timeline), 0, -150).perform();
            page.awaitText("follow", "Paused");
            Object readingAt = page.browser.driver.executeScript("return document.getElementById('timeline').scrollTop;");

            model.put(message("2-s-5000", SyntheticFederation.T0 + 900_000_000L, "newest"));
            page.awaitText("timeline-new", "1 new — follow");
            assertEquals(readingAt, page.browser.driver.executeScript("return document.getElementById('timeline').scrollTop;"),
                    "the view stays where the user is reading");
            assertFalse(page.shows("2-s-5000"));

            page.element("timeline-new").click();
            page.awaitShown("2-s-5000");
            assertEquals("Following", page.element("follow").getText());
        }
    }

    /**
     * Picking a stanza while Following holds the view on it, as Wireshark's auto-scroll stops on
     * a selection: what arrives is still appended and counted, not scrolled to, and the Following
     * button reads "Held"; the button (or the chip, or scrolling down to the end) follows again.
     */
    @Test
    void pickingAStanzaHoldsTheViewOnItWhileArrivalsAreAppended() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        putMessages(model, 1000, 100, 500_000_000L, "old");
        try (LivePage page = new LivePage(model)) {
            page.awaitShown("2-s-1099");
            page.browser.click(d -> d.findElement(By.cssSelector("#timeline [data-ref='2-s-1050']")));
            page.wait.until(d -> d.getCurrentUrl().endsWith("/stanzas/2-s-1050"));
            double at = page.rowOffset("2-s-1050");

            putMessages(model, 5000, 50, 900_000_000L, "new");
            page.awaitShown("2-s-5049");
            page.awaitText("timeline-new", "50 new below — follow");
            assertEquals(at, page.rowOffset("2-s-1050"), 1.0, "the picked stanza stays where it was");
            assertTrue(page.element("timeline-new").getAttribute("title").startsWith("Held on the stanza you picked"));
            assertEquals("Held", page.element("follow").getText(), "the button says the view holds");
            assertEquals(page.element("timeline-new").getAttribute("title"), page.element("follow").getAttribute("title"));

            page.element("follow").click(); // catches up, rather than pausing
            page.wait.until(d -> page.scrolledToEnd());
            assertFalse(page.element("timeline-new").isDisplayed());
            assertEquals("Following", page.element("follow").getText());
            model.put(message("2-s-6000", SyntheticFederation.T0 + 950_000_000L, "after"));
            page.awaitShown("2-s-6000");
            page.wait.until(d -> page.scrolledToEnd());
        }
    }

    /**
     * A row pressed while stanzas arrive is the one picked: what arrives waits until the press is
     * let go, then is appended below it. A redraw between mousedown and mouseup replaced the row,
     * and the click was lost.
     */
    @Test
    void aRowPressedWhileStanzasArriveIsTheOnePicked() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        putMessages(model, 1000, 100, 500_000_000L, "old");
        try (LivePage page = new LivePage(model)) {
            page.awaitShown("2-s-1099");
            WebElement row = page.browser.driver.findElement(By.cssSelector("#timeline [data-ref='2-s-1095']"));
            new Actions(page.browser.driver).moveToElement(row).clickAndHold().perform();
            putMessages(model, 5000, 50, 900_000_000L, "new");
            // let go after a second, as a slow click is: the arrivals' fetch and redraw take a tenth of that
            new Actions(page.browser.driver).pause(Duration.ofSeconds(1)).release().perform();
            page.wait.until(d -> d.getCurrentUrl().endsWith("/stanzas/2-s-1095"));
            page.awaitShown("2-s-5049");
            page.awaitText("timeline-new", "50 new below — follow");
        }
    }

    /**
     * While the mouse is over the timeline, what arrives is appended below the view, not scrolled
     * to, so the row being aimed at stays under the pointer; leaving follows again. Each arrival
     * used to scroll the rows up, and an aimed-at row moved away before the press.
     */
    @Test
    void arrivalsWaitBelowWhileTheMouseIsOverTheTimeline() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        putMessages(model, 1000, 100, 500_000_000L, "old");
        try (LivePage page = new LivePage(model)) {
            page.awaitShown("2-s-1099");
            page.wait.until(d -> page.scrolledToEnd());
            WebElement row = page.browser.driver.findElement(By.cssSelector("#timeline [data-ref='2-s-1095']"));
            new Actions(page.browser.driver).moveToElement(row).perform();
            double at = page.rowOffset("2-s-1095");

            putMessages(model, 5000, 50, 900_000_000L, "new");
            page.awaitShown("2-s-5049");
            page.awaitText("timeline-new", "50 new below — follow");
            assertEquals(at, page.rowOffset("2-s-1095"), 1.0, "the row under the pointer stays there");
            assertEquals("Held", page.element("follow").getText());
            assertEquals("Held while the mouse is over the timeline: move it away, or click, to follow the newest",
                    page.element("timeline-new").getAttribute("title"), "the chip says why, on hover");
            page.browser.screenshot("live-held-under-the-pointer");

            new Actions(page.browser.driver).moveToElement(page.element("follow")).perform();
            page.wait.until(d -> page.scrolledToEnd());
            assertFalse(page.element("timeline-new").isDisplayed());
            assertEquals("Following", page.element("follow").getText());
            model.put(message("2-s-6000", SyntheticFederation.T0 + 950_000_000L, "after"));
            page.awaitShown("2-s-6000");
            page.wait.until(d -> page.scrolledToEnd());
        }
    }

    /**
     * A search that takes a while (on a long capture, the first search for rare text reads it
     * through: about a second per million elements) says so, and dims the rows it will replace,
     * until it answers. Before, nothing moved, as if the search box did nothing.
     */
    @Test
    void aSlowSearchSaysItIsSearchingUntilItAnswers() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        putMessages(model, 1000, 100, 500_000_000L, "old");
        try (LivePage page = new LivePage(model)) {
            page.awaitShown("2-s-1099");
            assertFalse(page.element("timeline-searching").isDisplayed());
            // the server's answers reach the page a second and a half late, as from a long capture
            ((JavascriptExecutor) page.browser.driver).executeScript("const real = window.fetch;"
                    + " window.fetch = (url, opts) => String(url).includes('/api/stanzas')"
                    + " ? new Promise((r) => setTimeout(r, 1500)).then(() => real(url, opts)) : real(url, opts);");
            page.element("f-q").sendKeys("'old42'");
            page.wait.until(d -> page.element("timeline-searching").isDisplayed());
            assertEquals("Searching…", page.element("timeline-searching").getText());
            assertTrue(page.element("timeline").getAttribute("class").contains("searching"), "the rows it will replace dim");
            page.browser.screenshot("live-searching");

            page.awaitText("timeline-count", "1 element");
            page.wait.until(d -> !page.element("timeline-searching").isDisplayed());
            assertFalse(page.element("timeline").getAttribute("class").contains("searching"));
            assertTrue(page.shows("2-s-1042"));
        }
    }

    /**
     * On a long capture each request reads only part of the timeline and answers with what it found
     * there ("searchedTo"): the timeline asks on from where it stopped, saying how far the search got,
     * until its page is full or everything is read. Before, such a search read the whole capture in
     * one request that nothing but a newer search could stop.
     */
    @Test
    void aSearchAnsweredInPartsAsksOnUntilItFindsWhatItLooksFor() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        putMessages(model, 1000, 1000, 500_000_000L, "old");
        model.readsPerQuery(150);
        try (LivePage page = new LivePage(model)) {
            page.awaitShown("2-s-1999");
            ((JavascriptExecutor) page.browser.driver).executeScript("window.parts = 0; const real = window.fetch;"
                    + " window.fetch = (url, opts) => !String(url).includes('q=')"
                    + " ? real(url, opts) : new Promise((r) => setTimeout(r, 300)).then(() => { window.parts++; return real(url, opts); });");
            page.element("f-q").sendKeys("'old42'");
            page.wait.until(d -> page.element("timeline-searching").getText().startsWith("Searching… back to +"));
            page.browser.screenshot("live-searching-in-parts");

            page.awaitText("timeline-count", "1 element");
            assertTrue(page.shows("2-s-1042"));
            long parts = (Long) page.browser.driver.executeScript("return window.parts;");
            assertTrue(parts >= 7, "read back 958 stanzas 150 at a time: " + parts + " requests");
            page.wait.until(d -> !page.element("timeline-searching").isDisplayed());
            assertEquals("Searching…", page.element("timeline-searching").getAttribute("textContent"), "said afresh for the next search");
        }
    }

    /**
     * A live capture updates each stream with every batch of its stanzas. Behind the mesh the
     * Connections table is not rebuilt for them (at 5,000 streams each rebuild took 0.6 s, five times
     * a second, and the page froze); it shows them once opened.
     */
    @Test
    void theHiddenConnectionsTableIsDrawnWhenShownNotAtEachUpdate() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        try (LivePage page = new LivePage(model)) {
            page.awaitRows(SEQUENCE_ROWS, 28);
            ((JavascriptExecutor) page.browser.driver).executeScript("window.rebuilt = 0;"
                    + " new MutationObserver(() => window.rebuilt++).observe("
                    + "document.querySelector('#connections-table tbody'), {childList: true});");
            ConnectionView c = model.connections().get(0);
            for (int n = 1; n <= 5; n++) {
                model.put(new ConnectionView(c.id(), c.route(), c.kind(), c.tls(), c.client(), c.server(), c.jid(), c.streamFrom(),
                        c.streamTo(), c.openedAt(), c.closedAt(), c.closeReason(), c.closeDetail(), c.state(), c.error(), c.warning(),
                        1000 + n, c.bytesIn(), c.bytesOut(), c.kindInferred()));
            }
            model.put(message("2-s-500", SyntheticFederation.T0 + 900_000_000L, "after-the-updates"));
            page.awaitShown("2-s-500"); // the live socket delivers in order: the updates came before it
            page.browser.driver.executeAsyncScript("setTimeout(arguments[arguments.length - 1], 600);"); // past the redraw's delay
            assertEquals(0L, page.browser.driver.executeScript("return window.rebuilt;"), "nothing drawn behind the mesh");

            page.element("nav-connections").click();
            page.wait.until(d -> d.findElement(By.cssSelector("#connections-table tr[data-id='" + c.id() + "']")).getText()
                    .contains("1005"));
        }
    }

    /**
     * Typing on while a search is still out: the server stops the search the new filters replaced
     * (a real analyzer's index answers it 409) and the page shows the newer one's rows, no error.
     */
    @Test
    void aSearchTheFiltersReplacedStopsAndTheNewerOneIsShown(@TempDir Path tmp) {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture")); Analyzer analyzer = Analyzer.open(store)) {
            BundledSample.open("federation").reader().replay(analyzer);
            analyzer.flushed();
            List<String> newer = analyzer.stanzas(new StanzaQuery("Hello room", null, null, null, null, null, null, null, null,
                    null, 100)).items().stream().map(StanzaSummary::ref).toList();
            assertFalse(newer.isEmpty(), "the sample greets its room");
            try (LivePage page = new LivePage(analyzer)) {
                page.wait.until(d -> !d.findElements(By.cssSelector("#timeline [data-ref]")).isEmpty());
                // the search for "Hello" reaches the server only once a later one has its answer, as an
                // overtaken request would: by then the server knows it was replaced
                ((JavascriptExecutor) page.browser.driver).executeScript("""
                        window.asked = []; window.answered = [];
                        const real = window.fetch;
                        let release; const later = new Promise((r) => { release = r; });
                        window.fetch = (url, opts) => {
                          const params = new URL(String(url), location.href).searchParams;
                          if (!String(url).includes('/api/stanzas?')) return real(url, opts);
                          window.asked.push(params.get('search'));
                          const sent = params.get('q') === 'Hello' ? later.then(() => real(url, opts))
                            : real(url, opts).finally(() => release());
                          return sent.then((r) => { window.answered.push(params.get('search') + ' ' + r.status); return r; });
                        };""");
                page.element("f-q").sendKeys("Hello");
                page.wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return window.asked.length;")).intValue() == 1);
                page.element("f-q").sendKeys(" room");
                page.wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return window.answered.length;")).intValue() == 2);

                @SuppressWarnings("unchecked")
                List<String> asked = (List<String>) page.browser.driver.executeScript("return window.asked;");
                @SuppressWarnings("unchecked")
                List<String> answered = (List<String>) page.browser.driver.executeScript("return window.answered;");
                String client = asked.get(0).substring(0, asked.get(0).lastIndexOf(':'));
                long first = Long.parseLong(asked.get(0).substring(client.length() + 1));
                assertEquals(List.of(client + ":" + first, client + ":" + (first + 1)), asked, "numbered, newest highest");
                assertEquals(List.of(client + ":" + (first + 1) + " 200", client + ":" + first + " 409"), answered);
                page.wait.until(d -> newer.stream().allMatch(page::shows));
                assertTrue(page.browser.driver.findElements(By.cssSelector("#timeline .empty-note")).isEmpty(),
                        "no error for the search that was replaced");
            }
        }
    }

    /** A bounce a real Prosody sent (the failures sample): the inspector says what its condition means. */
    @Test
    void aBouncesConditionIsExplainedInTheInspector(@TempDir Path tmp) {
        try (CaptureStore store = CaptureStore.open(tmp.resolve("capture")); Analyzer analyzer = Analyzer.open(store)) {
            BundledSample.open("failures").reader().replay(analyzer);
            analyzer.flushed();
            String bounce = analyzer.stanzas(new StanzaQuery(null, null, "message", "error", null, null, null, null, null, null, 1))
                    .items().get(0).ref();
            try (LivePage page = new LivePage(analyzer)) {
                page.browser.driver.get(page.server.url() + "stanzas/" + bounce);
                WebElement error = page.wait.until(d -> d.findElements(By.cssSelector(".insp-section .bad")).stream()
                        .findFirst().orElse(null));
                assertEquals("remote-server-not-found: the recipient's server could not be found or reached (DNS, or the"
                        + " server-to-server connection failed)", error.getText());
                page.browser.screenshot("inspector-bounce-explained");
            }
        }
    }

    /** More arriving at once than one request for the tail holds: the newest page is shown. */
    @Test
    void aBurstLargerThanOneRequestShowsTheNewestPage() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        try (LivePage page = new LivePage(model)) {
            page.awaitRows(SEQUENCE_ROWS, 28);
            page.element("follow").click(); // paused while the burst arrives
            putMessages(model, 10_000, 2500, 1_000_000_000L, "m");
            page.awaitText("timeline-new", "2500 new — follow");
            page.element("timeline-new").click();
            page.awaitShown("2-s-12499");
            assertEquals("300 elements (more available)", page.element("timeline-count").getText());
        }
    }

    /**
     * Following a federation wider than the pane: the view scrolls sideways to the newest arrow,
     * and leaves a sideways scroll alone while what arrives is in view (it used to snap back to
     * the leftmost lanes at every arrival).
     */
    @Test
    void followingScrollsSidewaysToTheNewestArrowAndOtherwiseStaysPut() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        try (LivePage page = new LivePage(model)) {
            page.awaitRows(SEQUENCE_ROWS, 28);
            page.browser.driver.executeScript("document.getElementById('timeline').scrollLeft = 0;");
            assertTrue(page.scrollLeftMax() > 200, "eight lanes are wider than the pane");

            // carol's stream to c.example: the rightmost lanes
            model.put(message("3-s-99", 3, SyntheticFederation.T0 + 900_000_000L, "far-right"));
            page.awaitShown("3-s-99");
            page.wait.until(d -> page.arrowInView("3-s-99"));
            assertTrue(page.scrollLeft() > 0);
            page.browser.screenshot("live-follows-sideways");

            page.browser.driver.executeScript("const t = document.getElementById('timeline'); t.scrollLeft = t.scrollWidth;");
            long right = page.scrollLeft();
            model.put(message("3-s-100", 3, SyntheticFederation.T0 + 901_000_000L, "far-right-again"));
            page.awaitShown("3-s-100");
            assertEquals(right, page.scrollLeft(), "the newest arrow was in view already");
            assertTrue(page.arrowInView("3-s-100"));
        }
    }

    /** "Load earlier" and switching views redraw the timeline; the row being read stays where it was. */
    @Test
    void redrawingKeepsTheRowBeingReadInPlace() {
        InMemoryCaptureModel model = SyntheticFederation.build();
        putMessages(model, 1000, 400, 500_000_000L, "old");
        try (LivePage page = new LivePage(model)) {
            page.awaitShown("2-s-1399");
            page.element("follow").click(); // paused, to read back
            page.browser.driver.executeScript("document.getElementById('timeline').scrollTop = 0;");
            String reading = page.firstRowInView();
            double offset = page.rowOffset(reading);

            page.element("load-earlier").click();
            page.awaitText("timeline-count", "428 elements");
            assertEquals(reading, page.firstRowInView(), "the 128 loaded before it did not push it away");
            assertEquals(offset, page.rowOffset(reading), 2.0);

            page.element("mode-list").click();
            page.awaitRows("#timeline tr[data-ref]", 428);
            assertEquals(reading, page.firstRowInView(), "the list opens where the sequence was read");
            page.element("mode-sequence").click();
            page.awaitRows(SEQUENCE_ROWS, 428);
            assertEquals(reading, page.firstRowInView());
        }
    }

    /** {@code count} chat messages on bob's stream, refs 2-s-{@code first}..., a microsecond apart from T0 + {@code fromNanos}. */
    private static void putMessages(InMemoryCaptureModel model, int first, int count, long fromNanos, String idPrefix) {
        for (int i = 0; i < count; i++) {
            model.put(message("2-s-" + (first + i), SyntheticFederation.T0 + fromNanos + i * 1000L, idPrefix + i));
        }
    }

    private static StanzaDetail message(String ref, long at, String id) {
        return message(ref, 2, at, id);
    }

    /** A chat message on {@code connection}'s stream towards its server. */
    private static StanzaDetail message(String ref, long connection, long at, String id) {
        String xml = "<message xmlns='jabber:client' to='alice@a.example' type='chat' id='" + id + "'><body>hi</body></message>";
        return new StanzaDetail(new StanzaSummary(ref, connection, "toServer", at, "message", "chat", "bob@b.example/desk",
                "alice@a.example", id, List.of("jabber:client"), List.of(), "chat: hi", xml.length(), 5000, "ok"),
                xml, null, null, null, false, null, null);
    }

    /** The UI over {@code model} in a headless browser, once its live socket is open. */
    private static final class LivePage implements AutoCloseable {
        final WebServer server;
        final HeadlessChromium browser;
        final WebDriverWait wait;

        LivePage(CaptureModel model) {
            server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of());
            try {
                browser = new HeadlessChromium(1400, 900);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            browser.driver.get(server.url());
            wait = new WebDriverWait(browser.driver, Duration.ofSeconds(20));
            awaitText("live-text", "live");
        }

        WebElement element(String id) {
            return browser.driver.findElement(By.id(id));
        }

        /** How far apart nodes {@code a} and {@code b} are drawn, in graph units. */
        double distance(String a, String b) {
            return ((Number) browser.driver.executeScript("""
                    const p = xmppscope.graph.cy.getElementById(arguments[0]).position();
                    const q = xmppscope.graph.cy.getElementById(arguments[1]).position();
                    return Math.hypot(p.x - q.x, p.y - q.y);""", a, b)).doubleValue();
        }

        /** The id of the server node drawn nearest to node {@code id}, or null while that node is not drawn. */
        String nearestServer(String id) {
            return (String) browser.driver.executeScript("""
                    const n = xmppscope.graph.cy.getElementById(arguments[0]);
                    if (n.empty()) return null;
                    const p = n.position();
                    let best = null, bestD = Infinity;
                    xmppscope.graph.cy.nodes('[kind = "server"]').forEach((s) => {
                      const d = Math.hypot(s.position().x - p.x, s.position().y - p.y);
                      if (d < bestD) { bestD = d; best = s.id(); }
                    });
                    return best;""", id);
        }

        /** Whether the timeline shows the stanza {@code ref}, in either view. */
        boolean shows(String ref) {
            return !browser.driver.findElements(By.cssSelector("#timeline [data-ref='" + ref + "']")).isEmpty();
        }

        void awaitShown(String ref) {
            wait.until(d -> shows(ref));
        }

        void awaitText(String id, String text) {
            wait.until(d -> element(id).getText().equals(text));
        }

        void awaitRows(String css, int n) {
            wait.until(d -> d.findElements(By.cssSelector(css)).size() == n);
        }

        boolean scrolledToEnd() {
            return (Boolean) browser.driver.executeScript(
                    "const t = document.getElementById('timeline'); return t.scrollTop + t.clientHeight >= t.scrollHeight - 2;");
        }

        long scrollLeft() {
            return ((Number) browser.driver.executeScript("return Math.round(document.getElementById('timeline').scrollLeft);")).longValue();
        }

        long scrollLeftMax() {
            return ((Number) browser.driver.executeScript(
                    "const t = document.getElementById('timeline'); return t.scrollWidth - t.clientWidth;")).longValue();
        }

        /** Whether the arrow of {@code ref} is in the pane's view, right of the sticky times column. */
        boolean arrowInView(String ref) {
            return (Boolean) browser.driver.executeScript("""
                    const t = document.getElementById('timeline'), pane = t.getBoundingClientRect();
                    const line = t.querySelector(`[data-ref="${arguments[0]}"] line`).getBoundingClientRect();
                    const times = t.querySelector('svg.seq-times').getBoundingClientRect();
                    return line.left >= times.right - 1 && line.right <= pane.left + t.clientLeft + t.clientWidth + 1;""", ref);
        }

        /** The first row with its middle below the sticky lane heads or list header. */
        String firstRowInView() {
            return (String) browser.driver.executeScript("""
                    const t = document.getElementById('timeline');
                    const top = t.getBoundingClientRect().top + t.querySelector('svg.sticky-head, thead').getBoundingClientRect().height;
                    return [...t.querySelectorAll('[data-ref]')].find((r) => { const b = r.getBoundingClientRect(); return (b.top + b.bottom) / 2 > top; }).dataset.ref;""");
        }

        /** How far the row of {@code ref} is from the pane's top, in CSS pixels. */
        double rowOffset(String ref) {
            return ((Number) browser.driver.executeScript("""
                    const t = document.getElementById('timeline');
                    return t.querySelector(`[data-ref="${arguments[0]}"]`).getBoundingClientRect().top - t.getBoundingClientRect().top;""",
                    ref)).doubleValue();
        }

        @Override
        public void close() {
            try {
                browser.close();
            } finally {
                server.close();
            }
        }
    }
}
