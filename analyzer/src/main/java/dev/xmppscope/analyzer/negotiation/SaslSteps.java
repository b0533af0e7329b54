package dev.xmppscope.analyzer.negotiation;

import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.Jid;
import dev.xmppscope.analyzer.xmpp.Ns;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.SaslPlainMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Authentication on one connection, as steps of its {@link Negotiation}: RFC 6120's SASL, and
 * SASL2 (XEP-0388), where one round trip may also bind the resource (Bind2, XEP-0386), enable or
 * resume stream management, log in with a FAST token or ask for one (XEP-0484), and the stream
 * goes on without a restart.
 */
final class SaslSteps {
    /** SASL mechanisms whose exchange carries the password or token itself, readable on the wire without TLS. */
    private static final Set<String> CLEARTEXT_MECHANISMS = Set.of("PLAIN", "LOGIN", "X-OAUTH2", "OAUTHBEARER");
    private static final String FAST = "urn:xmpp:fast:0";
    private static final String CARBONS = "urn:xmpp:carbons:2";

    private final Negotiation n;
    private final StreamManagementSteps sm;
    /** The mechanism of the last authentication asked for: between servers, what its answer accepts or refuses. */
    private String mechanism = "?";

    SaslSteps(Negotiation n, StreamManagementSteps sm) {
        this.n = n;
        this.sm = sm;
    }

    /** An element of the SASL or SASL2 namespace from {@code d}. */
    void element(Direction d, XmlElement e, long at, String ref) {
        boolean sasl2 = Ns.SASL2.equals(e.namespace());
        switch (e.name()) {
            case "auth", "authenticate" -> auth(d, e, at, ref, sasl2);
            case "challenge" -> n.add(d, at, "sasl-challenge", n.who(d) + " sends a SASL challenge", "", "info", ref);
            case "response" -> n.add(d, at, "sasl-response", n.who(d) + " answers the SASL challenge", "", "info", ref);
            case "success" -> success(d, e, at, ref, sasl2);
            case "continue" -> n.add(d, at, "sasl-continue", n.who(d) + " accepts the credentials but asks for more first: "
                    + String.join(", ", childTexts(e.child("tasks", Ns.SASL2), "task")), StepText.or(e.childText("text", Ns.SASL2), ""),
                    "info", ref);
            case "next" -> n.add(d, at, "sasl-next", n.who(d) + " goes on with " + StepText.or(e.attribute("task"), "?"), "", "info", ref);
            case "failure" -> {
                n.awaiting(null);
                // SASL2 keeps RFC 6120's conditions, in their namespace
                String condition = StepText.condition(e, Ns.SASL);
                String text = e.childText("text", e.namespace());
                // between servers no password is involved: the condition's client meaning would mislead, the server's words do not
                String title = "s2s".equals(n.kind())
                        ? n.who(d) + " refuses " + StepText.or(n.streamFrom(), "the initiating server") + " (SASL " + mechanism + "): "
                        + condition + (text == null || text.isBlank() ? "" : ": \"" + text.strip() + "\"")
                        + StandInCertificate.refusal(n, d, text, "EXTERNAL".equals(mechanism))
                        : "Authentication failed: " + Conditions.sasl(condition);
                n.add(d, at, "sasl-failure", n.fail(title), text == null ? condition : condition + ": " + text, "failed", ref);
            }
            case "abort" -> n.add(d, at, "sasl-abort", n.who(d) + " aborts authentication", "", "info", ref);
            default -> n.add(d, at, "sasl-" + e.name(), n.who(d) + " sends SASL " + e.name(), "", "info", ref);
        }
    }

    private void auth(Direction d, XmlElement e, long at, String ref, boolean sasl2) {
        String mech = StepText.or(e.attribute("mechanism"), "?").strip();
        mechanism = mech;
        String initialResponse = sasl2 ? StepText.or(e.childText("initial-response", Ns.SASL2), "") : e.text();
        n.awaiting("sasl");
        n.loginSent(mech, initialResponse);
        String title = "EXTERNAL".equals(mech) && "s2s".equals(n.kind())
                ? StepText.or(n.streamFrom(), "The initiating server") + " authenticates with SASL EXTERNAL ("
                        + (n.intercepted() ? "the certificate xmppscope presented for it: its own cannot pass an intercepting proxy)"
                                : "its certificate)")
                : n.who(d) + " authenticates with " + mech + asUser(mech, initialResponse)
                + (e.child("fast", FAST) != null ? " (a FAST token)" : "") + (sasl2 ? " over SASL2" : "");
        List<String> details = new ArrayList<>();
        XmlElement agent = e.child("user-agent", Ns.SASL2);
        if (agent != null) {
            details.add("from " + StepText.or(agent.childText("software", Ns.SASL2), "unnamed software")
                    + (agent.childText("device", Ns.SASL2) == null ? "" : " on " + agent.childText("device", Ns.SASL2)));
        }
        XmlElement bind = e.child("bind", Ns.BIND2);
        if (bind != null) {
            details.add("binds a resource in the same round trip (Bind2" + inlineFeatures(bind) + ")");
        }
        XmlElement tokenRequest = e.child("request-token", FAST);
        if (tokenRequest != null) {
            details.add("asks for a FAST token (" + StepText.or(tokenRequest.attribute("mechanism"), "no mechanism named") + ")");
        }
        String password = plainPassword(mech, initialResponse);
        if (password != null) {
            details.add(password);
        }
        if (!n.tlsSeen() && CLEARTEXT_MECHANISMS.contains(mech.toUpperCase(Locale.ROOT))) {
            n.warn("SASL " + mech + " without TLS: the credentials crossed the network readable");
            details.add(0, "sent without TLS: " + mech + " carries the password (or token) itself,"
                    + " readable by anyone on the path (base64 is no encryption)");
            n.add(d, at, "sasl-auth", title, String.join("; ", details), "warning", ref);
        } else {
            if (!initialResponse.isBlank()) {
                details.add(0, "initial response sent");
            }
            n.add(d, at, "sasl-auth", title, String.join("; ", details), "info", ref);
        }
        // stream management asked for inline: the counts start here, as with <enable/> or <resume/> on their own
        XmlElement resume = e.child("resume", Ns.SM3);
        if (resume != null) {
            sm.element(d, resume, at, ref);
        }
        XmlElement enable = bind == null ? null : bind.child("enable", Ns.SM3);
        if (enable != null) {
            sm.element(d, enable, at, ref);
        }
    }

    private void success(Direction d, XmlElement e, long at, String ref, boolean sasl2) {
        n.awaiting(null);
        n.retried(); // an earlier failed attempt on the same stream was retried successfully
        if ("s2s".equals(n.kind())) {
            n.bound(StepText.or(n.streamFrom(), "?") + "→" + StepText.or(n.streamTo(), "?"));
        }
        if (!sasl2) {
            String title = !"s2s".equals(n.kind()) ? "Authentication succeeded"
                    : n.who(d) + " accepts " + StepText.or(n.streamFrom(), "the initiating server") + " (SASL " + mechanism
                    + ("EXTERNAL".equals(mechanism) ? (n.intercepted() ? ": xmppscope's certificate for it)" : ": its certificate)")
                            : ")");
            n.add(d, at, "sasl-success", title, "", "ok", ref);
            return;
        }
        String jid = e.childText("authorization-identifier", Ns.SASL2);
        XmlElement token = e.child("token", FAST);
        n.add(d, at, "sasl-success", "Authentication succeeded" + (jid == null ? "" : " as " + jid.trim()),
                "SASL2: the stream goes on without a restart" + (token == null ? ""
                        : "; the server hands out a FAST token" + (token.attribute("expiry") == null ? "" : ", valid until "
                        + token.attribute("expiry"))), "ok", ref);
        XmlElement resumed = e.child("resumed", Ns.SM3);
        XmlElement bound = e.child("bound", Ns.BIND2);
        if (jid != null && (bound != null || resumed != null) && "c2s".equals(n.kind())) {
            n.bound(jid.trim());
        }
        if (bound != null && jid != null) {
            n.add(d, at, "bind", "Bound to " + jid.trim() + " (Bind2)", Jid.parse(jid.trim()).flags(), "ok", ref);
        }
        // a refused resumption, or stream management enabled with the new binding
        for (XmlElement inline : Arrays.asList(resumed, e.child("failed", Ns.SM3), bound == null ? null : bound.child("enabled", Ns.SM3),
                bound == null ? null : bound.child("failed", Ns.SM3))) {
            if (inline != null) {
                sm.element(d, inline, at, ref);
            }
        }
    }

    /** ", with stream management, carbons" : what a Bind2 request turns on with the binding. */
    private static String inlineFeatures(XmlElement bind) {
        List<String> also = new ArrayList<>();
        if (bind.child("enable", Ns.SM3) != null) {
            also.add("stream management");
        }
        if (bind.child("enable", CARBONS) != null) {
            also.add("carbons");
        }
        if (bind.child("inactive", Ns.CSI) != null) {
            also.add("starting inactive");
        }
        String tag = bind.childText("tag", Ns.BIND2);
        return (tag == null ? "" : ", tag " + tag.trim()) + (also.isEmpty() ? "" : ", with " + String.join(", ", also));
    }

    private static List<String> childTexts(XmlElement parent, String name) {
        List<String> texts = new ArrayList<>();
        if (parent != null) {
            for (XmlElement c : parent.children()) {
                if (c.name().equals(name)) {
                    texts.add(c.text().trim());
                }
            }
        }
        return texts.isEmpty() ? List.of("?") : texts;
    }

    /**
     * What the capture holds of a PLAIN initial response's password, said because its base64 does
     * not show it: masked (by the recorder, or the whole response when it was split across reads),
     * or as sent (--keep-secrets); null when there is no PLAIN password.
     */
    private static String plainPassword(String mechanism, String initialResponse) {
        String response = initialResponse.strip();
        if (!"PLAIN".equalsIgnoreCase(mechanism) || response.isEmpty()) {
            return null;
        }
        if (response.chars().allMatch(ch -> ch == '*')) {
            return "the password is masked in this capture";
        }
        SaslPlainMessage m = SaslPlainMessage.decode(response.getBytes(StandardCharsets.US_ASCII));
        if (m == null) {
            return null;
        }
        return m.passwordMasked() ? "the password is masked in this capture"
                : "the password is readable in this capture (kept with --keep-secrets)";
    }

    /** " as alice" for a PLAIN initial response that still names its user (only its password is masked). */
    private static String asUser(String mechanism, String initialResponse) {
        SaslPlainMessage m = "PLAIN".equalsIgnoreCase(mechanism) && !initialResponse.isBlank()
                ? SaslPlainMessage.decode(initialResponse.strip().getBytes(StandardCharsets.US_ASCII)) : null;
        if (m == null || m.authcid().isEmpty()) {
            return ""; // masked whole (an older capture, a payload split across reads) or naming nobody
        }
        return " as " + m.authcid() + (m.authzid().isEmpty() ? "" : " for " + m.authzid());
    }
}
