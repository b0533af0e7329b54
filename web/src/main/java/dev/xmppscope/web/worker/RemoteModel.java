package dev.xmppscope.web.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.model.SearchSupersededException;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.capture.BackgroundThreads;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analysis worker's model, as the web app queries it: each {@link CaptureModel} call is a
 * request on the worker's socket, answered there; its model events arrive on a second
 * connection, read at background priority (as the analyzer's own thread would publish them).
 */
final class RemoteModel implements CaptureModel, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteModel.class);
    /** A query waits this long: the worker runs at idle priority and a saturated machine starves it. */
    private static final long ANSWER_TIMEOUT_SECONDS = 20;

    private final Path socket;
    private final Supplier<String> whyGone;
    private final SocketChannel rpc;
    private final DataOutputStream requests;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final List<Consumer<ModelEvent>> listeners = new CopyOnWriteArrayList<>();
    /** Guarded by this; open while there are subscribers (the worker builds no events without one). */
    private SocketChannel events;
    private volatile boolean closed;

    /** Connects to the worker listening on {@code socket}; {@code whyGone} explains a worker that stopped answering. */
    RemoteModel(Path socket, Supplier<String> whyGone) throws IOException {
        this.socket = socket;
        this.whyGone = whyGone;
        this.rpc = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        this.requests = WorkerProtocol.output(rpc);
        WorkerProtocol.write(requests, WorkerProtocol.hello(WorkerProtocol.RPC));
        DataInputStream answers = WorkerProtocol.input(rpc);
        Thread reader = new Thread(() -> readAnswers(answers), "xmppscope-worker-answers");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public List<ConnectionView> connections() {
        return call(WorkerProtocol.Query.CONNECTIONS, null);
    }

    @Override
    public Optional<ConnectionView> connection(long id) {
        return Optional.ofNullable(call(WorkerProtocol.Query.CONNECTION, id));
    }

    @Override
    public List<NegotiationStep> negotiation(long connectionId) {
        return call(WorkerProtocol.Query.NEGOTIATION, connectionId);
    }

    @Override
    public StanzaPage stanzas(StanzaQuery query) {
        return call(WorkerProtocol.Query.STANZAS, query);
    }

    @Override
    public Optional<StanzaDetail> stanza(String ref) {
        return Optional.ofNullable(call(WorkerProtocol.Query.STANZA, ref));
    }

    @Override
    public Optional<StanzaRoute> route(String ref) {
        return Optional.ofNullable(call(WorkerProtocol.Query.ROUTE, ref));
    }

    @Override
    public GraphSnapshot graph() {
        return call(WorkerProtocol.Query.GRAPH, null);
    }

    /** The worker's heap in use after a full collection, in bytes. */
    long heapUsedAfterGc() {
        Long bytes = call(WorkerProtocol.Query.HEAP, null);
        return bytes == null ? 0 : bytes;
    }

    @Override
    public AutoCloseable subscribe(Consumer<ModelEvent> listener) {
        listeners.add(listener); // before the events flow: none is missed
        synchronized (this) {
            if (events == null && !closed) {
                try {
                    openEvents();
                } catch (IOException e) {
                    listeners.remove(listener);
                    closeQuietly(events);
                    events = null; // the next subscriber tries again
                    throw new AnalysisUnavailableException("cannot follow the analysis worker's events: " + e.getMessage(), e);
                }
            }
        }
        return () -> {
            listeners.remove(listener);
            synchronized (this) {
                if (listeners.isEmpty() && events != null) {
                    closeQuietly(events); // the worker unsubscribes its analyzer when this hangs up
                    events = null;
                }
            }
        };
    }

    /** Whether the worker's events connection is open (only while someone subscribes). */
    synchronized boolean followingEvents() {
        return events != null;
    }

    private void openEvents() throws IOException {
        events = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        WorkerProtocol.write(WorkerProtocol.output(events), WorkerProtocol.hello(WorkerProtocol.EVENTS));
        DataInputStream in = WorkerProtocol.input(events);
        JsonNode subscribed = WorkerProtocol.read(in); // the worker subscribed: no event from here on is missed
        if (subscribed == null || !WorkerProtocol.EVENTS.equals(subscribed.path("role").asText())) {
            throw new IOException("the analysis worker did not confirm the subscription (" + subscribed + ")");
        }
        // the analyzer publishes on a background thread in-process too: following it must not take CPU from the relay
        SocketChannel channel = events;
        BackgroundThreads.newThread("xmppscope-worker-events", () -> readEvents(channel, in)).start();
    }

    /** Hands the channel's events to the listeners until it ends or is closed (a later channel has its own reader). */
    private void readEvents(SocketChannel channel, DataInputStream in) {
        try {
            JsonNode n;
            while ((n = WorkerProtocol.read(in)) != null && channel.isOpen()) {
                ModelEvent e = WorkerProtocol.event(n);
                for (Consumer<ModelEvent> l : listeners) {
                    try {
                        l.accept(e);
                    } catch (RuntimeException ex) {
                        LOG.warn("a model listener failed on {}: {}", e.getClass().getSimpleName(), ex.toString(), ex);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed && channel.isOpen()) {
                LOG.debug("the analysis worker's events ended: {}", e.toString());
            }
        }
    }

    private void readAnswers(DataInputStream in) {
        try {
            JsonNode n;
            while ((n = WorkerProtocol.read(in)) != null) {
                CompletableFuture<JsonNode> f = pending.remove(n.path("id").asLong());
                if (f != null) {
                    f.complete(n);
                }
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("the analysis worker stopped answering: {}", e.toString());
            }
        } finally {
            closed = true;
            pending.values().forEach(f -> f.completeExceptionally(new IOException("the worker hung up")));
        }
    }

    private <T> T call(WorkerProtocol.Query query, Object arg) {
        if (closed) {
            throw new AnalysisUnavailableException(whyGone.get(), null);
        }
        long id = nextId.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode request = WorkerProtocol.JSON.createObjectNode().put("id", id).put("method", query.name());
        request.set("arg", WorkerProtocol.JSON.valueToTree(arg));
        JsonNode response;
        try {
            synchronized (requests) {
                WorkerProtocol.write(requests, request);
            }
            response = answer.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (IOException | ExecutionException e) {
            throw new AnalysisUnavailableException(whyGone.get(), e);
        } catch (TimeoutException e) {
            throw new AnalysisUnavailableException("the live analysis did not answer within " + ANSWER_TIMEOUT_SECONDS
                    + " s (it runs at idle priority and the machine is busy); try again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnalysisUnavailableException("interrupted while waiting for the live analysis", e);
        } finally {
            pending.remove(id);
        }
        if (response.has("error")) {
            String message = response.get("error").asText();
            if (response.path("badRequest").asBoolean()) {
                throw new IllegalArgumentException(message);
            }
            if (response.path("superseded").asBoolean()) {
                throw new SearchSupersededException(message);
            }
            throw new IllegalStateException("the live analysis failed: " + message);
        }
        JsonNode result = response.get("result");
        if (result == null || result.isNull()) {
            return null;
        }
        try {
            return WorkerProtocol.JSON.treeToValue(result, query.resultType());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the live analysis's answer to " + query + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(rpc);
        synchronized (this) {
            closeQuietly(events);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("closing a worker connection: {}", e.toString());
        }
    }
}
