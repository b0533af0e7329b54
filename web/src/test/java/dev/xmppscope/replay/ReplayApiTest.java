package dev.xmppscope.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xmppscope.web.api.ApiErrors;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReplayApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theControlsAnswerWithTheReplayStatus() {
        ReplayCursorTest.Models models = new ReplayCursorTest.Models();
        AtomicInteger resets = new AtomicInteger();
        try (CaptureReplayer replayer = CaptureReplayer.start(ReplayCursorTest.conversation(),
                List.of(new Annotation(ReplayCursorTest.T0 + 150 * ReplayCursorTest.MS, "features")), models,
                new CaptureReplayer.Options(1.0, false, false, 2_000))) {
            replayer.onReset(m -> resets.incrementAndGet());
            Javalin app = Javalin.create();
            ApiErrors.register(app);
            new ReplayApi(replayer).register(app);
            JavalinTest.test(app, (server, client) -> {
                JsonNode s = JSON.readTree(client.get("/api/replay").body().string());
                assertEquals("paused", s.get("state").asText());
                assertEquals(ReplayCursorTest.T0, s.get("start").asLong());
                assertEquals(ReplayCursorTest.T0 + 60_400 * ReplayCursorTest.MS, s.get("end").asLong());
                assertTrue(s.get("annotation").isNull());
                assertEquals("features", s.get("annotations").get(0).get("text").asText());

                s = JSON.readTree(client.post("/api/replay/step").body().string());
                s = JSON.readTree(client.post("/api/replay/step").body().string());
                assertEquals(ReplayCursorTest.T0 + 200 * ReplayCursorTest.MS, s.get("position").asLong());
                assertEquals("features", s.get("annotation").get("text").asText(), "the narration reached");

                s = JSON.readTree(client.post("/api/replay/speed?value=2.5").body().string());
                assertEquals(2.5, s.get("speed").asDouble());
                assertEquals(400, client.post("/api/replay/speed?value=1000").code(), "speed out of range");
                // a bad value is said in the API's own shape, as everywhere else
                var soon = client.post("/api/replay/seek?at=soon");
                assertEquals(400, soon.code());
                assertEquals("'at' must be a whole number (epoch nanoseconds), not 'soon'",
                        JSON.readTree(soon.body().string()).get("error").asText());
                var maybe = client.post("/api/replay/loop?value=yes");
                assertEquals(400, maybe.code(), "not quietly false");
                assertEquals("'value' must be true or false, not 'yes'", JSON.readTree(maybe.body().string()).get("error").asText());
                assertEquals("missing query parameter 'value'",
                        JSON.readTree(client.post("/api/replay/speed").body().string()).get("error").asText());
                // a misspelt parameter is named, not taken for a missing one (nor, on play, ignored)
                var misspelt = client.post("/api/replay/speed?vaule=2");
                assertEquals(400, misspelt.code());
                assertEquals("unknown parameter 'vaule': /api/replay/speed takes value (times real time, 0.1 to 100)",
                        JSON.readTree(misspelt.body().string()).get("error").asText());
                assertEquals("unknown parameter 'speed': /api/replay/play takes no parameters",
                        JSON.readTree(client.post("/api/replay/play?speed=2").body().string()).get("error").asText());
                assertEquals(400, client.post("/api/replay/seek?position=1").code());
                assertEquals(400, client.post("/api/replay/loop?on=true").code());
                assertEquals(400, client.get("/api/replay?x=1").code());

                long back = ReplayCursorTest.T0 + 120 * ReplayCursorTest.MS;
                s = JSON.readTree(client.post("/api/replay/seek?at=" + back).body().string());
                assertEquals(back, s.get("position").asLong(), "nanosecond positions survive the round trip");
                assertEquals(1, resets.get(), "seeking backwards announced a fresh model");

                s = JSON.readTree(client.post("/api/replay/play").body().string());
                assertEquals("playing", s.get("state").asText());
                s = JSON.readTree(client.post("/api/replay/pause").body().string());
                assertEquals("paused", s.get("state").asText());
            });
        }
    }
}
