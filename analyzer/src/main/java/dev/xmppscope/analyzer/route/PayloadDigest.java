package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.MucInvite;
import dev.xmppscope.analyzer.xmpp.Ns;

/**
 * A fingerprint of a stanza's payload that survives what servers do to stanzas in transit:
 * re-serialization (prefixes, attribute order, whitespace between children), the stanza
 * namespace changing from {@code jabber:client} to {@code jabber:server}, and elements servers
 * add (XEP-0203 delay, XEP-0359 stanza-id). A chat room's copies are matched too: the XEP-0421
 * occupant-id it adds to each, and the MUC {@code <x/>} it swaps (a join's {@code muc} for its
 * {@code muc#user}, which tells each occupant the sender's role), are left out. Top-level
 * attributes are left out: servers add or rewrite {@code from} and {@code xml:lang}.
 */
public final class PayloadDigest {
    /** The digest of a stanza without any payload. */
    public static final long EMPTY = 0L;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private PayloadDigest() {
    }

    public static long of(XmlElement stanza) {
        long h = FNV_OFFSET;
        boolean any = false;
        for (XmlElement c : stanza.children()) {
            if (addedByServers(c)) {
                continue;
            }
            any = true;
            h = element(c, h);
        }
        return any ? (h == EMPTY ? 1 : h) : EMPTY;
    }

    /**
     * The digest of a mediated invitation to a chat room (XEP-0045 §7.8.2), or of its decline, sent
     * to the room or passed on by it. The room's message has another payload (Prosody adds a body,
     * a {@code jabber:x:conference} element to an invitation, and names the inviter by their
     * occupant JID, not their own), so both are digested by what they share: {@code partyBare}, the
     * bare JID of the invitee (or of who declined), case-folded, and the reason. An invitation and a
     * decline never share a digest. Never {@link #EMPTY}.
     */
    public static long ofInvitation(MucInvite invite, String partyBare) {
        // apart from any payload's digest, which starts with '<'
        long h = mix(FNV_OFFSET, invite.decline() ? '?' : '!');
        h = mix(h, partyBare == null ? "" : partyBare);
        h = mixStripped(h, invite.reason() == null ? "" : invite.reason());
        return h == EMPTY ? 1 : h;
    }

    static boolean addedByServers(XmlElement c) {
        String ns = c.namespace();
        return Ns.DELAY.equals(ns) || Ns.LEGACY_DELAY.equals(ns) || (Ns.SID.equals(ns) && c.name().equals("stanza-id"))
                || Ns.OCCUPANT_ID.equals(ns) || (Ns.MUC.equals(ns) || Ns.MUC_USER.equals(ns)) && c.name().equals("x");
    }

    private static long element(XmlElement e, long h) {
        h = mix(h, '<');
        h = mix(h, Ns.isStanzaNamespace(e.namespace()) ? "" : e.namespace());
        h = mix(h, e.name());
        String[] pairs = e.attributePairs();
        long attributes = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            if (!pairs[i].equals("xml:lang")) {
                // summed: the same attributes in any order give the same digest, without sorting
                attributes += mix(mix(FNV_OFFSET, pairs[i]), pairs[i + 1]);
            }
        }
        h = mix(h, '>');
        h = (h ^ attributes) * FNV_PRIME;
        h = mixStripped(h, e.text());
        for (XmlElement c : e.children()) {
            h = element(c, h);
        }
        return mix(h, '/');
    }

    /**
     * Mixes in a string by its length and {@link String#hashCode()}: names and namespaces are
     * interned by the parser, so their hash is computed once per run, not once per element.
     */
    private static long mix(long h, String s) {
        return (h ^ ((long) s.length() << 32 | (s.hashCode() & 0xFFFFFFFFL))) * FNV_PRIME;
    }

    /** Mixes {@code s} without its leading and trailing whitespace. */
    private static long mixStripped(long h, String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isWhitespace(s.charAt(from))) {
            from++;
        }
        while (to > from && isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        if (from == 0 && to == s.length()) {
            return mix(h, s);
        }
        int hash = 0; // String.hashCode of the stripped part, without making it
        for (int i = from; i < to; i++) {
            hash = 31 * hash + s.charAt(i);
        }
        return (h ^ ((long) (to - from) << 32 | (hash & 0xFFFFFFFFL))) * FNV_PRIME;
    }

    /**
     * {@link Character#isWhitespace}, answered without its table lookup for the characters text
     * is made of: none from {@code '!'} up to U+167F is whitespace (the first above is U+1680).
     */
    private static boolean isWhitespace(char c) {
        return (c <= ' ' || c >= '\u1680') && Character.isWhitespace(c);
    }

    private static long mix(long h, char c) {
        return (h ^ c) * FNV_PRIME;
    }
}
