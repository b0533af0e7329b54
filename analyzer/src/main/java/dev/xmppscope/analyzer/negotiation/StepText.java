package dev.xmppscope.analyzer.negotiation;

import dev.xmppscope.analyzer.xml.StreamHeader;
import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.Ns;

/** Small readers that turn elements into the words of negotiation steps. */
final class StepText {
    private StepText() {
    }

    static String condition(XmlElement e, String conditionNs) {
        for (XmlElement c : e.children()) {
            if (c.namespace().equals(conditionNs) && !c.name().equals("text")) {
                return c.name();
            }
        }
        return "undefined-condition";
    }

    /** The stanza error condition {@code e} carries, in plain words: "item-not-found (the addressed item ... does not exist)". */
    static String conditionSaid(XmlElement e) {
        return Conditions.stanza(condition(e, Ns.STANZA_ERRORS));
    }

    static String attrs(StreamHeader h, String... names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            String v = h.attribute(n);
            if (v != null) {
                sb.append(sb.isEmpty() ? "" : " ").append(n).append('=').append(v);
            }
        }
        return sb.toString();
    }

    static String attrs(XmlElement e, String... names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            String v = e.attribute(n);
            if (v != null) {
                sb.append(sb.isEmpty() ? "" : " ").append(n).append('=').append(v);
            }
        }
        return sb.toString();
    }

    /** What a stream management ack's {@code h} says: "1 stanza handled so far". */
    static String handled(String h) {
        return h == null ? "no count given (h is missing)" : h + ("1".equals(h) ? " stanza" : " stanzas") + " handled so far";
    }

    /** "1 stanza", "3 stanzas". */
    static String stanzas(long n) {
        return n + (n == 1 ? " stanza" : " stanzas");
    }

    /** {@code s} with its first letter upper case ("the server" → "The server"). */
    static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String or(String s, String fallback) {
        return s == null ? fallback : s;
    }
}
