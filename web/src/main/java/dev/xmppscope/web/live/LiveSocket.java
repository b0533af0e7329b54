package dev.xmppscope.web.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.web.ModelSource;
import dev.xmppscope.web.api.ApiJson;
import dev.xmppscope.web.api.ApiParameters;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code WS /api/live}: pushes the model's changes to every open UI. The analyzer's thread only
 * enqueues (it must stay quick); one sender thread serializes and writes. When the queue
 * overflows, events are dropped and the UIs get a {@code reset} to reload, rather than the
 * analyzer waiting on a slow browser. When the model source swaps models (a replay seek), this
 * re-subscribes to the new model and tells the UIs to reset.
 *
 * <p>It follows the model only while a UI is open: with no subscriber the analyzer builds no
 * events at all, and a proxy left running without a browser spends nothing on them (in its
 * analysis worker, every event was serialized and sent to the proxy only to be dropped here).
 * Nor while the model itself does not follow the recording ({@link ModelSource#following()}: a
 * live analysis catching up from the store); the UIs reset once it does again.
 */
public final class LiveSocket implements AutoCloseable {

    public static final String PATH = "/api/live";
    private static final Logger LOG = LoggerFactory.getLogger(LiveSocket.class);
    private static final int QUEUE_CAPACITY = 50_000;
    private static final Object RESET_SWAPPED = new Object();
    private static final Object RESET_CAUGHT_UP = new Object();
    private static final long FOLLOWING_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Set<WsContext> sessions = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicBoolean dropped = new AtomicBoolean();
    private final Thread sender;
    private final ModelSource source;
    private final AutoCloseable resetSubscription;
    /** The model's events while a UI is open, else null; guarded by this. */
    private AutoCloseable modelSubscription;
    /** What {@link ModelSource#following()} said last (from the start: an opened capture is analyzed while served); guarded by this. */
    private boolean following;
    private volatile boolean closed;

    public LiveSocket(ModelSource source) {
        this.source = source;
        this.following = source.following();
        resetSubscription = source.onReset(this::swapTo);
        sender = new Thread(this::sendLoop, "xmppscope-live-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** Registers the socket; {@code guard} vets each upgrade (token, origin) before it happens. */
    public void register(Javalin app, io.javalin.http.Handler guard) {
        app.wsBeforeUpgrade(PATH, ctx -> {
            guard.handle(ctx);
            ApiParameters.only(ctx, Set.of(), "no parameters");
        });
        app.ws(PATH, ws -> {
            ws.onConnect(ctx -> {
                ctx.enableAutomaticPings(15, TimeUnit.SECONDS);
                sessions.add(ctx);
                followWhileOpen(); // before the hello: the UI loads its state after it, and misses no later event
                send(ctx, Map.of("type", "hello"));
            });
            ws.onClose(this::remove);
            ws.onError(this::remove);
        });
    }

    private void remove(WsContext ctx) {
        sessions.remove(ctx);
        followWhileOpen();
    }

    /** Subscribes to the model when the first UI opens; unsubscribes when the last one goes. */
    private synchronized void followWhileOpen() {
        boolean wanted = !sessions.isEmpty() && !closed && following;
        if (wanted && modelSubscription == null) {
            modelSubscription = source.current().subscribe(this::enqueue);
        } else if (!wanted && modelSubscription != null) {
            closeQuietly(modelSubscription);
            modelSubscription = null;
            queue.clear();
        }
    }

    public int sessionCount() {
        return sessions.size();
    }

    private void enqueue(Object event) {
        if (!queue.offer(event)) {
            dropped.set(true);
        }
    }

    private synchronized void swapTo(CaptureModel model) {
        if (modelSubscription == null) {
            return; // no UI open: the next one subscribes to the new model
        }
        closeQuietly(modelSubscription);
        queue.clear();
        enqueue(RESET_SWAPPED);
        modelSubscription = model.subscribe(this::enqueue);
    }

    /** Stops following a model that stopped following the recording, and starts again (with a reset) when it does. */
    private void checkFollowing() {
        boolean now = source.following();
        synchronized (this) {
            if (now == following) {
                return;
            }
            following = now;
            followWhileOpen();
            if (now && modelSubscription != null) {
                enqueue(RESET_CAUGHT_UP);
            }
        }
    }

    private void sendLoop() {
        long checked = System.nanoTime();
        while (!closed) {
            if (System.nanoTime() - checked >= FOLLOWING_CHECK_NANOS) {
                checked = System.nanoTime();
                checkFollowing();
            }
            Object next;
            try {
                next = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (next == null) {
                if (dropped.getAndSet(false)) {
                    broadcast(LiveEvents.reset("lagged: the browser could not keep up, reload"));
                }
                continue;
            }
            try {
                broadcast(next == RESET_SWAPPED ? LiveEvents.reset("model replaced")
                        : next == RESET_CAUGHT_UP ? LiveEvents.reset("the live analysis caught up")
                        : LiveEvents.toJson((ModelEvent) next));
            } catch (RuntimeException e) {
                LOG.warn("live event {} could not be sent", next, e);
            }
        }
    }

    private void broadcast(Map<String, Object> message) {
        if (sessions.isEmpty()) {
            return;
        }
        String json;
        try {
            json = ApiJson.MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize live event " + message.get("type"), e);
        }
        for (WsContext ctx : sessions) {
            sendRaw(ctx, json);
        }
    }

    private void send(WsContext ctx, Map<String, Object> message) {
        try {
            sendRaw(ctx, ApiJson.MAPPER.writeValueAsString(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize live event", e);
        }
    }

    private void sendRaw(WsContext ctx, String json) {
        try {
            if (ctx.session.isOpen()) {
                ctx.send(json);
            } else {
                remove(ctx);
            }
        } catch (Exception e) { // Jetty's blocking send throws IOException when the browser went away
            LOG.debug("dropping live session {}: {}", ctx.sessionId(), e.toString());
            remove(ctx);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(resetSubscription);
        synchronized (this) {
            closeQuietly(modelSubscription);
            modelSubscription = null;
        }
        sender.interrupt();
        for (WsContext ctx : sessions) {
            try {
                ctx.closeSession();
            } catch (RuntimeException e) {
                LOG.debug("closing live session {}: {}", ctx.sessionId(), e.toString());
            }
        }
        sessions.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("could not unsubscribe from the model", e);
        }
    }
}
