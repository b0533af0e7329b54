package dev.xmppscope.bench.compare;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureStore;
import java.nio.file.Path;

/**
 * xmppscope's analyzer on a stored capture, the way {@code xmppscope open} reads one:
 * {@code Analyzer.open(store)}, then the store replayed into it, then closed (index written).
 */
final class XmppscopeAnalysis implements AnalysisContender {
    @Override
    public String name() {
        return StoreAnalysis.XMPPSCOPE;
    }

    @Override
    public long analyze(Path captureDb) {
        try (CaptureStore store = CaptureStore.open(captureDb).analyzeInForeground(); // as 'open': no relay to yield to
             Analyzer analyzer = Analyzer.open(store)) {
            try (CaptureReader reader = store.newReader()) {
                analyzer.analyze(reader, done -> { }); // as open analyzes
            }
            return stanzasSeen(analyzer);
        }
    }

    /** Top-level elements the analyzer counted, summed over connections: a check that it saw everything. */
    static long stanzasSeen(Analyzer analyzer) {
        return analyzer.connections().stream().mapToLong(ConnectionView::stanzaCount).sum();
    }
}
