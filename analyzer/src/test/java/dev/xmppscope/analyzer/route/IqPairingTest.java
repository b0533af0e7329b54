package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.StanzaSummary;
import java.util.List;
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
        assertTrue(p.info("1-s-3").isEmpty(), "a request is ledgered once answered");
        assertEquals(new IqPairing.IqInfo(null, null, true, 100, 1), p.info(iq("1-s-3", "set", "r1")).orElseThrow());
        assertTrue(p.info(iq("1-s-4", "result", "r1")).isEmpty(), "an answer to nothing seen is nothing");
        assertTrue(p.info(iq("1-s-5", "get", null)).isEmpty(), "a request without an id cannot be paired");
    }

    @Test
    void anAnsweredRequestIsKnownByItsSummaryToo() {
        IqPairing p = new IqPairing();
        p.observe("1-s-3", 1, true, 100, "get", "r1", "c2s:1", null, null);
        p.observe("1-c-7", 1, false, 150, "result", "r1", "c2s:1", null, null);
        assertEquals(new IqPairing.IqInfo("1-c-7", 50L, true, 100, 1), p.info(iq("1-s-3", "get", "r1")).orElseThrow());
        assertEquals(new IqPairing.IqInfo("1-s-3", null, false, 150, 1), p.info(iq("1-c-7", "result", "r1")).orElseThrow());
    }

    /** When a connection ends, the requests sent on it that got no answer, oldest first; each said once. */
    @Test
    void aConnectionsEndNamesItsRequestsNeverAnswered() {
        IqPairing p = new IqPairing();
        p.observe("1-s-3", 1, true, 100, "get", "a", "c2s:1", null, null);
        p.observe("1-c-4", 1, false, 110, "set", "push", "c2s:1", null, null); // the server's, to the client
        p.observe("1-s-5", 1, true, 120, "get", "b", "c2s:1", null, null);
        p.observe("1-c-6", 1, false, 130, "result", "a", "c2s:1", null, null); // answers the first
        p.observe("2-s-1", 2, true, 140, "get", "a", "c2s:2", null, null); // another stream's
        p.observe("5-s-9", 5, true, 150, "get", "ping", "s2s", "a.example", "b.example");
        p.observe("6-s-2", 6, true, 160, "result", "ping", "s2s", "b.example", "a.example"); // back on the reverse stream
        assertEquals(List.of("1-c-4", "1-s-5"), p.unansweredOn(1));
        assertEquals(List.of(), p.unansweredOn(1), "said once");
        assertEquals(List.of(), p.unansweredOn(5), "answered on the reverse stream");
        assertEquals(List.of("2-s-1"), p.unansweredOn(2));
    }

    /** Requests given up on for memory are not kept by connection either. */
    @Test
    void requestsBeyondTheBoundAreForgottenEverywhere() {
        IqPairing p = new IqPairing();
        for (int i = 0; i <= IqPairing.MAX_PENDING; i++) {
            p.observe("1-s-" + i, 1, true, i, "get", "r" + i, "c2s:1", null, null);
        }
        List<String> open = p.unansweredOn(1);
        assertEquals(IqPairing.MAX_PENDING, open.size());
        assertEquals("1-s-1", open.get(0), "the oldest went");
    }

    /** An IQ's summary as the index gives it, at 100 ns on connection 1. */
    private static StanzaSummary iq(String ref, String type, String id) {
        return new StanzaSummary(ref, 1, "toServer", 100, "iq", type, null, null, id, List.of(), List.of(), "iq", 40, 0, "ok");
    }

    @Test
    void beyondTheBoundTheOldestPendingRequestCountsAsUnanswered() {
        IqPairing p = new IqPairing();
        for (int i = 0; i <= IqPairing.MAX_PENDING; i++) {
            p.observe("1-s-" + i, 1, true, i, "get", "r" + i, "c2s:1", null, null);
        }
        assertTrue(p.observe("1-c-0", 1, false, 1_000_000, "result", "r0", "c2s:1", null, null).isEmpty(),
                "the oldest request was let go");
        assertTrue(p.info("1-s-0").isEmpty(), "never answered: not in the ledger");
        assertEquals("1-s-1", p.observe("1-c-1", 1, false, 1_000_001, "result", "r1", "c2s:1", null, null).orElseThrow());
    }
}
