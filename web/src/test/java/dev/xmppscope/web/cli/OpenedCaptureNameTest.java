package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.replay.BundledSample;
import dev.xmppscope.web.HeadlessChromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code xmppscope open} names what it shows as the user knows it: the pcap or .xscap they opened
 * (not the temporary database it was imported into), or the capture database; a download from the
 * UI is named after it, and the browser's tab says it.
 */
class OpenedCaptureNameTest {

    @TempDir
    Path tmp;

    @Test
    void theCaptureIsNamedAsTheFileOpenedAndSoAreItsDownloads() throws Exception {
        Path db = tmp.resolve("lab");
        Path pcap = tmp.resolve("tcpdump-5222.pcapng");
        Path xscap = tmp.resolve("failures.xscap");
        Files.copy(BundledSample.open("failures").file(), xscap);
        assertEquals(0, WebCommandsTest.run("import", "--db", db.toString(), xscap.toString()).exit());
        assertEquals(0, WebCommandsTest.run("export", "--db", db.toString(), "--out", pcap.toString()).exit());

        Serving opened = assertNames(pcap, "tcpdump-5222.pcapng", "tcpdump-5222.xscap");
        try (HeadlessChromium browser = new HeadlessChromium(1280, 800)) {
            browser.driver.get(opened.web().url());
            new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(d -> d.getTitle().equals("tcpdump-5222.pcapng · xmppscope"));
        } finally {
            opened.closeAll();
        }
        assertNames(xscap, "failures.xscap", "failures.xscap").closeAll();
        assertNames(db, "lab.mv.db", "lab.xscap").closeAll();
    }

    /** Opens {@code capture}: the API names it {@code name}, and its download is {@code downloaded}; the caller closes it. */
    private static Serving assertNames(Path capture, String name, String downloaded) throws Exception {
        Serving opened = RealFederationWebTest.parse(new OpenCommand(), List.of(capture.toString(), "--web", "127.0.0.1:0")).startAnalyzed();
        try {
            assertEquals(name, RealFederationWebTest.get(opened, "/api/capture").get("name").asText(), capture.toString());
            HttpResponse<Void> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(opened.web().url() + "api/capture/export")).build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(200, download.statusCode());
            assertEquals("attachment; filename=\"" + downloaded + "\"",
                    download.headers().firstValue("Content-Disposition").orElse(null), capture.toString());
            return opened;
        } catch (Throwable e) {
            opened.closeAll();
            throw e;
        }
    }
}
