package dev.xmppscope.analyzer.negotiation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Durations read as they did when String.format wrote them: rounded half up, at each unit's edge too. */
class DurationsTest {

    @Test
    void eachUnitRoundsHalfUpAndHandsOverAtItsEdge() {
        assertEquals("0 µs", Durations.words(0));
        assertEquals("0 µs", Durations.words(499));
        assertEquals("1 µs", Durations.words(500));
        assertEquals("1000 µs", Durations.words(999_999));
        assertEquals("1.0 ms", Durations.words(1_000_000));
        assertEquals("1.0 ms", Durations.words(1_049_999));
        assertEquals("1.1 ms", Durations.words(1_050_000));
        assertEquals("1000.0 ms", Durations.words(999_999_999));
        assertEquals("1.0 s", Durations.words(1_000_000_000));
        assertEquals("12.3 s", Durations.words(12_345_678_901L));
        assertEquals("119.9 s", Durations.words(119_940_000_000L));
        assertEquals("2 min 0 s", Durations.words(119_960_000_000L));
        assertEquals("61 min 5 s", Durations.words(3_665_000_000_000L));
        assertEquals("2 h 0 min", Durations.words(7_200_000_000_000L));
        assertEquals("24 h 0 min", Durations.words(86_400_000_000_000L));
        assertEquals("3 d 4 h", Durations.words((3 * 86_400 + 4 * 3600 + 59) * 1_000_000_000L));
        assertEquals("-2.5 ms", Durations.words(-2_500_000));
    }
}
