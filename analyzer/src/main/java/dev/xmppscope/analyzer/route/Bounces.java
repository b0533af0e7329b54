package dev.xmppscope.analyzer.route;

import java.util.Objects;

/**
 * Pairs a message or presence of type error with the stanza it bounces (RFC 6120 §8.3: the error
 * goes back to the sender, with the same id), as {@link IqPairing} pairs an IQ with its answer, in
 * the same ledger. On a c2s stream the error comes back on the same connection the other way;
 * between servers it may come back on the reverse stream, so there the domains are swapped. Sans-io.
 */
public final class Bounces {
    /** Stanzas remembered (a fixed table, about 3 MB): a bounce of one since evicted stays unpaired. */
    static final int SLOTS = 1 << 17;
    /**
     * How late a bounce may come: a server that cannot reach another bounces what it held for it
     * when it gives up connecting, which takes up to a minute or two.
     */
    static final long WINDOW_NANOS = 180_000_000_000L;

    private final RecentRefs sent = new RecentRefs(SLOTS);
    private final IqLedger ledger;

    public Bounces(IqLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * @param c2s        whether {@code connection} is a c2s stream (else the stanza is between servers)
     * @param fromDomain the sending domain (between servers only)
     * @param toDomain   the receiving domain (between servers only)
     * @return the bounced stanza's ref, when {@code ref} is its bounce
     */
    public String observe(String ref, long connection, boolean c2s, boolean toServer, long at, String kind, String type,
                          String id, String fromDomain, String toDomain) {
        if (id == null) {
            return null;
        }
        boolean bounce = "error".equals(type);
        // the way it went: on a c2s stream its direction, between servers its two domains (swapped for the bounce)
        long way = c2s ? connection * 2 + (toServer != bounce ? 1 : 0)
                : bounce ? mix(Objects.hashCode(toDomain), Objects.hashCode(fromDomain))
                : mix(Objects.hashCode(fromDomain), Objects.hashCode(toDomain));
        long key = mix(mix(kind.hashCode(), id.hashCode()) ^ id.length(), way) ^ (c2s ? 0 : Long.MIN_VALUE);
        if (!bounce) {
            sent.remember(key, ref, at);
            return null;
        }
        String bounced = sent.find(key, at, WINDOW_NANOS);
        if (bounced == null) {
            return null;
        }
        long sentAt = sent.when(key);
        ledger.put(bounced, new IqPairing.IqInfo(ref, at - sentAt, true, sentAt, connectionOf(bounced)));
        ledger.put(ref, new IqPairing.IqInfo(bounced, null, false, at, connection));
        return bounced;
    }

    private static long mix(long a, long b) {
        long h = (a * 0x9E3779B97F4A7C15L) ^ b;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 31);
    }

    /** A ref is "CONNECTION-DIRECTION-INDEX". */
    private static long connectionOf(String ref) {
        return Long.parseLong(ref, 0, ref.indexOf('-'), 10);
    }
}
