package dev.xmppscope.replay.live;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The domain a replayed stream's header asks for ({@code to}), and what the replay report says
 * about it when it is not the recorded one, or is kept though {@code --user} names another.
 *
 * <p>A session is usually replayed as someone else, often on another server, so the recorded
 * {@code to} becomes {@code --user}'s domain. But when the recorded server refused the stream
 * itself (host-unknown: the client asked for a domain it does not serve), that {@code to} is the
 * bug being reproduced, and is sent as recorded. {@code --stream-to} overrides both.
 *
 * @param domain the domain to send, or null to send the header without {@code to}, as recorded
 * @param note   what the report says about it, or null when the recorded {@code to} is sent as it was
 */
record StreamTo(String domain, String note) {
    private static final Pattern TO = Pattern.compile("\\sto\\s*=\\s*(['\"])[^'\"]*\\1");

    /**
     * @param userDomain --user's domain
     * @param given      --stream-to, or null
     */
    static StreamTo choose(RecordedSession rec, String userDomain, String given) {
        String recorded = rec.streamTo();
        if (given != null) {
            return new StreamTo(given, same(recorded, given) ? null : "the stream's header asked for " + said(recorded)
                    + " in the recording; it asks for " + given + " now (--stream-to)");
        }
        String refusal = rec.headerRefusal();
        if (refusal != null) {
            return new StreamTo(recorded, same(recorded, userDomain) ? null : "the stream's header asks for " + said(recorded)
                    + ", as recorded, not for --user's domain: the recorded server refused that stream (" + refusal
                    + ") before any login, which is what this replay reproduces (--stream-to DOMAIN asks for another)");
        }
        return new StreamTo(userDomain, same(recorded, userDomain) ? null : "the stream's header asked for " + said(recorded)
                + " in the recording; it asks for " + userDomain + ", --user's domain, now (--stream-to DOMAIN asks for another)");
    }

    /** Checks a {@code --stream-to} value before anything is sent or written. */
    static void check(String domain) {
        if (domain.isEmpty() || !domain.matches("[^\\s'\"<>&/@]+")) {
            throw new IllegalArgumentException("--stream-to must be a domain like a.example, not '" + domain + "'");
        }
    }

    /** {@code header} asking for {@link #domain}: its {@code to} replaced, or added when it had none. */
    String apply(String header) {
        if (domain == null) {
            return header;
        }
        String to = " to='" + domain + "'";
        Matcher m = TO.matcher(header);
        return m.find() ? m.replaceFirst(Matcher.quoteReplacement(to))
                : header.replaceFirst("^(<[^\\s>/]+)", "$1" + Matcher.quoteReplacement(to));
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equalsIgnoreCase(b);
    }

    private static String said(String recorded) {
        return recorded == null ? "no domain (no 'to')" : recorded;
    }
}
