package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.proxy.SecretMasking;
import dev.xmppscope.replay.BundledSample;
import dev.xmppscope.web.api.CaptureExportApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The inspector offers a stream alone for download, both formats side by side, in a capture recorded from real servers. */
class UiStreamDownloadsBrowserTest {

    @TempDir
    Path tmp;

    /** "Download .xscap" and ".pcapng" are one offer: they wrap together, never ".pcapng" alone on a line of its own. */
    @Test
    void aStreamsTwoDownloadsStayTogether() throws Exception {
        Path file = BundledSample.open("failures").file();
        try (CaptureStore store = CaptureStore.open(tmp.resolve("failures"))) {
            CaptureFiles.importInto(store, file, ProgressBar.NONE, SecretMasking.ofImport("failures.xscap", false)::masking);
            try (Analyzer analyzer = Analyzer.open(store)) {
                try (var reader = store.newReader()) {
                    analyzer.analyze(reader, n -> { });
                }
                analyzer.flushed();
                try (WebServer web = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(analyzer),
                        List.of(CaptureExportApi.of(store, file)));
                     HeadlessChromium browser = new HeadlessChromium(1600, 1000)) {
                    for (int width : new int[] {1600, 1100}) {
                        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 900));
                        browser.driver.get(web.url() + "connections/1");
                        WebElement xscap = new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                                .until(d -> d.findElement(By.id("export-connection")));
                        WebElement pcapng = browser.driver.findElement(By.cssSelector("#inspector a[href*='format=pcapng']"));
                        browser.screenshot("stream-downloads-" + width);
                        assertEquals(xscap.getRect().getY(), pcapng.getRect().getY(), "on one line at " + width + " px");
                    }
                }
            }
        }
    }
}
