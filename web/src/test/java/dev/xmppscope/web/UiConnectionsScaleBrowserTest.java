package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Connections on a capture of 5,001 streams reads like a packet list: only the rows in view are in
 * the page (all of them took 10-23 s to draw, the page frozen meanwhile), and scrolling, sorting,
 * filtering, a deep link and a stream arriving live all work over every stream.
 */
class UiConnectionsScaleBrowserTest {

    private static final String IN_VIEW = """
            const wrap = document.querySelector('#connections-pane .table-wrap').getBoundingClientRect();
            const head = document.querySelector('#connections-table thead').getBoundingClientRect();
            const row = document.querySelector(`#connections-table tr[data-id="${arguments[0]}"]`);
            if (!row) return false;
            const r = row.getBoundingClientRect();
            return r.top >= head.bottom - 1 && r.bottom <= wrap.bottom + 1;""";

    @Test
    void fiveThousandStreamsScrollSortFilterAndFollowLiveArrivals() {
        InMemoryCaptureModel model = SyntheticFederation.crowd(2, 2500);
        try (HeadlessChromium browser = new HeadlessChromium(1600, 1000);
             WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of())) {
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(60));
            browser.driver.get(server.url() + "connections/4321");
            wait.until(d -> inView(browser, 4321));
            assertEquals("5,001 streams", text(browser, "connections-count"));
            assertTrue(rowsInPage(browser) < 300, rowsInPage(browser) + " rows in the page");
            assertTrue(browser.driver.findElement(By.cssSelector("#connections-table tr[data-id='4321']")).getAttribute("class")
                    .contains("selected"), "the linked stream is the selected row");
            browser.screenshot("connections-5001-linked");

            // ↓ steps to the next stream, the inspector following
            browser.driver.findElement(By.cssSelector("#connections-table tr[data-id='4321']")).click();
            browser.driver.findElement(By.cssSelector("#connections-pane .table-wrap")).sendKeys(Keys.ARROW_DOWN);
            wait.until(d -> d.getCurrentUrl().endsWith("/connections/4322"));

            browser.driver.executeScript("document.querySelector('#connections-pane .table-wrap').scrollTop = 1e9;");
            wait.until(d -> inView(browser, 5001));
            assertTrue(rowsInPage(browser) < 300, rowsInPage(browser) + " rows in the page at the end");

            // sorted by identity, over every stream: the s2s stream's "a.example→b.example" comes first
            browser.driver.findElement(By.cssSelector("#connections-table th[data-sort='identity']")).click();
            browser.driver.executeScript("document.querySelector('#connections-pane .table-wrap').scrollTop = 0;");
            awaitFirstIdentity(browser, "a.example→b.example");
            assertEquals("ascending", browser.driver.findElement(By.cssSelector("th[data-sort='identity']")).getAttribute("aria-sort"));
            browser.driver.findElement(By.cssSelector("#connections-table th[data-sort='identity']")).click();
            awaitFirstIdentity(browser, "user9@b.example/res9"); // "@" sorts after digits
            browser.driver.findElement(By.cssSelector("#connections-table th[data-sort='id']")).click();

            WebElement filter = browser.driver.findElement(By.id("connections-filter"));
            filter.sendKeys("user2499@");
            wait.until(d -> "2 of 5,001 streams".equals(text(browser, "connections-count")));
            assertEquals(List.of("user2499@a.example/res2499", "user2499@b.example/res2499"), browser.driver.executeScript(
                    "return [...document.querySelectorAll('#connections-table tr[data-id] td.identity')].map((td) => td.title);"));
            browser.screenshot("connections-5001-filtered");
            filter.clear();
            filter.sendKeys(" ");
            wait.until(d -> "5,001 streams".equals(text(browser, "connections-count")));

            // a stream that opens while the view is shown is counted, and drawn where it sorts
            ConnectionView c = model.connections().get(0);
            model.put(new ConnectionView(9001, c.route(), "c2s", c.tls(), c.client(), c.server(), "late@a.example/arrived", null,
                    "a.example", c.openedAt() + 5_000_000_000L, null, null, null, "negotiating", null, null, 1, 200, 300, null));
            wait.until(d -> "5,002 streams".equals(text(browser, "connections-count")));
            browser.driver.executeScript("document.querySelector('#connections-pane .table-wrap').scrollTop = 1e9;");
            wait.until(d -> inView(browser, 9001));
            browser.screenshot("connections-5002-live");
        }
    }

    private static final String WIDTHS = "return [...document.querySelectorAll('#connections-table thead th')]"
            + ".map((th) => th.getBoundingClientRect().width);";

    /**
     * At 50,001 streams the columns keep their widths while scrolling (they followed the rows drawn, a
     * window of them: the stream numbers' column widened by half past #10000), and a stream that changes
     * live moves to where it sorts without all of them being sorted again (which froze the page up to
     * 130 ms on each change).
     */
    @Test
    void fiftyThousandStreamsKeepTheirColumnWidthsAndALiveChangeMovesOnlyItsRow() {
        InMemoryCaptureModel model = SyntheticFederation.crowd(2, 25_000);
        try (HeadlessChromium browser = new HeadlessChromium(1600, 1000);
             WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of())) {
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(120));
            browser.driver.get(server.url() + "connections");
            wait.until(d -> "50,001 streams".equals(text(browser, "connections-count")));
            Object atTop = browser.driver.executeScript(WIDTHS);
            for (String share : List.of("0.5", "1")) { // half way the numbers are five digits long, at the end the last is #50001
                browser.driver.executeScript("const w = document.querySelector('#connections-pane .table-wrap');"
                        + " w.scrollTop = w.scrollHeight * " + share + ";");
                long beyond = share.equals("1") ? 50_000 : 20_000;
                wait.until(d -> firstRows(browser, Integer.MAX_VALUE).stream().anyMatch(id -> id > beyond)); // read in the page: rows are redrawn meanwhile
                assertEquals(atTop, browser.driver.executeScript(WIDTHS), "the column widths scrolled " + share + " of the way");
            }
            browser.screenshot("connections-50001-end");

            // by stanzas, most first; the page counts the sorts of every stream from here on
            browser.driver.executeScript("document.querySelector('#connections-pane .table-wrap').scrollTop = 0;");
            browser.driver.findElement(By.cssSelector("#connections-table th[data-sort='stanzas']")).click();
            browser.driver.findElement(By.cssSelector("#connections-table th[data-sort='stanzas']")).click();
            wait.until(d -> "descending".equals(d.findElement(By.cssSelector("th[data-sort='stanzas']")).getAttribute("aria-sort")));
            browser.driver.executeScript("window.allSorted = 0; const sort = Array.prototype.sort;"
                    + " Array.prototype.sort = function (...a) { if (this.length > 10000) window.allSorted++; return sort.apply(this, a); };");
            List<Long> moved = List.of(4321L, 50_000L, 17L);
            for (int i = 0; i < moved.size(); i++) {
                ConnectionView c = model.connection(moved.get(i)).orElseThrow();
                model.put(new ConnectionView(c.id(), c.route(), c.kind(), c.tls(), c.client(), c.server(), c.jid(), c.streamFrom(),
                        c.streamTo(), c.openedAt(), c.closedAt(), c.closeReason(), c.closeDetail(), c.state(), c.error(), c.warning(),
                        i == 1 ? 11 : 1000 + i, c.bytesIn(), c.bytesOut(), c.kindInferred()));
                List<Long> expected = model.connections().stream()
                        .sorted(Comparator.comparingLong(ConnectionView::stanzaCount).thenComparingLong(ConnectionView::id).reversed())
                        .limit(5).map(ConnectionView::id).toList();
                wait.until(d -> expected.equals(firstRows(browser, 5)));
            }
            assertEquals(0L, browser.driver.executeScript("return window.allSorted;"), "a live change sorted every stream again");
            browser.screenshot("connections-50001-live-moved");
            browser.driver.findElement(By.cssSelector("#connections-table th[data-sort='id']")).click();
            wait.until(d -> List.of(1L, 2L, 3L).equals(firstRows(browser, 3)));
            assertEquals(1L, browser.driver.executeScript("return window.allSorted;"), "a click on a column sorts them all, once");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Long> firstRows(HeadlessChromium browser, int n) {
        return (List<Long>) browser.driver.executeScript("return [...document.querySelectorAll('#connections-table tr[data-id]')]"
                + ".slice(0, arguments[0]).map((tr) => Number(tr.dataset.id));", n);
    }

    private static boolean inView(HeadlessChromium browser, long id) {
        return Boolean.TRUE.equals(browser.driver.executeScript(IN_VIEW, id));
    }

    private static String text(HeadlessChromium browser, String id) {
        return browser.driver.findElement(By.id(id)).getText();
    }

    private static long rowsInPage(HeadlessChromium browser) {
        return (Long) browser.driver.executeScript("return document.querySelectorAll('#connections-table tbody tr[data-id]').length;");
    }

    private static void awaitFirstIdentity(HeadlessChromium browser, String identity) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(30)).withMessage(() -> "the first row is "
                + browser.driver.executeScript("return document.querySelector('#connections-table tbody tr[data-id]').textContent;")
                + ", not " + identity).ignoring(StaleElementReferenceException.class) // rows are drawn again as the view settles
                .until(d -> identity.equals(d.findElement(By.cssSelector(
                "#connections-table tbody tr[data-id] td.identity")).getDomAttribute("title")));
    }
}
