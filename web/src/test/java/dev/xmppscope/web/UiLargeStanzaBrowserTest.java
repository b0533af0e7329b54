package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.StanzaDetail;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The inspector's XML at its limits. A stanza of megabytes (a roster of 50,000 contacts): drawn
 * whole it took the page 20 s and a million elements. The start is drawn and says so; the raw bytes
 * are dumped only when opened. And a stanza whose XML is gone from the capture's payload file
 * (the API gives {@code "xml": null}): said so, not shown as an empty element.
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

    @Test
    void aStanzaWhoseXmlIsGoneSaysSoInsteadOfShowingNothing() {
        InMemoryCaptureModel model = new InMemoryCaptureModel();
        SyntheticFederation federation = new SyntheticFederation(model);
        federation.populate();
        StanzaDetail shown = federation.firstMessage();
        model.put(new StanzaDetail(shown.stanza(), null, shown.route(), shown.iqPartner(), shown.iqRttNanos(),
                shown.unanswered(), shown.error(), shown.carries()));
        try (WebServer server = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of());
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            browser.driver.get(server.url() + "stanzas/" + shown.stanza().ref());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            wait.until(d -> !d.findElements(By.id("stanza-xml-missing")).isEmpty());
            browser.screenshot("stanza-xml-missing");
            assertTrue(browser.driver.findElement(By.id("stanza-xml-missing")).getText()
                    .startsWith("This stanza's XML is no longer in the capture's payload file"));
            assertEquals(shown.stanza().summary(), browser.driver.findElement(By.cssSelector("#stanza-head .summary")).getText(),
                    "what the analysis knows is still shown");
            assertTrue(browser.driver.findElements(By.id("stanza-xml")).isEmpty(), "no empty element drawn");
            assertTrue(browser.driver.findElements(By.cssSelector("pre.hex")).isEmpty(), "no dump of nothing");
            assertEquals("true", browser.driver.findElement(By.xpath("//button[text()='Copy XML']")).getAttribute("disabled"),
                    "nothing to copy");
            // put back, the stanza is listed last, though it came before the first one listed: its
            // time still counts from the capture's start (alice's stream opened at 1 ms, m0 went at 100)
            @SuppressWarnings("unchecked")
            List<String> times = (List<String>) browser.driver.executeScript("return [...document.querySelectorAll("
                    + "'#timeline svg text')].map((t) => t.textContent).filter((t) => /^[+\u2212]\\S* ?(µs|ms|s)$|^\\+0$/.test(t));");
            assertEquals("+99.0 ms", times.get(times.size() - 1), times.toString());
            assertTrue(times.stream().noneMatch(t -> t.startsWith("+-")), times.toString());
        }
    }
}
