package dev.xmppscope.samples;

import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.ProgressBar;
import dev.xmppscope.testing.Federation;
import dev.xmppscope.testing.RecordingProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sample being recorded: a federation of real Prosody servers with the xmppscope proxy on
 * every link (TLS intercepted, so the sample shows what travels inside it), and at the end the
 * proxy's capture written to {@code NAME.xscap} in the samples directory.
 */
final class SampleRecording implements AutoCloseable {
    /** Where samples go: the classpath resources of this module, so the application jar carries them. */
    static final Path SAMPLES = Path.of(System.getProperty("xmppscope.samples.dir", "src/main/resources/samples"));

    final Federation federation;
    final RecordingProxy proxy;
    private final String name;

    SampleRecording(String name, Path work, Federation.Builder servers) throws Exception {
        this.name = name;
        this.federation = servers.start(work.resolve("servers"));
        this.proxy = RecordingProxy.start(work.resolve("proxy"), federation.relayRoutes(), TlsMode.INTERCEPT, true, false);
    }

    /**
     * Writes the sample from what the proxy recorded so far. Server-to-server streams stay open
     * (servers keep them for later stanzas), so the sample shows them established.
     */
    Path finish(String title, String teaches) throws Exception {
        Thread.sleep(1_500); // the recorder commits within a fraction of a second
        Files.createDirectories(SAMPLES);
        Path out = SAMPLES.resolve(name + ".xscap");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("title", title);
        meta.put("teaches", teaches);
        meta.put("recordedWith", "real Prosody " + "servers and Smack clients through the xmppscope proxy (samples/record.sh)");
        CaptureFiles.export(proxy.store(), out, meta, ProgressBar.NONE);
        System.out.println("recorded " + out.toAbsolutePath() + " (" + Files.size(out) + " bytes)");
        return out;
    }

    @Override
    public void close() {
        try {
            proxy.close();
        } finally {
            federation.close();
        }
    }
}
