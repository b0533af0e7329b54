package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.replay.BundledSample;
import dev.xmppscope.web.HeadlessChromium;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * {@code xmppscope open} serves the UI at once and analyzes the capture meanwhile: the API answers
 * what is known so far, the console and the top bar say how far the analysis has come (or why it
 * failed), and Ctrl-C stops it part way. The analysis is held half way by the command's progress
 * hook, so what a user sees then is asserted without racing it.
 */
class OpenWhileAnalyzingTest {

    @TempDir
    Path tmp;
    private Path db;
    private final StringWriter out = new StringWriter();

    /** Three copies of the federation sample: 48 streams, 1,341 records, a progress call every 500. */
    @BeforeEach
    void threeFederations() throws Exception {
        db = imported("lab", "federation", "federation", "federation");
    }

    /** A capture database {@code name} of the bundled {@code samples}, imported one after the other. */
    private Path imported(String name, String... samples) throws Exception {
        Path into = tmp.resolve(name);
        for (String sample : samples) {
            Path xscap = tmp.resolve(sample + ".xscap");
            if (!Files.exists(xscap)) {
                Files.copy(BundledSample.open(sample).file(), xscap);
            }
            WebCommandsTest.Run r = WebCommandsTest.run("import", "--db", into.toString(), xscap.toString());
            assertEquals(0, r.exit(), r.err());
        }
        return into;
    }

    @Test
    void theUiIsServedAtOnceAndFillsAsTheAnalysisGoesOn() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OpenCommand open = command();
        open.whileAnalyzing = done -> {
            if (held.getCount() > 0) {
                held.countDown();
                awaitQuietly(release);
            }
        };
        Serving serving = open.start();
        try (HeadlessChromium browser = new HeadlessChromium(1400, 800)) {
            assertTrue(held.await(60, TimeUnit.SECONDS), "the analysis began");
            JsonNode analysis = RealFederationWebTest.get(serving, "/api/capture").get("analysis");
            assertEquals("analyzing", analysis.get("state").asText(), analysis.toString());
            assertEquals(500, analysis.get("records").asLong(), analysis.toString());
            assertEquals(37, analysis.get("percent").asInt(), analysis.toString()); // 500 of 1,341
            long halfWay = stanzaCount(serving);
            assertTrue(halfWay > 0, "what is analyzed so far is served: " + halfWay);
            RealFederationWebTest.get(serving, "/api/graph");
            RealFederationWebTest.get(serving, "/api/stanzas");
            assertTrue(out.toString().contains("web UI  " + serving.web().url() + "\nanalyzing " + CaptureStore.dataFile(db).toAbsolutePath()
                    + " in the background: the web UI shows what is analyzed so far"), out.toString());

            browser.driver.get(serving.web().url());
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            wait.until(d -> d.findElement(By.id("live-text")).getText().matches("stored capture · analyzing: 37% of 0\\.\\d MB"));
            wait.until(d -> !d.findElement(By.id("graph-counts")).getText().isEmpty());
            browser.screenshot("open-while-analyzing");

            release.countDown();
            wait.until(d -> d.findElement(By.id("live-text")).getText().equals("stored capture"));
            assertEquals("done", RealFederationWebTest.get(serving, "/api/capture").get("analysis").get("state").asText());
            long all = stanzaCount(serving);
            assertTrue(all > halfWay, all + " stanzas once analyzed, " + halfWay + " half way");
            wait.until(d -> d.findElements(By.cssSelector("#timeline .row, #timeline tr[data-ref]")).size() > 0);
            browser.screenshot("open-analyzed");
            assertEquals(java.util.List.of(), browser.pageProblems());
        } finally {
            release.countDown();
            serving.closeAll();
        }
        assertTrue(out.toString().matches("(?s).*\nanalyzed in \\d+\\.\\d s: " + 48 + " streams, \\d+ entities\n.*"),
                out.toString());
    }

    @Test
    void aDamagedCaptureIsSaidInTheConsoleAndTheTopBarAndWhatCameBeforeIsShown() throws Exception {
        db = imported("damaged", "failures", "federation"); // recorded on 24 and 6 December: the damage is met in the second
        damageTheLastChunkBatch();
        OpenCommand open = command();
        Serving serving = open.startAnalyzed();
        try (HeadlessChromium browser = new HeadlessChromium(1400, 800)) {
            String why = "not a multiple of 47: the capture database is damaged";
            JsonNode analysis = RealFederationWebTest.get(serving, "/api/capture").get("analysis");
            assertEquals("failed", analysis.get("state").asText(), analysis.toString());
            assertTrue(analysis.get("reason").asText().endsWith(why), analysis.toString());
            assertTrue(stanzaCount(serving) > 0, "what was analyzed before the damage is served");
            assertTrue(out.toString().matches("(?s).*\nxmppscope: the analysis of " + CaptureStore.dataFile(db).toAbsolutePath()
                    + " failed after \\d+\\.\\d s: .*" + why + "; the web UI shows what was analyzed before\n.*"), out.toString());

            browser.driver.get(serving.web().url());
            new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("live-text")).getText()
                    .matches("stored capture · analysis failed: .*" + why));
            browser.screenshot("open-analysis-failed");
        } finally {
            serving.closeAll();
        }
    }

    @Test
    void stoppingTheCommandStopsTheAnalysisPartWayAndTheNextOpenFinishesIt() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        OpenCommand open = command();
        open.whileAnalyzing = done -> {
            if (held.getCount() > 0) {
                held.countDown();
                while (!open.background.stopping()) { // until Ctrl-C (closeAll) asks the analysis to stop
                    Thread.onSpinWait();
                }
            }
        };
        Serving serving = open.start();
        assertTrue(held.await(60, TimeUnit.SECONDS), "the analysis began");
        serving.closeAll();
        assertFalse(out.toString().contains("analyzed in"), out.toString());
        assertTrue(open.background.progress().records() < open.background.progress().totalRecords(),
                open.background.progress().toString());

        OpenCommand again = command();
        Serving reopened = again.startAnalyzed();
        try {
            assertEquals("done", RealFederationWebTest.get(reopened, "/api/capture").get("analysis").get("state").asText());
        } finally {
            reopened.closeAll();
        }
    }

    private OpenCommand command() {
        OpenCommand open = new OpenCommand();
        CommandLine cl = new CommandLine(open);
        cl.setOut(new PrintWriter(out, true));
        cl.parseArgs(db.toString(), "--web", "127.0.0.1:0");
        return open;
    }

    /** The stanzas the connections list counts. */
    private static long stanzaCount(Serving serving) throws Exception {
        long n = 0;
        for (JsonNode c : RealFederationWebTest.get(serving, "/api/connections").get("items")) {
            n += c.get("stanzaCount").asLong();
        }
        return n;
    }

    /**
     * Cuts three bytes off the entries of the capture's last chunk batch (the last read), as damage on disk would,
     * after the sample's connections left open were closed as a first open closes them (that reads
     * every batch, and fails on a damaged one before anything is served).
     */
    private void damageTheLastChunkBatch() throws Exception {
        try (CaptureStore store = CaptureStore.open(db)) {
            store.closeConnectionsLeftOpen();
        }
        try (CaptureStore store = CaptureStore.open(db); Connection c = store.newConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT batch, entries FROM chunk_batch_entries JOIN chunk_batches ON id = batch"
                     + " ORDER BY first_at DESC LIMIT 1")) {
            assertTrue(rs.next());
            byte[] entries = rs.getBytes(2);
            try (PreparedStatement update = c.prepareStatement("UPDATE chunk_batch_entries SET entries = ? WHERE batch = ?")) {
                update.setBytes(1, Arrays.copyOf(entries, entries.length - 3));
                update.setLong(2, rs.getLong(1));
                assertEquals(1, update.executeUpdate());
            }
        }
    }

    /** Waits for {@code latch}, as a hook on the analysis thread does: an interrupt ends the wait. */
    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
