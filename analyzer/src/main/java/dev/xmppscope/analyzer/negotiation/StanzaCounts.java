package dev.xmppscope.analyzer.negotiation;

import dev.xmppscope.capture.Direction;

/**
 * Stream management's stanza counts on one connection (XEP-0198): how many stanzas each side has
 * sent since it enabled the session (or resumed it), and how many of them the other side has said
 * it handled ({@code h}). From these the negotiation says which stanzas were never acknowledged,
 * an ack that counts more than was sent, and what a resumed session must send again.
 */
final class StanzaCounts {
    /** The refs of each direction's latest stanzas kept, to name those never acknowledged. */
    private static final int RECENT = 64;

    /** By {@link Direction#code()}: the stanzas that direction sent, counted as its peer counts them. */
    private final long[] sent = new long[2];
    /** By direction: where its count started on this connection (what it sent before was on an earlier one). */
    private final long[] base = new long[2];
    /** By direction: the refs of its latest stanzas, stanza number n at n % RECENT. */
    private final String[][] recent = new String[2][RECENT];
    private final boolean[] counting = new boolean[2];
    /** By direction: the last count of its stanzas its peer acknowledged. */
    private final long[] acked = new long[2];
    /** The capture of the connection ended before the connection did: what it counts is not all that was sent. */
    private boolean cutShort;

    void cutShort() {
        cutShort = true;
    }

    boolean isCutShort() {
        return cutShort;
    }

    /**
     * Direction {@code d}'s stanzas count from now on, from {@code base}: 0 when it enables stream
     * management, the peer's {@code h} when a session is resumed (what it sends again counts on from there).
     */
    void start(Direction d, long base) {
        int i = d.code();
        counting[i] = true;
        sent[i] = base;
        acked[i] = base;
        this.base[i] = base;
    }

    /** Stream management was refused (or its resumption): nothing counts. */
    void stop() {
        counting[0] = false;
        counting[1] = false;
    }

    void stanza(Direction d, String ref) {
        int i = d.code();
        if (counting[i]) {
            sent[i]++;
            recent[i][(int) (sent[i] % RECENT)] = ref;
        }
    }

    boolean counting(Direction d) {
        return counting[d.code()];
    }

    long sent(Direction d) {
        return sent[d.code()];
    }

    long acked(Direction d) {
        return acked[d.code()];
    }

    /** The peer says it handled {@code h} of {@code d}'s stanzas: how many are still unacknowledged (negative: it counts more than were sent). */
    long ack(Direction d, long h) {
        acked[d.code()] = h;
        return sent[d.code()] - h;
    }

    /** {@code d}'s stanzas its peer has not acknowledged (yet). */
    long unacked(Direction d) {
        return sent[d.code()] - acked[d.code()];
    }

    /** The ref of {@code d}'s first stanza its peer has not acknowledged, or null (none, or no longer kept). */
    String firstUnacked(Direction d) {
        int i = d.code();
        long first = acked[i] + 1;
        return first > sent[i] || first <= base[i] || sent[i] - first >= RECENT ? null : recent[i][(int) (first % RECENT)];
    }
}
