package dev.xmppscope.bench.compare;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.pcap.PcapImporter;
import dev.xmppscope.proxy.SecretMasking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * xmppscope on a pcap: the pcap importer reassembles each TCP connection into chunks, masks
 * their secrets as {@code xmppscope open} does, and feeds them straight into a fresh Analyzer (whose index lives in a scratch capture database), the
 * equivalent of tshark dissecting the file.
 */
final class XmppscopePcap implements PcapAnalysis.PcapContender {
    private final Path scratch;

    XmppscopePcap(Path scratch) {
        this.scratch = scratch;
    }

    @Override
    public String name() {
        return PcapAnalysis.XMPPSCOPE;
    }

    @Override
    public long analyze(Path pcap) throws IOException {
        Path db = scratch.resolve("pcap-analysis-" + System.nanoTime());
        try (CaptureStore store = CaptureStore.open(db).analyzeInForeground(); Analyzer analyzer = Analyzer.open(store)) {
            new PcapImporter(pcap).replay(SecretMasking.ofImport(pcap.getFileName().toString(), false).masking(analyzer));
            return XmppscopeAnalysis.stanzasSeen(analyzer);
        } finally {
            CaptureStore.delete(db);
            Files.deleteIfExists(db.resolveSibling(db.getFileName() + ".trace.db"));
        }
    }
}
