package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaSummary;
import java.time.Duration;
import java.util.List;
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

    private static void putCopy(InMemoryCaptureModel model, StanzaDetail d, String ref, long at) {
        StanzaSummary s = d.stanza();
        model.put(new StanzaDetail(new StanzaSummary(ref, s.connection(), s.direction(), at, s.kind(), s.type(), s.from(), s.to(),
                s.id() + ref, s.namespaces(), s.labels(), s.summary(), s.size(), s.offset(), s.parseStatus()),
                d.xml(), null, null, null, false, null, null));
    }
}
