package dev.xmppscope.analyzer.xmpp;

import dev.xmppscope.analyzer.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;

/**
 * What a top-level element is, in the timeline's words: its kind ({@code message}, {@code sasl},
 * {@code sm}, ...), type, one-line summary, the namespaces it uses and any error condition.
 *
 * @param kind       see {@code StanzaSummary#kind()}
 * @param type       the type attribute, or the element name for nonzas
 * @param summary    one line for lists
 * @param namespaces the element's namespace and its descendants', in document order
 * @param error      the stanza or stream error condition it carries ("not-authorized"), or null
 * @param carried    the message a message carries (a carbon, an archive result, a forward), or
 *                   null: read once here, for the summary and for the route a carbon joins
 * @param invite     the mediated invitation to a chat room (or its decline) a message carries, or
 *                   null: read once here, for the summary and for the route it joins through the room
 */
public record ElementKind(String kind, String type, String summary, List<String> namespaces, String error,
                          CarriedMessage carried, MucInvite invite) {
    private static final int SUMMARY_TEXT = 80;

    /** An element that carries no message. */
    private ElementKind(String kind, String type, String summary, List<String> namespaces, String error) {
        this(kind, type, summary, namespaces, error, null, null);
    }

    /** Classifies one top-level element. */
    public static ElementKind of(XmlElement e) {
        List<String> namespaces = namespaces(e);
        String ns = e.namespace();
        String name = e.name();
        if (Ns.isStanzaNamespace(ns) && (name.equals("message") || name.equals("presence") || name.equals("iq"))) {
            return stanza(e, namespaces);
        }
        if (Ns.STREAMS.equals(ns) && name.equals("features")) {
            return new ElementKind("features", "features", "features: " + Features.describe(e), namespaces, null);
        }
        if (Ns.STREAMS.equals(ns) && name.equals("error")) {
            String condition = condition(e, Ns.STREAM_ERRORS);
            String text = e.childText("text", Ns.STREAM_ERRORS);
            return new ElementKind("stream-error", condition, "stream error " + condition + withText(text), namespaces, condition);
        }
        if (Ns.SASL.equals(ns) || Ns.SASL2.equals(ns)) {
            // SASL2 keeps RFC 6120's conditions, in their namespace
            String condition = name.equals("failure") ? condition(e, Ns.SASL) : null;
            String detail = switch (name) {
                case "auth", "authenticate" -> " " + nullToEmpty(e.attribute("mechanism"));
                case "failure" -> " " + condition + withText(e.childText("text", ns));
                default -> "";
            };
            return new ElementKind("sasl", name, "SASL " + name + detail, namespaces, condition);
        }
        if (Ns.TLS.equals(ns)) {
            return new ElementKind("tls", name, "TLS " + name, namespaces, name.equals("failure") ? "starttls failure" : null);
        }
        if (Ns.isSm(ns)) {
            String h = e.attribute("h");
            String extra = h != null ? " h=" + h : "true".equals(e.attribute("resume")) ? " resume" : "";
            String condition = name.equals("failed") ? condition(e, Ns.STANZA_ERRORS) : null;
            return new ElementKind("sm", name, "SM " + name + extra + (condition == null ? "" : " " + condition),
                    namespaces, condition);
        }
        if (Ns.DIALBACK.equals(ns)) {
            String type = e.attribute("type");
            String route = nullToEmpty(e.attribute("from")) + "→" + nullToEmpty(e.attribute("to"));
            return new ElementKind("dialback", name, "dialback " + name + " " + route + (type == null ? " (key)" : " " + type),
                    namespaces, "invalid".equals(type) || "error".equals(type) ? "dialback " + type : null);
        }
        if (Ns.CSI.equals(ns)) {
            return new ElementKind("csi", name, "client is " + name, namespaces, null);
        }
        return new ElementKind("other", name, "<" + name + "> " + ns, namespaces, null);
    }

    private static ElementKind stanza(XmlElement e, List<String> namespaces) {
        String name = e.name();
        String type = e.attribute("type");
        String error = "error".equals(type) ? stanzaError(e) : null;
        CarriedMessage carried = name.equals("message") ? CarriedMessage.in(e) : null;
        MucInvite invite = name.equals("message") ? MucInvite.in(e) : null;
        String summary;
        if (error != null) {
            // the server's own words say more than the condition ("NXDomain in AAAA lookup")
            XmlElement err = e.child("error", e.namespace());
            summary = name + " error " + error + withText(err == null ? null : err.childText("text", Ns.STANZA_ERRORS));
        } else if (name.equals("message")) {
            String body = e.childText("body", e.namespace());
            String carries = body == null ? describe(carried) : null;
            if (carries == null && body == null) {
                carries = invite != null ? invitation(invite, type) : directInvitation(e, type);
            }
            summary = carries != null ? carries
                    : (type == null ? "normal" : type) + ": " + (body != null ? clip(body) : firstPayload(e));
        } else if (name.equals("presence")) {
            String show = e.childText("show", e.namespace());
            String status = e.childText("status", e.namespace());
            summary = (type == null ? "available" : type) + (show == null ? "" : " (" + show + ")")
                    + (status == null ? "" : ": " + clip(status));
        } else {
            summary = (type == null ? "?" : type) + " " + firstPayload(e);
        }
        return new ElementKind(name, type, summary.trim(), namespaces, error, carried, invite);
    }

    /**
     * What a message without a body of its own carries, said as such: a carbon (XEP-0280), a page
     * of an archive (XEP-0313) or a forward (XEP-0297) of another message. Else null. Without
     * this, each read "normal: received" or "normal: result", whatever message it held.
     */
    private static String describe(CarriedMessage c) {
        if (c == null) {
            return null;
        }
        String how = switch (c.wrapper()) {
            case SENT_CARBON -> "carbon of a sent ";
            case RECEIVED_CARBON -> "carbon of a received ";
            case ARCHIVE_RESULT -> "archived ";
            case FORWARD -> "forwarded ";
        };
        XmlElement m = c.message();
        if (m == null) {
            return c.wrapper() == CarriedMessage.Wrapper.ARCHIVE_RESULT ? "result from the archive" : how + "nothing";
        }
        String type = m.attribute("type");
        String from = m.attribute("from");
        String body = m.childText("body", m.namespace());
        return how + (type == null ? "normal" : type) + (from == null ? "" : " from " + from) + ": "
                + (body != null ? clip(body) : firstPayload(m));
    }

    /**
     * A mediated invitation to a chat room, or its decline, without a body, said as such (else
     * "normal: x"): sent to the room, or the room's passing it on.
     */
    private static String invitation(MucInvite invite, String type) {
        String what;
        if (invite.decline()) {
            what = invite.to() != null ? "declines the invitation of " + invite.to() : "decline from " + invite.from();
        } else {
            what = invite.to() != null ? "invites " + invite.to() : "invitation from " + invite.from();
        }
        return withReason(type, what, invite.reason());
    }

    /**
     * A direct invitation to a chat room (XEP-0249), which goes from the inviter to the invitee
     * without passing through the room, without a body, said as such (else "normal: x"). Null if
     * {@code message} carries none.
     */
    private static String directInvitation(XmlElement message, String type) {
        XmlElement x = message.child("x", Ns.DIRECT_INVITATION);
        String room = x == null ? null : x.attribute("jid");
        if (room == null) {
            return null;
        }
        return withReason(type, "invitation to " + room, x.attribute("reason"));
    }

    /** "TYPE: WHAT (REASON)", the reason clipped, left out when there is none. */
    private static String withReason(String type, String what, String reason) {
        return (type == null ? "normal" : type) + ": " + what
                + (reason == null || reason.isBlank() ? "" : " (" + clip(reason) + ")");
    }

    /** The defined condition of a stanza's {@code <error/>} child, or "undefined-condition". */
    public static String stanzaError(XmlElement stanza) {
        XmlElement err = stanza.child("error", stanza.namespace());
        return err == null ? "undefined-condition" : condition(err, Ns.STANZA_ERRORS);
    }

    private static String condition(XmlElement e, String conditionNs) {
        for (XmlElement c : e.children()) {
            if (c.namespace().equals(conditionNs) && !c.name().equals("text")) {
                return c.name();
            }
        }
        return "undefined-condition";
    }

    private static String firstPayload(XmlElement e) {
        for (XmlElement c : e.children()) {
            if (!c.namespace().equals(e.namespace())) {
                return c.name();
            }
        }
        return e.children().isEmpty() ? "" : e.children().get(0).name();
    }

    static List<String> namespaces(XmlElement e) {
        List<String> out = new ArrayList<>(4);
        collect(e, out);
        return out;
    }

    /** A stanza uses a handful of namespaces: a list's linear search beats a set's hashing here. */
    private static void collect(XmlElement e, List<String> out) {
        if (!e.namespace().isEmpty() && !out.contains(e.namespace())) {
            out.add(e.namespace());
        }
        for (XmlElement c : e.children()) {
            collect(c, out);
        }
    }

    /**
     * {@code s} on one line (line breaks as spaces), trimmed, cut to {@code SUMMARY_TEXT} characters
     * and an ellipsis: only the part shown is copied (a body may be long, and this runs for every
     * message).
     */
    private static String clip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && s.charAt(to - 1) <= ' ') {
            to--;
        }
        boolean cut = to - from > SUMMARY_TEXT;
        String shown = s.substring(from, cut ? from + SUMMARY_TEXT : to);
        if (shown.indexOf('\n') >= 0 || shown.indexOf('\r') >= 0) {
            shown = shown.replace('\n', ' ').replace('\r', ' ');
        }
        return cut ? shown + "…" : shown;
    }

    private static String withText(String text) {
        return text == null || text.isBlank() ? "" : ": " + clip(text);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
