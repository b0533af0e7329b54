package dev.xmppscope.web.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xmppscope.analyzer.Analyzer;
import dev.xmppscope.analyzer.index.KeptAnalysis;
import dev.xmppscope.analyzer.model.SearchSupersededException;
import dev.xmppscope.capture.AnalysisFile;
import dev.xmppscope.capture.CaptureStoreException;
import dev.xmppscope.capture.StoredPayloads;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import dev.xmppscope.analyzer.model.ModelEvent;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live analysis in a process of its own (started by {@link WorkerProcess}, at idle
 * priority): reads the recorder's feed ({@link FeedCodec}) on stdin into an {@link Analyzer} that
 * writes the capture's analysis file, and answers the proxy's queries and streams its model
 * events on a Unix socket ({@link WorkerProtocol}). When the feed ends it writes the index and
 * exits.
 *
 * <p>Arguments: {@code ANALYSIS_FILE CAPTURE_ID SOCKET_PATH CAPTURE}, the last the capture
 * database, whose payload file an earlier analysis may point into.
 */
public final class AnalysisWorker {
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisWorker.class);
    /** Printed on stdout once the socket listens. */
    static final String READY = "READY";
    /** Printed on stdout, followed by the reason, when a storage failure ends the analysis. */
    static final String STOPPED = "STOPPED ";
    /** Printed on stdout once the analysis is kept, as the proxy asked at a clean stop, and saved. */
    static final String KEPT = "KEPT";
    /** Printed on stdout, followed by the reason, when the analysis cannot be kept as the proxy asked. */
    static final String NOT_KEPT = "NOT_KEPT ";
    private static final int EVENT_QUEUE = 10_000;

    private final Analyzer analyzer;
    private final ExecutorService queries = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "xmppscope-worker-query");
        t.setDaemon(true);
        return t;
    });

    private AnalysisWorker(Analyzer analyzer) {
        this.analyzer = analyzer;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: AnalysisWorker ANALYSIS_FILE CAPTURE_ID SOCKET_PATH CAPTURE (started by 'xmppscope proxy')");
            System.exit(2);
        }
        ignoreStopSignals();
        Path socket = Path.of(args[2]);
        int status = 0;
        try (AnalysisFile file = AnalysisFile.open(Path.of(args[0]), args[1]);
             StoredPayloads payloads = StoredPayloads.openReadOnly(Path.of(args[3]));
             Analyzer analyzer = Analyzer.open(file, payloads);
             ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            analyzer.summarizeOnceSearched();
            AnalysisWorker worker = new AnalysisWorker(analyzer);
            Thread acceptor = new Thread(() -> worker.accept(server), "xmppscope-worker-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            System.out.println(READY);
            System.out.flush();
            FeedCodec.decode(new DataInputStream(new BufferedInputStream(System.in, 1 << 16)), analyzer, payloads,
                    made -> keep(analyzer, file, made));
        } catch (CaptureStoreException e) {
            System.out.println(STOPPED + e.getMessage()); // the proxy logs it and the web UI shows it
            System.out.flush();
            status = 1;
        } catch (FeedCodec.CutShort e) {
            // the proxy is gone (killed): no one reads a stack trace, the terminal gets one line
            LOG.warn("{}; the analysis keeps what came before it, and 'xmppscope open' on the capture analyses the rest",
                    e.getMessage());
            status = 1;
        } finally {
            WorkerProcess.removeSocket(socket); // a proxy killed outright cannot
        }
        System.exit(status); // the query and event threads may still be blocked on the socket
    }

    /**
     * Keeps the analysis, fed all of the capture {@code made} describes, and saves the analysis
     * file: the next {@code xmppscope open} of the capture answers from it.
     */
    private static void keep(Analyzer analyzer, AnalysisFile file, KeptAnalysis.Made made) {
        analyzer.flushed();
        Optional<String> whyNot = analyzer.whyNotKeepable();
        if (whyNot.isPresent()) {
            System.out.println(NOT_KEPT + whyNot.get());
            System.out.flush();
            return;
        }
        analyzer.keep(made.fingerprint(), made.atMillis());
        try {
            file.store().commit();
        } catch (MVStoreException e) {
            throw CaptureStoreException.of("cannot write the analysis file " + file.file(), e);
        }
        System.out.println(KEPT);
        System.out.flush();
    }

    /**
     * Ctrl-C in a terminal (or a TERM to the process group) reaches this process too; the proxy
     * then closes the feed, and this process must live until it has analysed what the feed still
     * held. It always ends with its feed: when the proxy exits, however it exits, the pipe closes.
     */
    @SuppressWarnings("sunapi")
    private static void ignoreStopSignals() {
        for (String signal : List.of("INT", "TERM")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), sun.misc.SignalHandler.SIG_IGN);
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot ignore SIG{} here: {}", signal, e.toString());
            }
        }
    }

    private void accept(ServerSocketChannel server) {
        while (server.isOpen()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                return; // closed at exit
            }
            Thread t = new Thread(() -> serve(channel), "xmppscope-worker-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel channel) {
        try (channel) {
            DataInputStream in = WorkerProtocol.input(channel);
            DataOutputStream out = WorkerProtocol.output(channel);
            JsonNode hello = WorkerProtocol.read(in);
            String role = hello == null ? "" : hello.path("role").asText();
            if (role.equals(WorkerProtocol.RPC)) {
                answerQueries(in, out);
            } else if (role.equals(WorkerProtocol.EVENTS)) {
                streamEvents(in, out);
            } else {
                LOG.warn("a connection to the analysis worker said neither rpc nor events: {}", hello);
            }
        } catch (IOException e) {
            LOG.debug("worker connection ended: {}", e.toString());
        }
    }

    private void answerQueries(DataInputStream in, DataOutputStream out) throws IOException {
        JsonNode request;
        while ((request = WorkerProtocol.read(in)) != null) {
            JsonNode r = request;
            queries.execute(() -> answer(r, out));
        }
    }

    private void answer(JsonNode request, DataOutputStream out) {
        ObjectNode response = WorkerProtocol.JSON.createObjectNode().put("id", request.path("id").asLong());
        try {
            WorkerProtocol.Query query = WorkerProtocol.Query.valueOf(request.path("method").asText());
            response.set("result", WorkerProtocol.JSON.valueToTree(query.answer(analyzer, request.path("arg"))));
        } catch (IllegalArgumentException e) {
            response.put("error", String.valueOf(e.getMessage())).put("badRequest", true);
        } catch (SearchSupersededException e) {
            response.put("error", e.getMessage()).put("superseded", true);
        } catch (RuntimeException e) {
            LOG.warn("query {} failed", request.path("method").asText(), e);
            response.put("error", e.toString());
        }
        try {
            synchronized (out) {
                WorkerProtocol.write(out, response);
            }
        } catch (IOException e) {
            LOG.debug("could not answer a query: {}", e.toString());
        }
    }

    /**
     * Writes every model event until the proxy hangs up, flushing when no more are waiting (one
     * write per burst, not per event). A full socket holds the analysis back: the recorder's feed
     * then catches up from the store, as it does for any slow analysis.
     */
    private void streamEvents(DataInputStream in, DataOutputStream out) throws IOException {
        BlockingQueue<ModelEvent> queue = new ArrayBlockingQueue<>(EVENT_QUEUE);
        AtomicBoolean open = new AtomicBoolean(true);
        AutoCloseable subscription = analyzer.subscribe(e -> {
            try {
                while (open.get() && !queue.offer(e, 100, TimeUnit.MILLISECONDS)) {
                    // the proxy is behind: wait for it, unless it hangs up
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        synchronized (out) {
            WorkerProtocol.write(out, WorkerProtocol.hello(WorkerProtocol.EVENTS)); // subscribed: events from here on
        }
        Thread sender = new Thread(() -> sendEvents(queue, out), "xmppscope-worker-events");
        sender.setDaemon(true);
        sender.start();
        try {
            while (WorkerProtocol.read(in) != null) {
                // the proxy sends nothing more; reading notices when it hangs up
            }
        } finally {
            open.set(false);
            sender.interrupt();
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("unsubscribing: {}", e.toString());
            }
        }
    }

    private static void sendEvents(BlockingQueue<ModelEvent> queue, DataOutputStream out) {
        try {
            while (true) {
                ModelEvent e = queue.take();
                do {
                    WorkerProtocol.writeUnflushed(out, WorkerProtocol.event(e));
                } while ((e = queue.poll()) != null);
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("the proxy stopped reading events: {}", e.toString());
        }
    }
}
