package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A stanza of megabytes (a roster of 50,000 contacts) in the inspector: drawn whole it took the
 * page 20 s and a million elements. The start is drawn and says so; the raw bytes are dumped
 * only when opened.
 */
class UiLargeStanzaBrowserTest {

    @Test
    void aHugeStanzaIsShownByItsStartAndSaysSo() {
        InMemoryCaptureModel model = new InMemoryCaptureModel();
        SyntheticFederation federation = new SyntheticFederation(model);
        federation.populate();
        String ref = federation.roster(1, 50_000, 700);
        int length = model.stanza(ref).orElseThrow().xml().length();
        try (WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of());
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            browser.driver.get(server.url() + "stanzas/" + ref);
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            wait.until(d -> !d.findElements(By.id("stanza-xml")).isEmpty());
            browser.screenshot("large-stanza");
            assertEquals(String.format(Locale.US, "The first 100,000 of %,d characters are shown; Copy takes the whole element.",
                    length),
                    browser.driver.findElement(By.id("stanza-xml-cut")).getText());
            long drawn = (Long) browser.driver.executeScript("return document.querySelectorAll('#stanza-xml *').length;");
            assertTrue(drawn < 30_000, drawn + " elements drawn for the XML");
            assertEquals("", browser.driver.executeScript("return document.querySelector('pre.hex').textContent;"),
                    "no dump made before it is asked for");
            browser.driver.findElement(By.cssSelector("details summary")).click();
            wait.until(d -> ((String) browser.driver.executeScript("return document.querySelector('pre.hex').textContent;"))
                    .startsWith("000000  3c 69 71 20"));
        }
    }
}
