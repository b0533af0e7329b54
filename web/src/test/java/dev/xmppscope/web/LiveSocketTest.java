package dev.xmppscope.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.model.GraphNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
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
}
