package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.model.GraphNode;
import dev.xmppscope.proxy.ListenerState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** WS /api/live: model changes reach the browser as events; a swapped model tells it to reset. */
class LiveSocketTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A source whose model a test can replace, as a replay seek does. */
    static final class SwappableSource implements ModelSource {
        volatile CaptureModel model;
        final List<Consumer<CaptureModel>> listeners = new CopyOnWriteArrayList<>();

        SwappableSource(CaptureModel model) {
            this.model = model;
        }

        @Override
        public CaptureModel current() {
            return model;
        }

        @Override
        public AutoCloseable onReset(Consumer<CaptureModel> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        void swap(CaptureModel next) {
            model = next;
            listeners.forEach(l -> l.accept(next));
        }
    }

    @Test
    void changesArriveAsEventsAndASwapResetsTheBrowser() throws Exception {
        InMemoryCaptureModel first = SyntheticFederation.build();
        SwappableSource source = new SwappableSource(first);
        try (WebServer s = WebServer.start(WebOptions.loopback(0), source, List.of())) {
            BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
            WebSocket ws = open(s, events);
            assertEquals("hello", events.poll(5, TimeUnit.SECONDS).get("type").asText());

            first.put(new GraphNode("client:dave@b.example/car", "client", "dave@b.example/car", "server:b.example",
                    "dave@b.example", ""));
            JsonNode node = events.poll(5, TimeUnit.SECONDS);
            assertEquals("graph", node.get("type").asText());
            assertEquals("client:dave@b.example/car", node.get("node").get("id").asText());

            InMemoryCaptureModel second = new InMemoryCaptureModel();
            source.swap(second);
            assertEquals("reset", events.poll(5, TimeUnit.SECONDS).get("type").asText());
            first.put(new GraphNode("client:old@b.example/x", "client", "old@b.example/x", "server:b.example", null, ""));
            second.put(new GraphNode("server:z.example", "server", "z.example", null, null, ""));
            JsonNode fromSecond = events.poll(5, TimeUnit.SECONDS);
            assertEquals("server:z.example", fromSecond.get("node").get("id").asText(),
                    "after the swap only the new model's events arrive");
            assertTrue(events.isEmpty());
            ws.abort();
        }
    }

    /** With no UI open nothing follows the model, so the analyzer builds no events for nobody. */
    @Test
    void theModelIsFollowedOnlyWhileAUiIsOpen() throws Exception {
        InMemoryCaptureModel model = SyntheticFederation.build();
        try (WebServer s = WebServer.start(WebOptions.loopback(0), ModelSource.fixed(model), List.of())) {
            assertEquals(0, model.subscribers(), "no browser yet");
            BlockingQueue<JsonNode> toFirst = new LinkedBlockingQueue<>();
            BlockingQueue<JsonNode> toSecond = new LinkedBlockingQueue<>();
            WebSocket first = open(s, toFirst);
            WebSocket second = open(s, toSecond);
            assertEquals("hello", toFirst.poll(5, TimeUnit.SECONDS).get("type").asText());
            assertEquals("hello", toSecond.poll(5, TimeUnit.SECONDS).get("type").asText());
            assertEquals(1, model.subscribers(), "one subscription serves every open UI");
            first.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
            model.put(new GraphNode("server:c.example", "server", "c.example", null, null, ""));
            assertEquals("server:c.example", toSecond.poll(5, TimeUnit.SECONDS).get("node").get("id").asText(),
                    "the UI still open gets the change");
            second.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
            awaitSubscribers(model, 0); // the last UI closed
            BlockingQueue<JsonNode> toLater = new LinkedBlockingQueue<>();
            WebSocket later = open(s, toLater);
            assertEquals("hello", toLater.poll(5, TimeUnit.SECONDS).get("type").asText());
            model.put(new GraphNode("server:d.example", "server", "d.example", null, null, ""));
            assertEquals("server:d.example", toLater.poll(5, TimeUnit.SECONDS).get("node").get("id").asText(),
                    "a UI opened later follows the model again");
            later.abort();
        }
    }

    /**
     * A proxy's live analysis catching up from the store does not follow the recording: its
     * events are not streamed meanwhile (they slowed the catch-up), and the UI reloads once it follows.
     */
    @Test
    void whileTheAnalysisCatchesUpNoEventsAreStreamedAndTheUiReloadsOnceItFollows() throws Exception {
        InMemoryCaptureModel model = SyntheticFederation.build();
        AtomicReference<ListenerState> analysis = new AtomicReference<>(ListenerState.LIVE);
        try (WebServer s = WebServer.start(WebOptions.loopback(0), ModelSource.recording(model, analysis::get), List.of())) {
            BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
            WebSocket ws = open(s, events);
            assertEquals("hello", events.poll(5, TimeUnit.SECONDS).get("type").asText());
            assertEquals(1, model.subscribers());
            analysis.set(new ListenerState(ListenerState.Phase.CATCHING_UP, 100 << 20, 5_000_000_000L, 0, 0));
            awaitSubscribers(model, 0);
            model.put(new GraphNode("server:c.example", "server", "c.example", null, null, ""));
            assertNull(events.poll(500, TimeUnit.MILLISECONDS), "nothing streamed while it catches up");
            analysis.set(ListenerState.LIVE);
            JsonNode reset = events.poll(5, TimeUnit.SECONDS);
            assertEquals("reset", reset.get("type").asText(), reset.toString());
            assertEquals("the live analysis caught up", reset.get("reason").asText());
            assertEquals(1, model.subscribers(), "it follows the model again");
            model.put(new GraphNode("server:d.example", "server", "d.example", null, null, ""));
            assertEquals("server:d.example", events.poll(5, TimeUnit.SECONDS).get("node").get("id").asText());
            ws.abort();
        }
    }

    private static void awaitSubscribers(InMemoryCaptureModel model, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (model.subscribers() != n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(n, model.subscribers());
    }

    private static WebSocket open(WebServer s, BlockingQueue<JsonNode> events) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + s.port() + "/api/live"), new WebSocket.Listener() {
                        final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                try {
                                    events.add(JSON.readTree(partial.toString()));
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                                partial.setLength(0);
                            }
                            w.request(1);
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
    }
}
