package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xmppscope.capture.pcap.Tshark;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.XmppClient;
import dev.xmppscope.web.AnalysisProgress;
import dev.xmppscope.web.HeadlessChromium;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * {@code xmppscope open FILE.pcapng} serves the UI before the file is imported, and says how far the
 * import has come (in the console, {@code /api/capture} and the top bar), then analyzes it as it
 * analyzes a capture database; a damaged file is said and what came before it shown; Ctrl-C stops
 * the import part way. The file is a real dumpcap capture of a Prosody session, with a message
 * long enough that the import reads the file in several reads; the import is held after its first
 * by the command's progress hook, so what a user sees then is asserted without racing it.
 */
class OpenImportedFileTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;
    static Path pcap;
    private final StringWriter out = new StringWriter();

    @BeforeAll
    static void captureAProsodySession() throws Exception {
        pcap = tmp.resolve("session.pcapng");
        try (Federation fed = Federation.aliceAndBobUnrelayed().start(tmp.resolve("servers"))) {
            InetSocketAddress c2s = fed.server("a.example").c2s();
            Tshark.Capture capture = Tshark.capture(Tshark.trafficOf(c2s), pcap, false);
            try (XmppClient bob = XmppClient.options("a.example", c2s).login("bob", "bob-secret");
                 XmppClient alice = XmppClient.options("a.example", c2s).login("alice", "alice-secret")) {
                String body = "imported while served " + "x".repeat(200_000);
                alice.send(bob.jid().toString(), body);
                bob.awaitMessage(body, Duration.ofSeconds(20));
            } finally {
                capture.stop();
            }
        }
        assertTrue(Files.size(pcap) > 3 * 65_536, "the import reads the file in several reads: " + Files.size(pcap));
    }

    @Test
    void theUiIsServedBeforeTheImportAndSaysHowFarItHasCome() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OpenCommand open = command(pcap);
        open.whileAnalyzing = p -> {
            if (p.state() == AnalysisProgress.State.IMPORTING && held.getCount() > 0) {
                held.countDown();
                OpenWhileAnalyzingTest.awaitQuietly(release);
            }
        };
        Serving serving = open.start();
        try (HeadlessChromium browser = new HeadlessChromium(1400, 800)) {
            assertTrue(held.await(60, TimeUnit.SECONDS), "the import began");
            JsonNode analysis = RealFederationWebTest.get(serving, "/api/capture").get("analysis");
            assertEquals("importing", analysis.get("state").asText(), analysis.toString());
            long size = Files.size(pcap);
            assertEquals(size, analysis.get("fileBytes").asLong(), analysis.toString());
            long read = analysis.get("importedBytes").asLong();
            assertTrue(read > 0 && read < size, analysis.toString());
            assertEquals(read * 100 / size, analysis.get("percent").asLong(), analysis.toString());
            assertEquals(0, RealFederationWebTest.get(serving, "/api/connections").get("items").size(), "nothing analyzed yet");
            assertEquals(503, statusOf(serving, "/api/capture/export"), "a download waits for the import");
            assertTrue(out.toString().startsWith("web UI  " + serving.web().url() + "\nimporting, then analyzing, " + pcap
                    + " in the background: the web UI shows what is analyzed so far\nCtrl-C stops.\n"), out.toString());

            browser.driver.get(serving.web().url());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            String importing = "stored capture · importing: " + analysis.get("percent").asInt() + "% of "
                    + String.format(Locale.ROOT, "%.1f", size / 1e6) + " MB";
            wait.until(d -> d.findElement(By.id("live-text")).getText().equals(importing));
            browser.screenshot("open-pcap-importing");

            release.countDown();
            wait.until(d -> d.findElement(By.id("live-text")).getText().equals("stored capture"));
            JsonNode done = RealFederationWebTest.get(serving, "/api/capture").get("analysis");
            assertEquals("done", done.get("state").asText(), done.toString());
            assertTrue(done.get("importDamage").isNull(), done.toString());
            List<String> jids = new ArrayList<>();
            RealFederationWebTest.get(serving, "/api/connections").get("items").forEach(c -> jids.add(c.get("jid").asText()));
            assertEquals(2, jids.size(), jids.toString());
            assertTrue(jids.stream().allMatch(j -> j.startsWith("alice@a.example/") || j.startsWith("bob@a.example/")), jids.toString());
            wait.until(d -> d.findElement(By.id("graph-counts")).getText().startsWith("1 server · 2 clients"));
            browser.screenshot("open-pcap-imported");
            assertEquals(List.of(), browser.pageProblems());
        } finally {
            release.countDown();
            serving.closeAll();
        }
        assertTrue(out.toString().matches("(?s).*\n2 connections, \\d+ records from PCAPNG\nanalyzed in \\d+\\.\\d s: 2 streams, \\d+ entities\n.*"),
                out.toString());
    }

    @Test
    void aDamagedFileIsSaidInTheConsoleAndTheTopBarAndWhatCameBeforeIsShown() throws Exception {
        Path damaged = tmp.resolve("damaged.pcapng");
        byte[] whole = Files.readAllBytes(pcap);
        Files.write(damaged, Arrays.copyOf(whole, whole.length - 1000)); // the last frames cut off mid-block
        Serving serving = command(damaged).startAnalyzed();
        try (HeadlessChromium browser = new HeadlessChromium(1400, 800)) {
            JsonNode analysis = RealFederationWebTest.get(serving, "/api/capture").get("analysis");
            assertEquals("done", analysis.get("state").asText(), analysis.toString());
            String damage = analysis.get("importDamage").asText();
            assertTrue(damage.startsWith(damaged + " is truncated"), damage);
            assertTrue(out.toString().contains("\nwarning: " + damage + " — showing what was read before the damage\n"), out.toString());
            assertEquals(2, RealFederationWebTest.get(serving, "/api/connections").get("items").size(), "what came before is shown");

            browser.driver.get(serving.web().url());
            new WebDriverWait(browser.driver, Duration.ofSeconds(30))
                    .until(d -> d.findElement(By.id("live-text")).getText().equals("stored capture · file damaged, shown up to the damage"));
            assertTrue(browser.driver.findElement(By.id("live-text")).findElement(By.xpath("..")).getAttribute("title")
                    .endsWith(": " + damage), "the damage on hover");
            browser.screenshot("open-pcap-damaged");
        } finally {
            serving.closeAll();
        }
    }

    @Test
    void stoppingTheCommandStopsTheImportPartWay() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        OpenCommand open = command(pcap);
        open.whileAnalyzing = p -> {
            if (held.getCount() > 0) {
                held.countDown();
                while (!open.background.stopping()) { // until Ctrl-C (closeAll) asks it to stop
                    Thread.onSpinWait();
                }
            }
        };
        Serving serving = open.start();
        assertTrue(held.await(60, TimeUnit.SECONDS), "the import began");
        serving.closeAll();
        AnalysisProgress stopped = open.background.progress();
        assertEquals(AnalysisProgress.State.FAILED, stopped.state(), stopped.toString());
        assertEquals("stopped before the end", stopped.failure());
        assertTrue(stopped.imported().bytesRead() < Files.size(pcap), stopped.toString());
        assertNull(stopped.imported().damage());
        assertFalse(out.toString().contains("connections,"), "the import did not go on to its end: " + out);
        assertFalse(out.toString().contains("analyzed in"), out.toString());
    }

    private OpenCommand command(Path capture) {
        OpenCommand open = new OpenCommand();
        CommandLine cl = new CommandLine(open);
        cl.setOut(new PrintWriter(out, true));
        cl.parseArgs(capture.toString(), "--web", "127.0.0.1:0");
        return open;
    }

    private static int statusOf(Serving serving, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serving.web().url().replaceAll("/$", "") + path))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
