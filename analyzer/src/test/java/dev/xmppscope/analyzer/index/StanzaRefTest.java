package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Stanza refs ("CONN-s-N", "CONN-c-N") and the row keys the index files them under. */
class StanzaRefTest {

    @Test
    void aRefAndItsRowKeyNameTheSameElement() {
        for (long conn : new long[] {1, 42, 123_456_789_012L}) {
            for (int dir = 0; dir < 2; dir++) {
                for (int idx : new int[] {0, 7, 999_999_999}) {
                    assertEquals(StanzaIndex.rowKey(conn, dir, idx), StanzaIndex.rowKey(StanzaIndex.ref(conn, dir, idx)),
                            StanzaIndex.ref(conn, dir, idx));
                }
            }
        }
    }

    @Test
    void whatIsNotARefHasNoRowKey() {
        for (String notARef : new String[] {"", "-", "1-s-", "-s-1", "1-x-1", "1-s1", "1_s_1", "a-s-1", "1-s-a", "1-s-1-",
                "1-s-1234567890", "1234567890123456789-s-1", "1--s-1", "1-s--1", "p:42"}) {
            assertEquals(-1, StanzaIndex.rowKey(notARef), notARef);
        }
    }
}
