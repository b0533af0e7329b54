package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A capture long in progress (a proxy left running): the timeline's rows count from the capture's
 * start, so an hour in, two messages 20 ms apart must still read apart, and the longer times must
 * fit their column. In words ("+85 min 3 s") every row of that second read the same.
 */
class UiLongCaptureBrowserTest {

    @Test
    void anHourInRowsKeepTheirMillisecondsAndTheirTimesFit() {
        InMemoryCaptureModel model = new InMemoryCaptureModel();
        SyntheticFederation federation = new SyntheticFederation(model);
        federation.populate();
        StanzaDetail first = federation.firstMessage();
        // the first connection opened at T0 + 1 ms: these come 1:25:03.120 and 1:25:03.140 after it
        long later = SyntheticFederation.T0 + 1_000_000L + ((85 * 60 + 3) * 1000 + 120) * 1_000_000L;
        putCopy(model, first, "1-s-900", later);
        putCopy(model, first, "1-s-901", later + 20_000_000L);
        try (WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of());
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            browser.driver.get(server.url());
            new WebDriverWait(browser.driver, Duration.ofSeconds(30))
                    .until(d -> !d.findElements(By.cssSelector("#timeline svg.seq-times text")).isEmpty());
            @SuppressWarnings("unchecked")
            Map<String, Object> seen = (Map<String, Object>) browser.driver.executeScript("""
                    const times = document.querySelector('#timeline svg.seq-times');
                    const column = times.getBoundingClientRect();
                    const texts = [...times.querySelectorAll('text')];
                    const lane = document.querySelector('#timeline .seq-rows svg.sequence .lifeline').getBoundingClientRect();
                    return {last: texts.slice(-2).map((t) => t.textContent),
                      fit: texts.every((t) => t.getBoundingClientRect().right <= column.right),
                      lanesAfter: lane.left > column.right};""");
            browser.screenshot("long-capture-times");
            assertEquals(List.of("+1:25:03.120", "+1:25:03.140"), seen.get("last"));
            assertTrue((Boolean) seen.get("fit"), "every time fits its column");
            assertTrue((Boolean) seen.get("lanesAfter"), "the lanes begin right of the times");
        }
    }

    /**
     * A capture database recorded into again a day later (a proxy restarted with the same --db):
     * rows of today's session count from its own first connection, not from yesterday's. They read
     * "+24:00:01.250" when the clock counted from the capture's first connection. Shown with
     * yesterday's, they still count from their own start, under a line that marks where the session
     * changes and says when today's began.
     */
    @Test
    void aSessionADayLaterCountsFromItsOwnStart() {
        InMemoryCaptureModel model = new InMemoryCaptureModel();
        SyntheticFederation federation = new SyntheticFederation(model);
        federation.populate();
        StanzaDetail first = federation.firstMessage();
        long yesterdayEnds = SyntheticFederation.T0 + 2_000_000_000L;
        for (ConnectionView c : model.connections()) {
            model.put(closedAt(c, yesterdayEnds));
        }
        long today = SyntheticFederation.T0 + Duration.ofDays(1).toNanos();
        ConnectionView yesterdays = model.connections().get(0);
        long conn = 100;
        model.put(new ConnectionView(conn, yesterdays.route(), "c2s", yesterdays.tls(), yesterdays.client(), yesterdays.server(),
                "dave@a.example/today", null, "a.example", today, null, null, null, "established", null, null, 2, 800, 900, null));
        putCopy(model, first, conn + "-s-1", conn, "dave@a.example/today", today + 1_250_000_000L);
        putCopy(model, first, conn + "-s-2", conn, "dave@a.example/today", today + 1_270_000_000L);
        try (WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of());
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            browser.driver.get(server.url());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            wait.until(d -> !d.findElements(By.cssSelector("#timeline svg.seq-times text")).isEmpty());
            // both sessions shown: a line marks where today's begins, labelled with when, and its rows count from there
            wait.until(d -> d.findElements(By.cssSelector("#timeline svg.sequence .session-break")).size() == 1);
            browser.screenshot("two-sessions");
            List<String> both = times(browser);
            assertEquals(List.of("+1.25 s", "+1.27 s"), both.subList(both.size() - 2, both.size()), both.toString());
            String started = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH)
                    .format(Instant.ofEpochSecond(0, today).atZone(ZoneId.systemDefault()));
            assertEquals(started, browser.driver.findElement(By.cssSelector("#timeline svg.seq-times .session-break text")).getText());
            browser.driver.findElement(By.id("f-jid")).sendKeys("dave@a.example");
            wait.until(d -> times(browser).size() == 2);
            browser.screenshot("second-session-times");
            assertEquals(List.of("+1.25 s", "+1.27 s"), times(browser));
            assertTrue(browser.driver.findElements(By.cssSelector("#timeline svg.sequence .session-break")).isEmpty(),
                    "today's rows alone: no jump to mark");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> times(HeadlessChromium browser) {
        return (List<String>) browser.driver.executeScript(
                "return [...document.querySelectorAll('#timeline svg.seq-times > text')].map((t) => t.textContent);");
    }

    private static ConnectionView closedAt(ConnectionView c, long at) {
        return new ConnectionView(c.id(), c.route(), c.kind(), c.tls(), c.client(), c.server(), c.jid(), c.streamFrom(),
                c.streamTo(), c.openedAt(), at, "CLIENT_CLOSED", null, "closed", null, null, c.stanzaCount(), c.bytesIn(), c.bytesOut(),
                c.kindInferred());
    }

    private static void putCopy(InMemoryCaptureModel model, StanzaDetail d, String ref, long at) {
        putCopy(model, d, ref, d.stanza().connection(), d.stanza().from(), at);
    }

    private static void putCopy(InMemoryCaptureModel model, StanzaDetail d, String ref, long connection, String from, long at) {
        StanzaSummary s = d.stanza();
        model.put(new StanzaDetail(new StanzaSummary(ref, connection, s.direction(), at, s.kind(), s.type(), from, s.to(),
                s.id() + ref, s.namespaces(), s.labels(), s.summary(), s.size(), s.offset(), s.parseStatus()),
                d.xml(), null, null, null, false, null, null));
    }
}
