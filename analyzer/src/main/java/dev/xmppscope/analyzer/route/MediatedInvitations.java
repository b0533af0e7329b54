package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.xmpp.MucInvite;

/**
 * Matches a mediated invitation to a chat room (XEP-0045 §7.8.2) with the room's passing it on:
 * the inviter sends the room a message with {@code <invite to='invitee'/>}, and the room sends the
 * invitee a message of its own, with the same id, carrying {@code <invite from='…'/>}. The room's
 * message has another payload (Prosody adds a body and a {@code jabber:x:conference} element), so
 * the two cannot be matched by {@link PayloadDigest}: both get the digest of what they share, the
 * invitee and the reason. Not the inviter: a room may name them by their occupant JID
 * (room/nick, as Prosody does) rather than their own.
 */
public final class MediatedInvitations {
    private MediatedInvitations() {
    }

    /**
     * The digest of an invitation or of the room's passing it on, from the invitee's bare JID
     * (case-folded) and the reason; never {@link PayloadDigest#EMPTY}.
     */
    public static long digest(MucInvite invite, String inviteeBare) {
        String reason = invite.reason();
        long h = mix(0x6d75632d696e7669L, inviteeBare);
        h = mix(h, reason == null ? "" : reason.strip());
        return h == PayloadDigest.EMPTY ? 1 : h;
    }

    private static long mix(long h, String s) {
        long x = (h ^ (s == null ? 0 : s.hashCode()) ^ (long) (s == null ? -1 : s.length()) << 32) * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }
}
