package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IqPairingTest {

    @Test
    void aC2sRequestIsAnsweredOnTheSameStreamTheOtherWay() {
        IqPairing p = new IqPairing();
        p.observe("1-s-3", 1, true, 100, "get", "r1", "c2s:1", null, null);
        assertTrue(p.observe("1-s-4", 1, true, 120, "result", "r1", "c2s:1", null, null).isEmpty(),
                "an answer in the same direction is not the answer");
        assertEquals("1-s-3", p.observe("1-c-7", 1, false, 150, "result", "r1", "c2s:1", null, null).orElseThrow());
        assertEquals(50L, p.info("1-s-3").orElseThrow().rttNanos());
        assertEquals("1-c-7", p.info("1-s-3").orElseThrow().partner());
    }

    @Test
    void betweenServersTheAnswerMayComeOnTheReverseStream() {
        IqPairing p = new IqPairing();
        p.observe("2-s-5", 2, true, 100, "get", "ping1", "s2s", "a.example", "b.example");
        assertEquals("2-s-5", p.observe("3-s-8", 3, true, 140, "error", "ping1", "s2s", "b.example", "a.example")
                .orElseThrow());
    }

    @Test
    void anUnansweredRequestHasNoPartner() {
        IqPairing p = new IqPairing();
        p.observe("1-s-3", 1, true, 100, "set", "r1", "c2s:1", null, null);
        assertNull(p.info("1-s-3").orElseThrow().partner());
        assertTrue(p.info("1-s-3").orElseThrow().request());
    }

    @Test
    void beyondTheBoundTheOldestPendingRequestCountsAsUnanswered() {
        IqPairing p = new IqPairing();
        for (int i = 0; i <= IqPairing.MAX_PENDING; i++) {
            p.observe("1-s-" + i, 1, true, i, "get", "r" + i, "c2s:1", null, null);
        }
        assertTrue(p.observe("1-c-0", 1, false, 1_000_000, "result", "r0", "c2s:1", null, null).isEmpty(),
                "the oldest request was let go");
        assertNull(p.info("1-s-0").orElseThrow().partner());
        assertEquals("1-s-1", p.observe("1-c-1", 1, false, 1_000_001, "result", "r1", "c2s:1", null, null).orElseThrow());
    }
}
