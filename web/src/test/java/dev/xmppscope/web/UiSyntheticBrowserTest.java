package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.WheelInput;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in a real headless Chromium against the real web app, fed a hand-built federation whose
 * JIDs, resources, bodies and attributes carry script probes (no real server routes those).
 */
class UiSyntheticBrowserTest {

    static WebServer server;
    /** Serves {@link SyntheticFederation#hostileText()}: emoji, bidi overrides, one user on two devices, a long error. */
    static WebServer hostile;
    static HeadlessChromium browser;

    @BeforeAll
    static void start() {
        server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(SyntheticFederation.build()), List.of());
        hostile = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(SyntheticFederation.hostileText()), List.of());
        browser = new HeadlessChromium(1600, 1000);
    }

    /** Whatever a test did, the page reported nothing going wrong (a script error, a warning). */
    @AfterEach
    void thePageReportedNoProblem() {
        assertEquals(List.of(), browser.pageProblems());
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
        if (hostile != null) hostile.close();
    }

    private WebDriverWait await() {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(10));
    }

    private Object js(String script, Object... args) {
        return browser.driver.executeScript(script, args);
    }

    private void open(String path) {
        open(server, path);
    }

    private void open(WebServer from, String path) {
        browser.driver.get("http://127.0.0.1:" + from.port() + path);
        await().until(d -> !d.findElements(By.cssSelector("#timeline svg.sequence .row, #timeline tr[data-ref], #connections-table tbody tr")).isEmpty());
        js("window.__pwned = 0; window.alert = () => { window.__pwned++; };");
    }

    private int timelineRows() {
        return ((Number) js("return document.querySelectorAll('#timeline .row, #timeline tr[data-ref]').length;")).intValue();
    }

    @Test
    void theGraphShowsEveryServerAndClient() {
        open("/");
        browser.screenshot("synthetic-overview");
        assertEquals("3 servers · 5 clients · 1 component · 3 s2s", browser.driver.findElement(By.id("graph-counts")).getText());
        assertEquals(9L, js("return xmppscope.graph.cy.nodes().not('.packet').length;"));
        assertEquals(List.of("a.example", "b.example", "c.example"),
                js("return xmppscope.graph.cy.nodes('[kind = \"server\"]').map(n => n.data('short')).sort();"));
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 800));
        try {
            open("/stanzas/1-s-10");
            await().until(d -> d.findElement(By.id("stanza-xml")).isDisplayed());
            browser.screenshot("synthetic-laptop-1280");
        } finally {
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1600, 1000));
        }
    }

    /**
     * The first view fits the whole mesh, labels included, to the graph pane both ways, within a
     * margin. The pane beside the timeline is tall: the three servers' triangle, laid out for a
     * wide pane, used its width and a third of its height.
     */
    @Test
    void theFirstViewFitsTheMeshToThePaneBothWays() {
        open("/");
        GraphGeometry.Fill fill = settledGraphView();
        browser.screenshot("synthetic-graph-fit");
        assertTrue(fill.height() > fill.width() * 1.3, "at 1600 px the graph pane is tall: " + fill);
        assertTrue(fill.inView(10), "the whole mesh is in view, clear of the pane's edges: " + fill);
        // labels keep 11 px on screen: in this 440 px wide pane the widest clients' take a quarter of its width
        assertTrue(fill.fills(0.85, 0.55), "it fills the pane up to the margin one way, and much of it the other: " + fill);
        assertEquals(List.of(), GraphGeometry.overlappingClientLabels(browser), "clients' labels stay clear of the others");
    }

    /**
     * a.example and b.example federate over two streams, one each way: the two edges bend apart
     * and their labels stay readable, however far the graph is zoomed out (labels grow then).
     */
    @Test
    void twoStreamsBetweenTheSameServersKeepTheirLabelsApart() {
        open("/");
        settledGraphView();
        assertEquals(1L, GraphGeometry.parallelPairs(browser), "s2s:6 and s2s:7");
        assertEquals(List.of(), GraphGeometry.overlappingParallelLabels(browser));
        for (double factor : new double[] {0.3, 3}) {
            js("const cy = xmppscope.graph.cy; cy.zoom({level: cy.zoom() * arguments[0],"
                    + " renderedPosition: {x: cy.width() / 2, y: cy.height() / 2}});", factor);
            assertEquals(List.of(), GraphGeometry.overlappingParallelLabels(browser), "zoomed by " + factor);
        }
        js("xmppscope.graph.fit();");
        browser.screenshot("synthetic-graph-parallel-streams");
    }

    /**
     * While the mesh is small, the view refits as nodes arrive; once the reader has panned or
     * zoomed it, a new node leaves their view alone.
     */
    @Test
    void aNewNodeLeavesTheReadersPanAndZoomAlone() {
        open("/");
        settledGraphView();
        WebElement graph = browser.driver.findElement(By.id("graph"));
        Object fitted = js("return xmppscope.graph.cy.pan();");
        // an empty corner of the background: dragging it pans
        new Actions(browser.driver).moveToElement(graph, -graph.getSize().width / 2 + 8, graph.getSize().height / 2 - 8)
                .clickAndHold().moveByOffset(20, -30).moveByOffset(20, -30).release().perform();
        Object panned = js("return xmppscope.graph.cy.pan();");
        assertEquals(List.of(40L, -60L), js("return [Math.round(arguments[1].x - arguments[0].x),"
                + " Math.round(arguments[1].y - arguments[0].y)];", fitted, panned), "the drag panned the graph");
        js("xmppscope.graph.upsertNode({id: 'server:d.example', kind: 'server', label: 'd.example'});");
        settledGraphView();
        assertEquals(panned, js("return xmppscope.graph.cy.pan();"), "the pan stays");

        open("/");
        settledGraphView();
        Object fittedZoom = js("return xmppscope.graph.cy.zoom();");
        new Actions(browser.driver).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(
                browser.driver.findElement(By.id("graph"))), 0, -240).perform();
        Object zoomed = js("return xmppscope.graph.cy.zoom();");
        assertNotEquals(fittedZoom, zoomed, "the wheel zoomed the graph");
        js("xmppscope.graph.upsertNode({id: 'server:d.example', kind: 'server', label: 'd.example'});");
        settledGraphView();
        assertEquals(zoomed, js("return xmppscope.graph.cy.zoom();"), "the zoom stays");
    }

    /**
     * A mesh that arrives while the page shows the connections view (a proxy's first streams, say)
     * is placed while the graph's pane is hidden: it is placed again for the pane's shape when
     * first shown, not left in a shape guessed while hidden.
     */
    @Test
    void aMeshThatArrivedWhileItsPaneWasHiddenFitsItWhenShown() {
        open("/connections");
        assertEquals(0L, ((Number) js("return document.getElementById('graph').clientHeight;")).longValue(), "hidden");
        browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " fetch('/api/graph').then((r) => r.json()).then((mesh) => { xmppscope.graph.load(mesh); done(); });");
        browser.driver.findElement(By.id("nav-mesh")).click();
        GraphGeometry.Fill fill = settledGraphView();
        assertTrue(fill.fills(0.85, 0.55), "the mesh fills the pane one way and much of it the other: " + fill);
    }

    /** A window made smaller refits the view the reader has not framed: the mesh stays whole, as large as the pane allows. */
    @Test
    void aSmallerWindowRefitsTheMesh() {
        open("/");
        GraphGeometry.Fill before = settledGraphView();
        Dimension wide = browser.driver.manage().window().getSize();
        try {
            browser.driver.manage().window().setSize(new Dimension(1280, 720));
            GraphGeometry.Fill fill = settledGraphView();
            assertTrue(fill.height() < before.height() - 100, "the pane got smaller: " + before + " → " + fill);
            assertTrue(fill.inView(10), "the whole mesh is still in view: " + fill);
            assertTrue(fill.fills(0.85, 0), "and fills the smaller pane one way: " + fill);
        } finally {
            browser.driver.manage().window().setSize(wide);
        }
    }

    /**
     * A wheel notch zooms the graph by a small step, as tuned (a quarter of Cytoscape's own, which
     * leaps by 2.5× a notch), and the page says nothing about it in the console: Cytoscape warned
     * at every load that the tuning was there (the checks after each test read the console).
     */
    @Test
    void aWheelNotchZoomsTheGraphByASmallStep() {
        open("/");
        settledGraphView();
        double before = ((Number) js("return xmppscope.graph.cy.zoom();")).doubleValue();
        new Actions(browser.driver).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(
                browser.driver.findElement(By.id("graph"))), 0, -100).perform();
        double step = ((Number) js("return xmppscope.graph.cy.zoom();")).doubleValue() / before;
        assertTrue(step > 1 && step < 1.03, "one notch zoomed in by " + step + "× (Cytoscape's own: 1.047× on a first notch)");
    }

    /**
     * A stream's warning (here: stanzas never acknowledged, with markup in it) is a mark on its edge,
     * in the legend too, and hovering the edge says it, as text.
     */
    @Test
    void aStreamsWarningIsMarkedOnItsEdgeAndSaidOnHover() {
        open("/");
        settledGraphView();
        assertEquals(List.of("c2s:5"), js("return xmppscope.graph.cy.edges('[?warned]').map((e) => e.id());"));
        assertEquals("⚠", js("return xmppscope.graph.cy.getElementById('c2s:5').style('label');"));
        WebElement legend = browser.driver.findElement(By.cssSelector("#graph-pane .legend .mark.warned")).findElement(By.xpath(".."));
        assertEquals("⚠warning", legend.getText().replaceAll("\\s", ""));
        @SuppressWarnings("unchecked")
        List<Number> at = (List<Number>) js("""
                const p = xmppscope.graph.cy.getElementById('c2s:5').renderedMidpoint();
                const box = document.getElementById('graph').getBoundingClientRect();
                return [p.x - box.width / 2, p.y - box.height / 2];""");
        WebElement graph = browser.driver.findElement(By.id("graph"));
        new Actions(browser.driver).moveToElement(graph, at.get(0).intValue(), at.get(1).intValue()).perform();
        await().until(d -> SyntheticFederation.UNACKED_WARNING.equals(graph.getDomAttribute("title")));
        browser.screenshot("synthetic-edge-warning");
        new Actions(browser.driver).moveToElement(graph, -graph.getSize().width / 2 + 4, graph.getSize().height / 2 - 4).perform();
        await().until(d -> graph.getDomAttribute("title") == null);
        assertEquals(0L, js("return window.__pwned;"), "the markup in the warning stays text");
    }

    private GraphGeometry.Fill settledGraphView() {
        return await().until(d -> GraphGeometry.settledFill(browser));
    }

    @Test
    void rowTimesStayInViewWhenAWideFederationScrollsSideways() {
        open("/");
        assertTrue(((Number) js("const t = document.getElementById('timeline'); t.scrollLeft = t.scrollWidth;"
                + " return t.scrollLeft;")).intValue() > 0, "at 1600 px the federation's lanes are wider than the pane");
        String time = (String) js("const pane = document.getElementById('timeline').getBoundingClientRect();"
                + " const t = [...document.querySelectorAll('#timeline svg text')].filter(e => /^[+]/.test(e.textContent)).find(e => {"
                + "   const r = e.getBoundingClientRect(); return r.top > pane.top + 60 && r.bottom < pane.bottom; });"
                + " const r = t.getBoundingClientRect();"
                + " return r.left >= pane.left && r.right <= pane.right ? t.textContent : null;");
        assertNotNull(time, "a row's time is still in view");
        assertTrue(time.startsWith("+"), time);
        js("document.getElementById('timeline').scrollLeft = 0;");
    }

    /**
     * Scrolled sideways, an arrow that runs under the times column labels the part still in
     * view; it used to keep its label at the whole arrow's middle, hidden under the times.
     */
    @Test
    void labelsOfArrowsRunningUnderTheTimesStayReadable() {
        open("/");
        // the widest arrow's middle scrolled under the times column: its label must move to stay readable
        String widest = (String) js("""
                const pane = document.getElementById('timeline');
                const rows = [...pane.querySelectorAll('.seq-rows svg.sequence .row')];
                const width = (row) => row.querySelector('line').getBBox().width;
                const row = rows.reduce((a, b) => width(b) > width(a) ? b : a);
                const box = row.querySelector('line').getBBox();
                pane.scrollLeft = box.x + box.width / 2 - 30;
                return row.dataset.ref;""");
        await().until(d -> (Boolean) js("""
                const pane = document.getElementById('timeline');
                const times = pane.querySelector('svg.seq-times').getBoundingClientRect().right;
                const r = pane.querySelector(`[data-ref="${arguments[0]}"] .lbl`).getBoundingClientRect();
                return r.left >= times && r.right <= pane.getBoundingClientRect().right;""", widest));
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) await().until(d -> js("""
                const pane = document.getElementById('timeline'), box = pane.getBoundingClientRect();
                const times = pane.querySelector('svg.seq-times').getBoundingClientRect().right;
                const checked = [], problems = [];
                for (const row of pane.querySelectorAll('.seq-rows svg.sequence .row')) {
                  const line = row.querySelector('line').getBoundingClientRect(), label = row.querySelector('.lbl');
                  const r = label.getBoundingClientRect();
                  if (r.top < box.top + 60 || r.bottom > box.bottom || line.left >= times || line.right < times + 60) continue;
                  checked.push(row.dataset.ref);
                  if (r.left < times || r.right > line.right + 2 || label.textContent.length < 6) {
                    problems.push(row.dataset.ref + ' ' + label.textContent + ' at ' + r.left + '..' + r.right + ', times end at ' + times);
                  }
                }
                return checked.length ? problems : null;"""));
        assertEquals(List.of(), problems);
        browser.screenshot("synthetic-labels-sideways");

        js("document.getElementById('timeline').scrollLeft = 0;"); // arrows wholly in view get their labels back
        await().until(d -> (Boolean) js("""
                const pane = document.getElementById('timeline'), box = pane.getBoundingClientRect();
                return [...pane.querySelectorAll('.seq-rows svg.sequence .row')].filter((row) => {
                  const line = row.querySelector('line').getBoundingClientRect();
                  return line.left > box.left + 80 && line.right < box.right - 20;
                }).every((row) => { const l = row.querySelector('.lbl'); return l.textContent === l.dataset.fit; });"""));
    }

    /**
     * In a federation wider than the pane, a row whose arrow is scrolled wholly out of view keeps
     * its label in view, at the edge the arrow lies beyond, pointing that way; the row looked
     * empty. Scrolled back, the label returns to its arrow.
     */
    @Test
    void arrowsScrolledOutOfViewKeepTheirLabelsAtThePanesEdge() {
        open("/");
        String beyond = """
                const pane = document.getElementById('timeline'), box = pane.getBoundingClientRect();
                const times = pane.querySelector('svg.seq-times').getBoundingClientRect().right;
                const rows = [...pane.querySelectorAll('.seq-rows svg.sequence .row')].filter((row) => {
                  const r = row.querySelector('line').getBoundingClientRect();
                  return r.top > box.top + 60 && r.bottom < box.bottom && (r.right < times || r.left > box.right);
                });
                return rows.map((row) => {
                  const line = row.querySelector('line').getBoundingClientRect(), label = row.querySelector('.lbl');
                  const r = label.getBoundingClientRect(), side = line.right < times ? 'left' : 'right';
                  const inView = r.left >= times && r.right <= box.right;
                  const points = side === 'left' ? label.textContent.startsWith('◂ ') : label.textContent.endsWith(' ▸');
                  const atEdge = side === 'left' ? r.left - times < 12 : box.right - r.right < 24;
                  return side + ' ' + (inView && points && atEdge ? 'ok' : label.textContent + ' at ' + r.left + '..' + r.right);
                });""";
        @SuppressWarnings("unchecked")
        List<String> right = (List<String>) await().until(d -> {
            List<?> l = (List<?>) js(beyond);
            return l.isEmpty() ? null : l;
        });
        assertTrue(right.stream().allMatch(s -> s.equals("right ok")), right.toString());
        js("const t = document.getElementById('timeline'); t.scrollLeft = t.scrollWidth;");
        // the labels move on the frame after the scroll
        browser.driver.executeAsyncScript("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(done));");
        @SuppressWarnings("unchecked")
        List<String> left = (List<String>) await().until(d -> {
            List<?> l = (List<?>) js(beyond);
            return l.stream().anyMatch(s -> s.toString().startsWith("left")) ? l : null;
        });
        assertTrue(left.stream().allMatch(s -> s.equals("left ok")), left.toString());
        browser.screenshot("synthetic-labels-beyond");

        // clicking a row scrolls its arrow into view, and its label goes back to the arrow
        String ref = (String) js("""
                const pane = document.getElementById('timeline');
                const times = pane.querySelector('svg.seq-times').getBoundingClientRect().right;
                const row = [...pane.querySelectorAll('.seq-rows svg.sequence .row')]
                  .find((r) => r.querySelector('.lbl').classList.contains('beyond') && r.getBoundingClientRect().top > pane.getBoundingClientRect().top + 60);
                return row.dataset.ref;""");
        js("document.querySelector(`#timeline .seq-rows [data-ref=\"${arguments[0]}\"] .hit`).dispatchEvent(new MouseEvent('click', {bubbles: true}));", ref);
        await().until(d -> (Boolean) js("""
                const label = document.querySelector(`#timeline .seq-rows [data-ref="${arguments[0]}"] .lbl`);
                const pane = document.getElementById('timeline').getBoundingClientRect(), r = label.getBoundingClientRect();
                return !label.classList.contains('beyond') && r.left >= pane.left && r.right <= pane.right;""", ref));
        js("document.getElementById('timeline').scrollLeft = 0;");
    }

    @Test
    void clickingAMessageShowsItsXmlAndRoute() {
        open("/");
        browser.click(d -> d.findElement(By.cssSelector("#timeline svg.sequence .row.k-message")));
        await().until(d -> d.getCurrentUrl().endsWith("/stanzas/1-s-10"));
        WebElement xml = await().until(d -> d.findElement(By.id("stanza-xml")));
        assertTrue(xml.getText().startsWith("<message xmlns='jabber:client' type='chat' id='m0'"), xml.getText());
        assertEquals(3, browser.driver.findElements(By.cssSelector("#route-hops tbody tr")).size());
        browser.screenshot("synthetic-stanza");
        browser.driver.findElement(By.id("timeline")).sendKeys(org.openqa.selenium.Keys.ARROW_DOWN);
        await().until(d -> d.getCurrentUrl().endsWith("/stanzas/6-s-10"));
        await().until(d -> d.findElement(By.id("stanza-head")).getText().contains("6-s-10"));
    }

    /** Each filter's placeholder reads whole (the namespace filter's says a XEP number works), at 1600 px and at 1100. */
    @Test
    void theFiltersPlaceholdersReadWhole() {
        for (Dimension size : List.of(new Dimension(1600, 1000), new Dimension(1100, 800))) {
            browser.driver.manage().window().setSize(size);
            open("/");
            assertEquals(List.of(), js("""
                    const ctx = document.createElement('canvas').getContext('2d');
                    return [...document.querySelectorAll('#filters input[placeholder]')].filter((input) => {
                      const style = getComputedStyle(input);
                      ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                      // a search field keeps room for its clear button at the right, placeholder or not
                      return ctx.measureText(input.placeholder).width + (input.type === 'search' ? 16 : 0) > room;
                    }).map((input) => input.placeholder);"""), "at " + size);
        }
        browser.driver.manage().window().setSize(new Dimension(1600, 1000));
    }

    /** A route's times and how long each server held the stanza read on one line each ("2.30 ms", not "2.30" over "ms"). */
    @Test
    void aRoutesTimesReadOnOneLine() {
        for (Dimension size : List.of(new Dimension(1600, 1000), new Dimension(1100, 800))) {
            browser.driver.manage().window().setSize(size);
            open("/stanzas/1-s-10");
            await().until(d -> d.findElements(By.cssSelector("#route-hops tbody tr")).size() == 3);
            assertEquals(List.of(), js("""
                    const lines = (node) => { const r = document.createRange(); r.selectNodeContents(node);
                      return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size; };
                    return [...document.querySelectorAll('#route-hops td.num')].filter((td) => td.textContent && lines(td) > 1)
                      .map((td) => td.textContent);"""), "at " + size);
        }
        browser.driver.manage().window().setSize(new Dimension(1600, 1000));
    }

    /**
     * Half a laptop's screen: the inspector goes under the graph, every pane and the graph's
     * legend stay whole on screen, and the page never scrolls sideways.
     */
    @Test
    void aNarrowWindowKeepsEveryPaneOnScreen() {
        Dimension wide = browser.driver.manage().window().getSize();
        browser.driver.manage().window().setSize(new Dimension(960, 800));
        try {
            open("/");
            assertFitsTheWindow("graph-pane", "timeline-pane", "inspector");
            assertTrue((Boolean) js("""
                    const graph = document.getElementById('graph-pane').getBoundingClientRect();
                    const legend = document.querySelector('#graph-pane .legend').getBoundingClientRect();
                    const inspector = document.getElementById('inspector').getBoundingClientRect();
                    return legend.bottom <= graph.bottom && inspector.top >= graph.bottom;"""),
                    "the legend is whole, the inspector under the graph");
            browser.click(d -> d.findElement(By.cssSelector("#timeline svg.sequence .row.k-message")));
            await().until(d -> d.findElement(By.id("stanza-xml")).isDisplayed());
            assertFitsTheWindow("inspector");
            browser.screenshot("narrow-stanza");

            open("/connections");
            assertFitsTheWindow("connections-pane", "inspector");
            assertTrue(browser.driver.findElement(By.id("inspector")).getText().contains("Click a connection to read how its stream was negotiated"));
        } finally {
            browser.driver.manage().window().setSize(wide);
        }
    }

    /**
     * A short narrow window (1000 x 700 with a replay's narration above the panes, as here
     * 1000 x 560) keeps the graph at least 200 px tall with its legend whole; it was a strip of
     * 120 px, its legend clipped.
     */
    @Test
    void aShortNarrowWindowKeepsTheGraphUsable() {
        Dimension wide = browser.driver.manage().window().getSize();
        browser.driver.manage().window().setSize(new Dimension(1000, 560));
        try {
            open("/");
            browser.screenshot("short-narrow-graph");
            assertEquals(List.of(), js("""
                    const pane = document.getElementById('graph-pane').getBoundingClientRect();
                    const graph = document.getElementById('graph').getBoundingClientRect();
                    const legend = document.querySelector('#graph-pane .legend').getBoundingClientRect();
                    const problems = [];
                    if (graph.height < 200) problems.push('the graph is ' + graph.height + ' px tall');
                    if (legend.bottom > pane.bottom) problems.push('the legend is cut: ' + legend.bottom + ' > ' + pane.bottom);
                    return problems;"""));
        } finally {
            browser.driver.manage().window().setSize(wide);
        }
    }

    private void assertFitsTheWindow(String... ids) {
        assertEquals(Boolean.TRUE, js("return document.documentElement.scrollWidth <= document.documentElement.clientWidth;"),
                "the page does not scroll sideways");
        for (String id : ids) {
            assertEquals(Boolean.TRUE, js("const r = document.getElementById(arguments[0]).getBoundingClientRect();"
                    + " return r.left >= 0 && r.right <= document.documentElement.clientWidth && r.width > 250;", id), id);
        }
    }

    @Test
    void filtersNarrowTheTimeline() {
        open("/");
        int all = timelineRows();
        new Select(browser.driver.findElement(By.id("f-kind"))).selectByVisibleText("iq");
        await().until(d -> timelineRows() == 2);
        browser.driver.findElement(By.id("f-clear")).click();
        await().until(d -> timelineRows() == all);
        browser.driver.findElement(By.id("f-q")).sendKeys("hi carol");
        await().until(d -> timelineRows() == 3);
        browser.driver.findElement(By.id("f-clear")).click();
        await().until(d -> timelineRows() == all);
    }

    /** A row's time counts from the capture's start, so narrowing the timeline does not change it. */
    @Test
    void aStanzaKeepsItsTimeWhenTheTimelineIsNarrowed() {
        open("/");
        String timeOfFirstIq = """
                const rows = [...document.querySelectorAll('#timeline .seq-rows svg.sequence .row')];
                const i = rows.findIndex((r) => r.classList.contains('k-iq'));
                return [...document.querySelectorAll('#timeline svg.seq-times > text')][i].textContent;""";
        String unfiltered = (String) js(timeOfFirstIq);
        assertEquals("+599.0 ms", unfiltered, "alice pings at 600 ms; the first stream (hers) opened at 1 ms");
        new Select(browser.driver.findElement(By.id("f-kind"))).selectByVisibleText("iq");
        await().until(d -> timelineRows() == 2);
        assertEquals(unfiltered, js(timeOfFirstIq));
        browser.driver.findElement(By.id("f-clear")).click();
    }

    @Test
    void clickingAnEdgeNarrowsTheTimelineToThatStream() {
        open("/");
        js("xmppscope.graph.cy.getElementById('s2s:8').emit('tap');");
        await().until(d -> timelineRows() == 1);
        assertEquals("s2s stream #8", browser.driver.findElement(By.id("f-conn")).getText().replace("×", "").trim());
        browser.screenshot("synthetic-edge-filter");
        js("xmppscope.graph.cy.emit('tap');");
    }

    @Test
    void aStreamDeepLinkShowsItsNegotiationWithTheFailureInPlainWords() {
        open("/connections/4");
        WebElement steps = await().until(d -> d.findElement(By.id("negotiation-steps")));
        assertTrue(steps.getText().contains("Authentication failed: not-authorized"), steps.getText());
        assertEquals(1, browser.driver.findElements(By.cssSelector("#negotiation-steps li.failed")).size());
        browser.screenshot("synthetic-connections");
    }

    @Test
    void theSelectionExportsAsMermaidWithoutMarkup() {
        open("/");
        browser.driver.findElement(By.id("export-mermaid")).click();
        String text = await().until(d -> d.findElement(By.id("mermaid-text")).getAttribute("value"));
        assertTrue(text.startsWith("sequenceDiagram\n    participant P0 as "), text);
        assertFalse(text.contains("<"), "labels carry no markup: " + text);
        browser.driver.findElement(By.id("mermaid-close")).click();
    }

    @Test
    void theSelectionExportsAsAStandaloneSvg() {
        open("/");
        String svg = (String) js("return xmppscope.timeline.svgText();");
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg") && svg.contains("hello bob, number 0"), svg);
        assertFalse(svg.contains("<script") || svg.contains("<img"), "wire text is escaped in the file too");
        assertTrue(svg.contains("&lt;script&gt;alert('body')"), "and still readable");
    }

    /** What may have gone wrong on a stream (stanzas never acknowledged) shows in the list and the inspector, as text. */
    @Test
    void aStreamsWarningShowsInTheListAndTheInspector() {
        open("/connections/5");
        WebElement listed = await().until(d -> d.findElements(By.cssSelector("#connections-table tr[data-id='5'] .state.warning"))
                .stream().findFirst().orElse(null));
        assertTrue(SyntheticFederation.UNACKED_WARNING.startsWith(listed.getText().replace("…", "")), listed.getText());
        WebElement section = await().until(d -> d.findElements(By.cssSelector(".insp-section")).stream()
                .filter(s -> s.getText().toLowerCase(Locale.ROOT).startsWith("what may have gone wrong")) // a heading in capitals
                .findFirst().orElse(null));
        assertTrue(section.getText().endsWith(SyntheticFederation.UNACKED_WARNING), section.getText());
        browser.screenshot("synthetic-connection-warning");
    }

    @Test
    void scriptProbesStayInertEverywhere() {
        open("/");
        browser.driver.findElement(By.id("mode-list")).click();
        WebElement evilRow = await().until(d -> d.findElements(By.cssSelector("#timeline tr[data-ref]")).stream()
                .filter(r -> r.getText().contains("onerror")).findFirst().orElse(null));
        evilRow.click();
        await().until(d -> d.findElement(By.id("stanza-xml")).getText().contains("script"));
        browser.screenshot("synthetic-xss-inspector");
        for (String path : List.of("/connections", "/connections/5", "/stanzas/5-s-10")) {
            browser.driver.get("http://127.0.0.1:" + server.port() + path);
            js("window.__pwned = window.__pwned || 0;");
            await().until(d -> !d.findElements(By.cssSelector(".insp-head, #connections-table tbody tr")).isEmpty());
            assertProbesInert(path);
        }
        browser.driver.findElement(By.id("nav-mesh")).click();
        browser.driver.findElement(By.id("mode-list")).click();
        assertProbesInert("list view");
    }

    private void assertProbesInert(String where) {
        assertEquals(0L, js("return window.__pwned || 0;"), where + ": no alert ran");
        assertEquals(0L, js("return document.querySelectorAll('main img, main script, main iframe, [onerror], [onmouseover]').length;"),
                where + ": no injected element or handler");
        assertEquals(0L, js("return [...document.querySelectorAll('a[href]')].filter(a => !a.getAttribute('href').startsWith('/')).length;"),
                where + ": every link is our own path");
        assertEquals(1L, js("return document.scripts.length - 1;"), where + ": only cytoscape and app.js are scripts");
    }

    /** Every time of a stanza or a stream reads as the sequence's, from the capture's start; the wall clock is second. */
    @Test
    void timesCountFromTheCapturesStartInEveryView() {
        open("/");
        browser.driver.findElement(By.id("mode-list")).click();
        WebElement ping = await().until(d -> d.findElements(By.cssSelector("#timeline tr[data-ref]")).stream()
                .filter(r -> !r.findElements(By.cssSelector(".kind.iq")).isEmpty()).findFirst().orElse(null));
        assertEquals("+599.0 ms", ping.findElement(By.cssSelector("td")).getText(), "as the sequence has it");
        assertTrue(ping.getAttribute("title").matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"), "the wall clock on hover: " + ping.getAttribute("title"));
        browser.click(d -> ping);
        WebElement time = await().until(d -> d.findElement(By.id("stanza-time")));
        assertTrue(time.getText().matches("\\+599\\.0 ms +\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +\\(2025-11-24T.*Z\\)"), time.getText());

        open("/connections/6"); // a.example's stream to b.example, opened 55 ms after alice's, the first
        WebElement opened = await().until(d -> d.findElement(By.cssSelector("#connections-table tr[data-id='6'] td.opened")));
        assertEquals("+55.0 ms", opened.getText());
        assertTrue(opened.getAttribute("title").matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"), opened.getAttribute("title"));
        WebElement inInspector = await().until(d -> d.findElement(By.id("connection-opened")));
        assertTrue(inInspector.getText().startsWith("+55.0 ms "), inInspector.getText());
    }

    /** Switching to the List starts it at its left edge, the times in view, wherever the Sequence was scrolled sideways. */
    @Test
    void theListOpensAtItsLeftEdge() {
        open("/");
        assertTrue(((Number) js("const t = document.getElementById('timeline'); t.scrollLeft = t.scrollWidth; return t.scrollLeft;"))
                .intValue() > 0, "the sequence scrolls sideways at 1600 px");
        browser.driver.findElement(By.id("mode-list")).click();
        await().until(d -> timelineRows() > 0 && !d.findElements(By.cssSelector("#timeline table.list")).isEmpty());
        assertTrue((Boolean) js("const t = document.getElementById('timeline'); return t.scrollWidth > t.clientWidth;"),
                "the list too is wider than the pane");
        assertEquals(0L, ((Number) js("return document.getElementById('timeline').scrollLeft;")).longValue());
    }

    /**
     * Why a stream failed reads in full and in view, without scrolling sideways, at 1600 px and
     * at 1000 px; so does its route, upstream port included. It was the table's last column,
     * behind a scrollbar, cut at 40 characters.
     */
    @Test
    void whyAStreamFailedReadsInFullInConnections() {
        Dimension wide = browser.driver.manage().window().getSize();
        try {
            for (Dimension size : List.of(new Dimension(1600, 1000), new Dimension(1000, 700))) {
                browser.driver.manage().window().setSize(size);
                open(hostile, "/connections");
                assertEquals(List.of(), js("""
                        const wrap = document.querySelector('#connections-pane .table-wrap');
                        const left = wrap.getBoundingClientRect().left, right = left + wrap.clientWidth;
                        const row = document.querySelector('#connections-table tr[data-id="5"]');
                        const heads = [...document.querySelectorAll('#connections-table thead th')].map((th) => th.textContent);
                        const problems = [];
                        for (const [column, text] of [['close', arguments[0]], ['route', arguments[1]]]) {
                          const cell = row.children[heads.indexOf(column)];
                          const r = cell.getBoundingClientRect();
                          if (cell.textContent !== text) problems.push('reads ' + cell.textContent);
                          if (r.left < left || r.right > right) problems.push(text + ': out of view, ' + r.left + '..' + r.right + ' of ' + left + '..' + right);
                          if (cell.scrollWidth > cell.clientWidth) problems.push(text + ': cut');
                        }
                        return problems;""", SyntheticFederation.LONG_ERROR, "127.130.8.12:5222=127.130.8.2:5222"), "at " + size);
                browser.screenshot("connections-error-" + size.getWidth());
            }
        } finally {
            browser.driver.manage().window().setSize(wide);
        }
    }

    /** A link to a stream far down Connections shows its row, scrolled into view, beside its inspector. */
    @Test
    void aLinkedStreamsRowIsScrolledIntoView() {
        browser.driver.manage().window().setSize(new Dimension(1000, 600));
        try {
            open("/connections/8");
            await().until(d -> d.findElement(By.id("connection-head")));
            browser.screenshot("connections-linked-row");
            assertEquals(true, js("""
                    const wrap = document.querySelector('#connections-pane .table-wrap').getBoundingClientRect();
                    const head = document.querySelector('#connections-table thead').getBoundingClientRect();
                    const row = document.querySelector('#connections-table tr[data-id="8"]');
                    const r = row.getBoundingClientRect();
                    return row.classList.contains('selected') && r.top >= head.bottom - 1 && r.bottom <= wrap.bottom + 1;"""));
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1600, 1000));
        }
    }

    /**
     * A JID too wide for its cell in Connections wraps where a reader splits it (after "@" or "→",
     * before "/"): "alice@a.example/l" over "aptop" read as two names.
     */
    @Test
    void identitiesInConnectionsWrapBetweenTheirParts() {
        Dimension wide = browser.driver.manage().window().getSize();
        try {
            for (Dimension size : List.of(new Dimension(1600, 1000), new Dimension(1000, 700))) {
                browser.driver.manage().window().setSize(size);
                open(hostile, "/connections");
                @SuppressWarnings("unchecked")
                List<Object> found = (List<Object>) js("""
                        const broken = [];
                        let wrapped = 0;
                        const lines = (node) => { const r = document.createRange(); r.selectNodeContents(node);
                          return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size; };
                        for (const cell of document.querySelectorAll('#connections-table td.identity')) {
                          if (lines(cell) > 1) wrapped++;
                          const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                          for (let n; (n = walk.nextNode());) {
                            if (lines(n) > 1) broken.push(JSON.stringify(n.textContent) + ' of ' + JSON.stringify(cell.textContent));
                          }
                        }
                        return [wrapped, broken];""");
                browser.screenshot("connections-identities-" + size.getWidth());
                assertTrue(((Number) found.get(0)).intValue() > 0, "some identity is too wide for one line at " + size);
                assertEquals(List.of(), found.get(1), "broken inside a name at " + size);
            }
        } finally {
            browser.driver.manage().window().setSize(wide);
        }
    }

    /**
     * The inspector's facts about a stream wrap between words ("closed the" over "connection", not
     * "closed t" over "he"), breaking inside one only where it is longer than the line.
     */
    @Test
    void theInspectorsFactsWrapBetweenWords() {
        open(hostile, "/connections/5");
        await().until(d -> d.findElement(By.id("connection-head")));
        browser.screenshot("inspector-facts");
        assertEquals(List.of(), js("""
                const broken = [];
                for (const dd of document.querySelectorAll('#inspector dl.meta dd')) {
                  const walk = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
                  for (let n; (n = walk.nextNode());) {
                    for (const m of n.textContent.matchAll(/[^\\s-]+-?/g)) { // a line may end after a hyphen
                      const r = document.createRange();
                      r.setStart(n, m.index);
                      r.setEnd(n, m.index + m[0].length);
                      const rects = [...r.getClientRects()];
                      const width = rects.reduce((w, x) => w + x.width, 0);
                      if (new Set(rects.map((x) => Math.round(x.top))).size > 1 && width < dd.clientWidth) broken.push(m[0] + ' in ' + dd.textContent);
                    }
                  }
                }
                return broken;"""));
    }

    /**
     * Labels are cut to fit between graphemes: an emoji, a flag or a thumb with its skin tone is
     * kept whole or left out, never split into half a surrogate pair (drawn as U+FFFD).
     */
    @Test
    void labelsCutEmojiWholeNeverHalfACharacter() {
        open(hostile, "/");
        assertEquals(List.of(), cutBadly(TEXTS_OF + "('#timeline svg text')", SyntheticFederation.EMOJI_BODY, "emoji "), "sequence");
        browser.driver.findElement(By.id("mode-list")).click();
        await().until(d -> !d.findElements(By.cssSelector("#timeline tr[data-ref]")).isEmpty());
        assertEquals(List.of(), cutBadly(TEXTS_OF + "('#timeline td')", SyntheticFederation.EMOJI_BODY, "emoji "), "list");
        browser.driver.findElement(By.id("export-mermaid")).click();
        await().until(d -> !d.findElement(By.id("mermaid-text")).getAttribute("value").isEmpty());
        browser.driver.findElement(By.id("mermaid-close")).click();
        assertEquals(List.of(), cutBadly("document.getElementById('mermaid-text').value.split('\\n')", SyntheticFederation.EMOJI_BODY, "emoji "),
                "mermaid");

        // every length, cut at the end and in the middle
        String jid = "alice@a.example/" + SyntheticFederation.EMOJI_BODY;
        browser.driver.executeAsyncScript("""
                const [body, jid, done] = arguments;
                import('/assets/js/dom.js').then(({truncate, truncateMiddle}) => {
                  window.__cuts = {end: [], middle: []};
                  for (let n = 2; n < 60; n++) { __cuts.end.push(truncate(body, n)); __cuts.middle.push(truncateMiddle(jid, n)); }
                  done();
                });""", SyntheticFederation.EMOJI_BODY, jid);
        assertEquals(List.of(), cutBadly("__cuts.end", SyntheticFederation.EMOJI_BODY, "emoji "), "truncate");
        assertEquals(List.of(), cutBadly("__cuts.middle", jid, "alice@"), "truncateMiddle");
    }

    /** A time is said in the unit its rounded value belongs to ("1.00 ms", not "1000 µs"), and the start itself is "+0". */
    @Test
    void durationsRoundIntoTheirUnit() {
        open(hostile, "/");
        @SuppressWarnings("unchecked")
        List<String> said = (List<String>) browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/assets/js/dom.js').then(({duration, since}) => done([duration(999_700), duration(999_400),
                    duration(999_960_000), duration(9_996_000), since(0), since(256), since(850_000)]));""");
        assertEquals(List.of("1.00 ms", "999 µs", "1.00 s", "10.0 ms", "+0", "+0", "+850 µs"), said);
    }

    /** JS: a function of a CSS selector that returns the text of what it selects. */
    private static final String TEXTS_OF = "((selector) => [...document.querySelectorAll(selector)].map((e) => e.textContent))";

    private List<String> texts(String selector) {
        @SuppressWarnings("unchecked")
        List<String> texts = (List<String>) js("return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent);", selector);
        return texts;
    }

    /**
     * Of the texts the JS expression {@code texts} yields (some "…" cuts of `full`, shown from
     * `anchor` on), those that hold half a character, or whose part before or after the "…" does
     * not start or end `full` on a grapheme's boundary, as JSON (half a character cannot leave the
     * browser otherwise); or a word that none was cut.
     */
    private List<String> cutBadly(String texts, String full, String anchor) {
        @SuppressWarnings("unchecked")
        List<String> bad = (List<String>) js("const texts = " + texts + ";" + """
                const [full, anchor] = arguments;
                const seg = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
                const graphemes = (t) => Array.from(seg.segment(t), (g) => g.segment);
                const whole = graphemes(full);
                const bad = [];
                let cut = 0;
                for (const t of texts) {
                  if (!t.isWellFormed()) bad.push('half a character: ' + JSON.stringify(t));
                  const at = t.indexOf(anchor), dots = t.lastIndexOf('…');
                  if (at < 0 || dots < at) continue;
                  cut++;
                  const head = graphemes(t.slice(at, dots)), tail = graphemes(t.slice(dots + 1));
                  if (head.some((g, k) => g !== whole[k])) bad.push('not cut between graphemes: ' + JSON.stringify(t));
                  if (tail.some((g, k) => g !== whole[whole.length - tail.length + k])) bad.push('its end is not the end: ' + JSON.stringify(t));
                }
                return cut ? bad : ['none of these was cut: ' + JSON.stringify(texts)];""", full, anchor);
        return bad;
    }

    /** Lanes cut to fit keep the start of a JID and its resource's end: one user's two devices read apart. */
    @Test
    void oneUsersTwoDevicesHaveLanesThatReadApart() {
        open(hostile, "/");
        List<String> heads = texts("#timeline svg.sticky-head .lane-head text").stream().filter(t -> t.startsWith("alice@")).toList();
        assertEquals(2, heads.size(), heads.toString());
        assertTrue(heads.stream().allMatch(t -> t.contains("…")), "both are cut to fit: " + heads);
        assertTrue(heads.stream().anyMatch(t -> t.endsWith("…/laptop")), heads.toString());
        assertTrue(heads.stream().anyMatch(t -> t.endsWith("NJ_55")), heads.toString());
    }

    // the invisible controls (C0 but tab and newline, DEL, C1, bidi marks, embeddings, overrides, isolates, zero-width
    // space, line and paragraph separators, word joiner, invisible operators, byte order mark), as a JS regex; the
    // joiners (U+200C, U+200D) are asserted where they are, since some of them show and are kept
    private static final String INVISIBLE = "/[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u061C\\u200B\\u200E\\u200F"
            + "\\u2028-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF]/";
    private static final String RTL_SHOWN = "RTL: ⟨U+202E⟩gnp.exe⟨U+202C⟩ and ⟨U+0007⟩bell ⟨U+009B⟩31m";

    /** Text and tooltips of the page's main part that hold an invisible control: none should. */
    private List<String> invisibleControlsShown() {
        @SuppressWarnings("unchecked")
        List<String> found = (List<String>) js("const re = " + INVISIBLE + ";"
                + " return [...document.querySelectorAll('main, main *')].flatMap((e) => [e === document.querySelector('main')"
                + "   ? e.textContent : null, e.getAttribute('title')]).filter((t) => t && re.test(t)).map((t) => JSON.stringify(t));");
        return found;
    }

    /**
     * A right-to-left override in a body ("gnp.exe" that reads "exe.png") and controls show as
     * markers, not obeyed, wherever wire text is: timeline, list, inspector, Connections, graph,
     * and the Mermaid and SVG exports.
     */
    @Test
    void invisibleControlsShowAsMarkersEverywhere() {
        open(hostile, "/");
        assertEquals(List.of(), invisibleControlsShown(), "sequence");
        assertEquals("chat: " + RTL_SHOWN, js("return document.querySelector('#timeline [data-ref=\"2-s-10\"] title').textContent.split('\\n')[1];"));
        assertTrue(((List<?>) js("return xmppscope.graph.cy.nodes().map((n) => n.data('short'));")).contains("bob/⟨U+202E⟩enohp"));
        String svg = (String) js("return xmppscope.timeline.svgText();");
        assertTrue(svg.contains("⟨U+202E⟩") && !java.util.regex.Pattern.compile("[\u202a-\u202e\u2066-\u2069]").matcher(svg).find(), svg);
        browser.driver.findElement(By.id("export-mermaid")).click();
        String mermaid = await().until(d -> d.findElement(By.id("mermaid-text")).getAttribute("value"));
        browser.driver.findElement(By.id("mermaid-close")).click();
        assertTrue(mermaid.contains("as bob@b.example/⟨U+202E⟩enohp") && !mermaid.contains("\u202e"), mermaid);

        browser.driver.findElement(By.id("mode-list")).click();
        WebElement row = await().until(d -> d.findElement(By.cssSelector("#timeline tr[data-ref='2-s-10']")));
        String rowText = row.getAttribute("textContent"); // the cell's end is clipped: getText() leaves out the markers there
        assertTrue(rowText.contains("chat: " + RTL_SHOWN), rowText);
        assertTrue(row.findElements(By.cssSelector(".ctl")).size() >= 4, "each marker in a span of its own, styled");
        assertEquals(List.of(), invisibleControlsShown(), "list");

        open(hostile, "/stanzas/2-s-10");
        WebElement xml = await().until(d -> d.findElement(By.id("stanza-xml")));
        assertTrue(xml.getText().contains("<body>" + RTL_SHOWN + "</body>"), xml.getText());
        assertEquals("chat: " + RTL_SHOWN, browser.driver.findElement(By.cssSelector("#stanza-head .summary")).getText());
        assertEquals(List.of(), invisibleControlsShown(), "inspector");
        browser.screenshot("hostile-rtl-inspector");

        open(hostile, "/connections/3");
        await().until(d -> d.findElement(By.id("connection-head")));
        assertTrue(browser.driver.findElement(By.cssSelector("#connections-table tr[data-id='3']")).getText().contains("bob@b.example/⟨U+202E⟩enohp"));
        assertEquals(List.of(), invisibleControlsShown(), "connections");
    }

    private static final String ZERO_WIDTH_SHOWN = "ZW: al⟨U+200B⟩ice⟨U+FEFF⟩ a⟨U+200D⟩b l⟨U+2028⟩p⟨U+2029⟩ x⟨U+2060⟩y⟨U+2064⟩"
            + " kept: \uD83D\uDC69\u200D\uD83D\uDCBB \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645";

    /**
     * Characters that take no room (a zero-width space that makes "al\u200Bice" pass for "alice", a
     * byte order mark, line and paragraph separators, a word joiner) show as markers wherever wire
     * text is, as the bidi controls do; a joiner that shows (in an emoji, in Persian) is kept.
     */
    @Test
    void zeroWidthCharactersShowAsMarkersEverywhere() {
        open(hostile, "/");
        assertEquals(List.of(), invisibleControlsShown(), "sequence");
        assertEquals("chat: " + ZERO_WIDTH_SHOWN, js("return document.querySelector('#timeline [data-ref=\"1-s-11\"] title').textContent.split('\\n')[1];"));
        String svg = (String) js("return xmppscope.timeline.svgText();");
        assertTrue(svg.contains("⟨U+200B⟩") && svg.contains("⟨U+2029⟩")
                && !java.util.regex.Pattern.compile("[\u200b\u2028\u2029\u2060\ufeff]").matcher(svg).find(), svg);
        browser.driver.findElement(By.id("export-mermaid")).click();
        String mermaid = await().until(d -> d.findElement(By.id("mermaid-text")).getAttribute("value"));
        browser.driver.findElement(By.id("mermaid-close")).click();
        assertTrue(mermaid.contains("al⟨U+200B⟩ice⟨U+FEFF⟩ a⟨U+200D⟩b l⟨U+2028⟩p⟨U+2029⟩"), mermaid);

        browser.driver.findElement(By.id("mode-list")).click();
        WebElement row = await().until(d -> d.findElement(By.cssSelector("#timeline tr[data-ref='1-s-11']")));
        assertTrue(row.getAttribute("textContent").contains("chat: " + ZERO_WIDTH_SHOWN), row.getAttribute("textContent"));
        assertEquals(List.of(), invisibleControlsShown(), "list");

        open(hostile, "/stanzas/1-s-11");
        WebElement xml = await().until(d -> d.findElement(By.id("stanza-xml")));
        assertTrue(xml.getText().contains("<body>" + ZERO_WIDTH_SHOWN + "</body>"), xml.getText());
        assertEquals(List.of(), invisibleControlsShown(), "inspector");
        browser.screenshot("hostile-zero-width-inspector");
    }

    /**
     * Lanes that fit the pane leave it without a sideways scrollbar: the sequence is drawn to the
     * room left once its rows need a vertical scrollbar, not to the width the empty pane had.
     */
    @Test
    void aSequenceThatFitsThePaneDoesNotScrollSideways() {
        browser.driver.manage().window().setSize(new Dimension(2600, 600));
        try {
            open("/");
            @SuppressWarnings("unchecked")
            List<Number> sizes = (List<Number>) js("const t = document.getElementById('timeline');"
                    + " return [t.scrollWidth, t.clientWidth, t.scrollHeight, t.clientHeight];");
            assertTrue(sizes.get(2).intValue() > sizes.get(3).intValue(), "the rows scroll: " + sizes);
            assertTrue(sizes.get(0).intValue() <= sizes.get(1).intValue(), "nothing to scroll sideways to: " + sizes);
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1600, 1000));
        }
    }

    /**
     * What each element is, its summary, is in view in the List at 1600 px without scrolling sideways;
     * its id (a dialback key, a UUID) and protocols come after it.
     */
    @Test
    void theListsSummaryIsInViewBeforeTheIds() {
        open(hostile, "/");
        browser.driver.findElement(By.id("mode-list")).click();
        await().until(d -> d.findElement(By.cssSelector("#timeline tr[data-ref='1-s-11']")));
        Number shown = (Number) js("const heads = [...document.querySelectorAll('#timeline th')].map((th) => th.textContent);"
                + " const cell = document.querySelector('#timeline tr[data-ref=\"1-s-11\"]').children[heads.indexOf('summary')];"
                + " const pane = document.getElementById('timeline').getBoundingClientRect(), r = cell.getBoundingClientRect();"
                + " return Math.min(r.right, pane.right) - r.left;");
        assertTrue(shown.doubleValue() >= 150, "px of the summary in view: " + shown);
    }

    /** In a wide window the List's summary takes the room the other columns leave, and reads whole when it fits. */
    @Test
    void theListsSummaryUsesTheWidthItHas() {
        browser.driver.manage().window().setSize(new Dimension(3400, 1000));
        try {
            open(hostile, "/");
            browser.driver.findElement(By.id("mode-list")).click();
            WebElement summary = await().until(d -> d.findElement(By.cssSelector("#timeline tr[data-ref='1-s-11'] td:nth-child(6)")));
            assertEquals("summary", browser.driver.findElement(By.cssSelector("#timeline th:nth-child(6)")).getText());
            browser.screenshot("hostile-list-wide");
            @SuppressWarnings("unchecked")
            List<Number> widths = (List<Number>) js("const td = arguments[0], table = td.closest('table');"
                    + " return [td.scrollWidth, td.clientWidth, table.offsetWidth, table.parentElement.clientWidth];", summary);
            assertTrue(widths.get(0).intValue() <= widths.get(1).intValue(), "the summary is not clipped: " + widths);
            assertTrue(widths.get(1).intValue() > 300, "wider than the 230 px it was held to: " + widths);
            assertTrue(widths.get(2).intValue() <= widths.get(3).intValue(), "the table fits the pane: " + widths);
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1600, 1000));
        }
    }
}
