package dev.xmppscope.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.web.WebOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo, end to end over HTTP: the bundled federation sample replays into the real web app. */
class DemoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode get(String base, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path.substring(1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void theDemoServesTheFederationGraphGrowingAsTheReplayPlays() throws Exception {
        try (DemoCommand.Running demo = DemoCommand.start("federation", WebOptions.loopback(0), 100, false)) {
            String base = demo.server().url();
            JsonNode replay = get(base, "/api/replay");
            assertTrue(replay.get("annotations").size() > 10, "the federation narration came along");
            // a server node appears before its clients bind, so wait for the whole expected picture
            Set<String> expected = Set.of("server:a.example", "server:b.example", "server:c.example",
                    "client:alice@a.example/laptop", "client:bob@b.example/phone", "client:carol@c.example/desk",
                    "client:dave@a.example/tablet");
            Set<String> nodes = new HashSet<>();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline && !nodes.containsAll(expected)) {
                for (JsonNode n : get(base, "/api/graph").get("nodes")) {
                    nodes.add(n.get("id").asText());
                }
                Thread.sleep(200);
            }
            assertTrue(nodes.containsAll(expected), nodes.toString());
            JsonNode stanzas = get(base, "/api/stanzas?q=Hi%20Bob");
            assertTrue(stanzas.get("items").size() >= 2, "alice's message on her c2s and on the s2s stream: " + stanzas);
        }
    }

    @Test
    void seekingBackToTheStartShowsAFreshGraph() throws Exception {
        try (DemoCommand.Running demo = DemoCommand.start("federation", WebOptions.loopback(0), 1, false)) {
            String base = demo.server().url();
            JsonNode r = get(base, "/api/replay");
            demo.replayer().seek(r.get("end").asLong());
            assertTrue(get(base, "/api/graph").get("nodes").size() >= 7);
            demo.replayer().pause();
            demo.replayer().seek(r.get("start").asLong());
            assertTrue(get(base, "/api/graph").get("nodes").size() <= 1, "a fresh analyzer fed up to the first record");
        }
    }
}
