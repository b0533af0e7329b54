package dev.xmppscope.analyzer.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BouncesTest {
    private final IqLedger ledger = IqLedger.inMemory();
    private final java.util.Map<Long, String> refs = new java.util.HashMap<>();
    private final Bounces bounces = new Bounces(ledger, refs::get);

    /** Observes the stanza {@code ref}, with a row key of its own. */
    private String observe(String ref, long connection, boolean c2s, boolean toServer, long at, String kind, String type,
                           String id, String fromDomain, String toDomain) {
        long row = refs.size() + 1L;
        refs.put(row, ref);
        return bounces.observe(ref, row, connection, c2s, toServer, at, kind, type, id, fromDomain, toDomain);
    }

    @Test
    void anErrorBackOnTheSameStreamBouncesTheMessageItAnswers() {
        observe("4-s-6", 4, true, true, 1_000, "message", "chat", "m1", null, null);
        observe("4-s-7", 4, true, true, 1_100, "message", "chat", "m2", null, null);
        assertEquals("4-s-6", observe("4-c-8", 4, true, false, 5_000, "message", "error", "m1", null, null));
        assertEquals(new IqPairing.IqInfo("4-c-8", 4_000L, true, 1_000, 4), ledger.get("4-s-6").orElseThrow());
        assertEquals(new IqPairing.IqInfo("4-s-6", null, false, 5_000, 4), ledger.get("4-c-8").orElseThrow());
        assertEquals(java.util.Optional.empty(), ledger.get("4-s-7"), "the other message was not bounced");
    }

    @Test
    void onlyTheSameKindOnTheSameStreamTheOtherWay() {
        observe("4-s-6", 4, true, true, 1_000, "message", "chat", "m1", null, null);
        assertNull(observe("5-c-8", 5, true, false, 2_000, "message", "error", "m1", null, null), "another stream");
        assertNull(observe("4-s-9", 4, true, true, 2_000, "message", "error", "m1", null, null), "the same way");
        assertNull(observe("4-c-9", 4, true, false, 2_000, "presence", "error", "m1", null, null), "a presence");
        assertNull(observe("4-c-10", 4, true, false, 1_000 + Bounces.WINDOW_NANOS + 1, "message", "error", "m1",
                null, null), "too late");
    }

    @Test
    void betweenServersTheBounceMayComeBackOnTheReverseStream() {
        observe("5-s-3", 5, false, true, 1_000, "presence", "subscribe", "p1", "a.example", "b.example");
        assertNull(observe("6-s-2", 6, false, true, 2_000, "presence", "error", "p1", "c.example", "a.example"),
                "from a server it was not sent to");
        assertEquals("5-s-3", observe("6-s-4", 6, false, true, 2_000, "presence", "error", "p1", "b.example",
                "a.example"));
    }

    /**
     * A client sending a few stanzas a second while its server gives up on another one: the
     * bounce comes back hundreds of stanzas later, still within the window.
     */
    @Test
    void aBounceHundredsOfStanzasLaterIsPaired() {
        observe("4-s-1", 4, true, true, 1_000, "message", "chat", "m1", null, null);
        for (int i = 0; i < 600; i++) {
            observe("4-s-" + (10 + i), 4, true, true, 2_000 + i * 100_000_000L, "presence", null, "p" + i, null, null);
        }
        assertEquals("4-s-1", observe("4-c-1", 4, true, false, 70_000_000_000L, "message", "error", "m1", null, null));
    }

    @Test
    void aWayForgetsWhatIsBeyondTheWindowRatherThanGrowForIt() {
        long late = 1_000 + Bounces.WINDOW_NANOS + 1;
        observe("4-s-1", 4, true, true, 1_000, "message", "chat", "m1", null, null);
        for (int i = 0; i < Bounces.FIRST_PER_WAY; i++) { // the last overwrites m1, sent out of the window
            observe("4-s-" + (10 + i), 4, true, true, late + i, "message", "chat", "late" + i, null, null);
        }
        assertEquals(0, bounces.grownSlots(), "no ring grew");
        assertNull(observe("4-c-1", 4, true, false, late + 100, "message", "error", "m1", null, null), "overwritten");
        assertEquals("4-s-10", observe("4-c-2", 4, true, false, late + 100, "message", "error", "late0", null, null));
    }

    /** A ring grows when half of it was overwritten already: it keeps its stanzas, oldest first. */
    @Test
    void aRingThatGrowsKeepsWhatItHeld() {
        long late = 1_000 + Bounces.WINDOW_NANOS + 1;
        for (int i = 0; i < Bounces.FIRST_PER_WAY; i++) { // the first five fall out of the window
            observe("4-s-" + i, 4, true, true, i < 5 ? 1_000 : late - 10, "message", "chat", "a" + i, null, null);
        }
        for (int i = 0; i < 10; i++) { // five overwrite those, the sixth finds one still wanted
            observe("4-s-" + (100 + i), 4, true, true, late + i, "message", "chat", "b" + i, null, null);
        }
        assertEquals(Bounces.FIRST_PER_WAY, bounces.grownSlots(), "it grew once");
        for (int i = 5; i < Bounces.FIRST_PER_WAY; i++) {
            assertEquals("4-s-" + i, observe("4-c-" + i, 4, true, false, late + 100, "message", "error", "a" + i, null, null));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("4-s-" + (100 + i), observe("4-c-" + (100 + i), 4, true, false, late + 100, "message", "error",
                    "b" + i, null, null));
        }
    }

    @Test
    void aBusyWayRemembersItsLatestStanzasUpToItsLargestRing() {
        observe("4-s-1", 4, true, true, 1_000, "message", "chat", "m1", null, null);
        observe("4-s-2", 4, true, true, 1_000, "message", "chat", "m2", null, null);
        for (int i = 0; i < Bounces.MAX_PER_WAY - 1; i++) {
            observe("4-s-" + (10 + i), 4, true, true, 2_000, "message", "chat", "other" + i, null, null);
            observe("7-s-" + (10 + i), 7, true, true, 2_000, "message", "chat", "m1", null, null); // another stream's
        }
        assertNull(observe("4-c-1", 4, true, false, 3_000, "message", "error", "m1", null, null), "overwritten on its way");
        assertEquals("4-s-2", observe("4-c-2", 4, true, false, 3_000, "message", "error", "m2", null, null),
                "the oldest it still holds");
    }
}
