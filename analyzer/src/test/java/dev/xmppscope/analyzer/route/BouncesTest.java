package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BouncesTest {
    private final IqLedger ledger = IqLedger.inMemory();
    private final Bounces bounces = new Bounces(ledger);

    @Test
    void anErrorBackOnTheSameStreamBouncesTheMessageItAnswers() {
        bounces.observe("4-s-6", 4, true, true, 1_000, "message", "chat", "m1", null, null);
        bounces.observe("4-s-7", 4, true, true, 1_100, "message", "chat", "m2", null, null);
        assertEquals("4-s-6", bounces.observe("4-c-8", 4, true, false, 5_000, "message", "error", "m1", null, null));
        assertEquals(new IqPairing.IqInfo("4-c-8", 4_000L, true, 1_000, 4), ledger.get("4-s-6").orElseThrow());
        assertEquals(new IqPairing.IqInfo("4-s-6", null, false, 5_000, 4), ledger.get("4-c-8").orElseThrow());
        assertEquals(java.util.Optional.empty(), ledger.get("4-s-7"), "the other message was not bounced");
    }

    @Test
    void onlyTheSameKindOnTheSameStreamTheOtherWay() {
        bounces.observe("4-s-6", 4, true, true, 1_000, "message", "chat", "m1", null, null);
        assertNull(bounces.observe("5-c-8", 5, true, false, 2_000, "message", "error", "m1", null, null), "another stream");
        assertNull(bounces.observe("4-s-9", 4, true, true, 2_000, "message", "error", "m1", null, null), "the same way");
        assertNull(bounces.observe("4-c-9", 4, true, false, 2_000, "presence", "error", "m1", null, null), "a presence");
        assertNull(bounces.observe("4-c-10", 4, true, false, 1_000 + Bounces.WINDOW_NANOS + 1, "message", "error", "m1",
                null, null), "too late");
    }

    @Test
    void betweenServersTheBounceMayComeBackOnTheReverseStream() {
        bounces.observe("5-s-3", 5, false, true, 1_000, "presence", "subscribe", "p1", "a.example", "b.example");
        assertNull(bounces.observe("6-s-2", 6, false, true, 2_000, "presence", "error", "p1", "c.example", "a.example"),
                "from a server it was not sent to");
        assertEquals("5-s-3", bounces.observe("6-s-4", 6, false, true, 2_000, "presence", "error", "p1", "b.example",
                "a.example"));
    }
}
