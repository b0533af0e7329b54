package dev.xmppscope.web.worker;

import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.index.KeptAnalysis;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStoreException;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.StoredPayloads;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live analysis in the proxy's JVM ({@code --analysis in-process}). When its index cannot be
 * written (a full disk) it stops, as a worker process does: said once, and nothing more is fed
 * to it, where each record would otherwise fail again.
 */
final class InProcessAnalysis implements LiveAnalysis {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessAnalysis.class);

    private final Analyzer analyzer;
    /** Commits the capture's analysis file. */
    private final Runnable save;
    private final CaptureSink feed;
    private volatile String stoppedBecause;

    /** The analyzer's answers while it runs; once it stopped, its store is closed and the web API says why (503). */
    private final CaptureModel model = new CaptureModel() {
        @Override
        public List<ConnectionView> connections() {
            return running().connections();
        }

        @Override
        public Optional<ConnectionView> connection(long id) {
            return running().connection(id);
        }

        @Override
        public List<NegotiationStep> negotiation(long connectionId) {
            return running().negotiation(connectionId);
        }

        @Override
        public StanzaPage stanzas(StanzaQuery query) {
            return running().stanzas(query);
        }

        @Override
        public Optional<StanzaDetail> stanza(String ref) {
            return running().stanza(ref);
        }

        @Override
        public Optional<StanzaRoute> route(String ref) {
            return running().route(ref);
        }

        @Override
        public GraphSnapshot graph() {
            return running().graph();
        }

        @Override
        public AutoCloseable subscribe(Consumer<ModelEvent> listener) {
            return analyzer.subscribe(listener);
        }
    };

    InProcessAnalysis(Analyzer analyzer, Runnable save) {
        this.analyzer = analyzer;
        this.save = save;
        this.feed = new CaptureSink() {
            @Override
            public void opened(ConnectionOpened c) {
                unlessStopped(() -> analyzer.opened(c));
            }

            @Override
            public void chunk(Chunk c) {
                unlessStopped(() -> analyzer.chunk(c));
            }

            // with its place in the payload file, so that the index points there, as the worker's does
            @Override
            public void storedChunk(Chunk c, StoredPayloads payloads, long position) {
                unlessStopped(() -> analyzer.storedChunk(c, payloads, position));
            }

            @Override
            public void event(ConnectionEvent e) {
                unlessStopped(() -> analyzer.event(e));
            }

            @Override
            public void closed(ConnectionClosed c) {
                unlessStopped(() -> analyzer.closed(c));
            }

            @Override
            public void flushed() {
                unlessStopped(analyzer::flushed);
            }

            @Override
            public String toString() {
                return analyzer.toString(); // the recorder's feed names its listener in what it logs
            }
        };
    }

    private void unlessStopped(Runnable step) {
        if (stoppedBecause != null) {
            return;
        }
        try {
            step.run();
        } catch (CaptureStoreException e) {
            stoppedBecause = "the live analysis stopped: " + e.getMessage();
            LOG.error("{}", stoppedBecause);
        }
    }

    @Override
    public CaptureSink feed() {
        return feed;
    }

    @Override
    public CaptureModel model() {
        return model;
    }

    private Analyzer running() {
        String why = stoppedBecause;
        if (why != null) {
            throw new AnalysisUnavailableException(why, null);
        }
        return analyzer;
    }

    @Override
    public Optional<String> stoppedBecause() {
        return Optional.ofNullable(stoppedBecause);
    }

    @Override
    public Optional<String> closeKeeping(KeptAnalysis.Made made) {
        try {
            Optional<String> whyNot = stoppedBecause().or(() -> {
                analyzer.flushed();
                return analyzer.whyNotKeepable();
            });
            if (whyNot.isEmpty()) {
                analyzer.keep(made.fingerprint(), made.atMillis());
                save.run();
            }
            return whyNot;
        } catch (CaptureStoreException | UncheckedIOException e) {
            return Optional.of("it could not be written: " + e.getMessage());
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        try {
            analyzer.close();
        } catch (CaptureStoreException e) {
            if (stoppedBecause == null) {
                throw e;
            }
        }
    }
}
