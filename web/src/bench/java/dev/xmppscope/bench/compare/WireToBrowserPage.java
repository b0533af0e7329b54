package dev.xmppscope.bench.compare;

import dev.xmppscope.web.HeadlessChromium;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI open at {@code /} in headless Chromium, following live traffic in the List view,
 * instrumented from inside the page: when each live {@code stanza} message arrives on the
 * WebSocket, when a timeline row holding its id is appended to the DOM, and the next animation
 * frame after that. Times are epoch milliseconds ({@code performance.timeOrigin + performance.now()}),
 * comparable with the JVM's {@code Instant.now()} on the same machine.
 */
final class WireToBrowserPage implements AutoCloseable {

    /** Runs before the app's scripts: wraps WebSocket so every live message is timed on arrival. */
    private static final String WS_HOOK = """
            window.__wtb = {ws: {}, dom: {}, frame: {}};
            (() => {
              const Native = window.WebSocket;
              window.WebSocket = class extends Native {
                constructor(...args) {
                  super(...args);
                  this.addEventListener('message', (e) => {
                    const t = performance.timeOrigin + performance.now();
                    let m;
                    try { m = JSON.parse(e.data); } catch (err) { return; }
                    const id = m && m.type === 'stanza' && m.stanza && m.stanza.id;
                    if (id && !(id in window.__wtb.ws)) window.__wtb.ws[id] = t;
                  });
                }
              };
            })();
            """;

    /** Installed once the page is up: the first time a list row shows an id is its render time. */
    private static final String DOM_OBSERVER = """
            const prefix = arguments[0];
            const w = window.__wtb;
            const seen = (root) => {
              const t = performance.timeOrigin + performance.now();
              const fresh = [];
              for (const td of root.querySelectorAll('tr[data-ref] td.mono')) {
                const id = td.textContent;
                if (id.startsWith(prefix) && !(id in w.dom)) { w.dom[id] = t; fresh.push(id); }
              }
              if (fresh.length) requestAnimationFrame(() => {
                const f = performance.timeOrigin + performance.now();
                for (const id of fresh) w.frame[id] = f;
              });
            };
            new MutationObserver((records) => {
              for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) seen(n);
            }).observe(document.getElementById('timeline'), {childList: true, subtree: true});
            seen(document.getElementById('timeline'));
            """;

    private final HeadlessChromium chromium = new HeadlessChromium(1400, 900);

    /** Opens {@code url}, switches the timeline to the List view (which shows ids) and starts observing. */
    void open(String url, String idPrefix) {
        chromium.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WS_HOOK));
        chromium.driver.get(url);
        WebDriverWait wait = new WebDriverWait(chromium.driver, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.textToBe(By.id("live-text"), "live"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("mode-list"))).click();
        chromium.driver.executeScript(DOM_OBSERVER, idPrefix);
    }

    /** How many ids with this prefix have a rendered row so far. */
    long rendered(String idPrefix) {
        Object n = chromium.driver.executeScript(
                "return Object.keys(window.__wtb.dom).filter(k => k.startsWith(arguments[0])).length;", idPrefix);
        return ((Number) n).longValue();
    }

    /** id → epoch ms, for each of "ws", "dom" and "frame". */
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Double>> times() {
        Map<String, Object> raw = (Map<String, Object>) chromium.driver.executeScript("return window.__wtb;");
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (String k : List.of("ws", "dom", "frame")) {
            Map<String, Double> m = new HashMap<>();
            Object v = raw.get(k);
            if (v instanceof Map<?, ?> vm) {
                vm.forEach((id, t) -> m.put((String) id, ((Number) t).doubleValue()));
            }
            out.put(k, m);
        }
        return out;
    }

    @Override
    public void close() {
        chromium.close();
    }
}
