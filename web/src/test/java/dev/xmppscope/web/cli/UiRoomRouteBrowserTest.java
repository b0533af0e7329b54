package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.web.HeadlessChromium;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo's chat room, as an educator shows it: the room's MUC service beside b.example in the
 * graph, and a message to the room drawn as a tree, one branch per occupant's copy (look at the screenshot).
 */
class UiRoomRouteBrowserTest {

    /** Alice's first message to b.example waits for a.example to open its link there: the held time says so. */
    @Test
    void theFirstMessageToAServerIsHeldWhileTheLinkOpens() {
        try (DemoCommand.Running demo = PausedDemo.atItsEnd("federation");
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            StanzaSummary first = demo.replayer().current().stanzas(new StanzaQuery("Hi Bob! Alice here", null, "message",
                    null, null, null, null, null, null, null, 10)).items().get(0);
            browser.driver.get(demo.server().url() + "stanzas/" + first.ref());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            wait.until(d -> d.findElements(By.cssSelector("#route-hops tbody tr")).size() == 3);
            List<String> held = browser.driver.findElements(By.cssSelector("#route-hops tbody tr td:nth-child(5)")).stream()
                    .map(WebElement::getText).toList();
            assertTrue(held.get(1).endsWith("opening the link"), held.toString());
            assertTrue(!held.get(2).contains("link"), "bob's stream was open already: " + held);
            // the hop between the servers: an s2s stream has no client
            browser.driver.findElement(By.cssSelector("#route-hops tbody tr:nth-child(2) td:nth-child(3) a")).click();
            wait.until(d -> d.findElement(By.cssSelector(".meta")).getText().contains("initiating → receiving server"));
        }
    }

    @Test
    void aMessageToTheRoomIsATreeOfCopiesAndTheServiceSitsBesideItsServer() {
        try (DemoCommand.Running demo = PausedDemo.atItsEnd("federation");
             HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
            List<StanzaSummary> copies = demo.replayer().current().stanzas(new StanzaQuery("Hello room!", null, "message",
                    "groupchat", null, null, null, null, null, null, 50)).items();
            StanzaSummary toCarol = copies.stream().filter(s -> s.to() != null && s.to().startsWith("carol@")
                    && s.direction().equals("toClient")).findFirst().orElseThrow(() -> new AssertionError(copies.toString()));

            browser.driver.get(demo.server().url() + "stanzas/" + toCarol.ref());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            wait.until(d -> d.findElements(By.cssSelector("#route-hops tbody tr")).size() == 9);
            browser.screenshot("demo-room-route");
            List<String> links = browser.driver.findElements(By.cssSelector("#route-hops tbody tr td:nth-child(2)")).stream()
                    .map(WebElement::getText).toList();
            // in: alice's c2s, then a.example to the room's service; out: a branch per copy, marked
            // where the room makes it, each copy's delivery under it (bob is on the room's own server: one hop)
            assertEquals("alice@a.example/laptop → a.example", links.get(0));
            assertEquals("a.example → conference.b.example", links.get(1));
            // each copy says whom it is for: alice's and dave's both cross the link to a.example
            assertEquals(Set.of(List.of("b.example → bob@b.example/phone (room copy for bob@b.example/phone)"),
                    List.of("conference.b.example → a.example (room copy for alice@a.example/laptop)",
                            "a.example → alice@a.example/laptop"),
                    List.of("conference.b.example → a.example (room copy for dave@a.example/tablet)",
                            "a.example → dave@a.example/tablet"),
                    List.of("conference.b.example → c.example (room copy for carol@c.example/desk)",
                            "c.example → carol@c.example/desk")),
                    new HashSet<>(branches(links.subList(2, 9))), links.toString());
            assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9"),
                    browser.driver.findElements(By.cssSelector("#route-hops tbody tr td:nth-child(1)")).stream()
                            .map(WebElement::getText).toList(), "the hops, numbered down the tree, count up");
            WebElement selected = browser.driver.findElement(By.cssSelector("#route-hops tr.selected td:nth-child(2)"));
            assertTrue(selected.getText().endsWith("c.example → carol@c.example/desk"), "the stanza shown is marked");
            // carol's lane is the last, beyond the pane's width: the timeline scrolls sideways to the stanza's arrow
            wait.until(d -> (Boolean) browser.driver.executeScript("""
                    const arrow = document.querySelector('#timeline .row.selected line').getBoundingClientRect();
                    const pane = document.getElementById('timeline').getBoundingClientRect();
                    return arrow.left >= pane.left && arrow.right <= pane.right;"""));

            // Animate sends the copies at once: the message in (two steps), then four copies, then three deliveries
            browser.driver.executeScript("window.__hops = []; const g = xmppscope.graph, hop = g.animateHop.bind(g);"
                    + "g.animateHop = (s, t, k, delay, e) => { __hops.push(delay); hop(s, t, k, delay, e); };");
            browser.click(d -> d.findElement(
                    By.xpath("//div[contains(@class, 'insp-section')][.//table[@id='route-hops']]//button[text()='Animate']")));
            List<?> delays = (List<?>) browser.driver.executeScript("return __hops.slice().sort((a, b) => a - b);");
            assertEquals(List.of(0L, 560L, 1120L, 1120L, 1120L, 1120L, 1680L, 1680L, 1680L), delays);

            // the message and its copies as a sequence: the room's service has its lane next to its server's
            browser.click(d -> d.findElement(By.id("mode-sequence")));
            browser.driver.findElement(By.id("f-id")).sendKeys(toCarol.id());
            wait.until(d -> d.findElements(By.cssSelector("#timeline svg.sequence .row")).size() == 9);
            List<String> lanes = browser.driver.findElements(By.cssSelector("#timeline svg.sticky-head g.lane-head title"))
                    .stream().map(t -> t.getAttribute("textContent")).toList();
            assertEquals(lanes.indexOf("b.example") + 1, lanes.indexOf("conference.b.example"), lanes.toString());
            browser.screenshot("demo-room-sequence");

            // beside its server: within half the way to any other server (it has its own streams to them, which
            // must not run along b.example's, so it is not right next to it either)
            List<?> kindAndDistances = (List<?>) browser.driver.executeScript("""
                    const cy = xmppscope.graph.cy, service = cy.getElementById('server:conference.b.example');
                    const from = (id) => {
                      const p = cy.getElementById(id).position(), q = service.position();
                      return Math.hypot(p.x - q.x, p.y - q.y);
                    };
                    return [service.data('kind'), from('server:b.example'), from('server:a.example'), from('server:c.example')];""");
            assertEquals("component", kindAndDistances.get(0));
            double toB = ((Number) kindAndDistances.get(1)).doubleValue();
            assertTrue(toB < ((Number) kindAndDistances.get(2)).doubleValue() / 2
                    && toB < ((Number) kindAndDistances.get(3)).doubleValue() / 2, "beside b.example: " + kindAndDistances);
            assertTrue(browser.driver.findElement(By.id("graph-counts")).getText().contains("1 component"));
        }
    }

    /**
     * The copies' rows as branches (each copy's link, then its delivery's), checking that the tree
     * is drawn as it must be: {@code ├} before every branch but the last, {@code └} before the last,
     * and each delivery under its copy ({@code │ └}, or {@code   └} under the last).
     */
    private static List<List<String>> branches(List<String> rows) {
        List<List<String>> branches = new ArrayList<>();
        List<String> heads = new ArrayList<>();
        for (String row : rows) {
            if (row.startsWith("├ ") || row.startsWith("└ ")) {
                assertTrue(heads.isEmpty() || heads.get(heads.size() - 1).startsWith("├ "),
                        "nothing after the last branch: " + rows);
                heads.add(row);
                branches.add(new ArrayList<>(List.of(row.substring(2))));
            } else {
                String head = heads.get(heads.size() - 1);
                String under = head.startsWith("├ ") ? "│ └ " : "  └ ";
                assertTrue(row.startsWith(under), "'" + row + "' is drawn under '" + head + "'");
                branches.get(branches.size() - 1).add(row.substring(under.length()));
            }
        }
        assertTrue(heads.get(heads.size() - 1).startsWith("└ "), "the last branch closes the tree: " + rows);
        return branches;
    }
}
