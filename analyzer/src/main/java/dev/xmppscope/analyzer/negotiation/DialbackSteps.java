package dev.xmppscope.analyzer.negotiation;

import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.capture.Direction;

/**
 * Server dialback (XEP-0220) on one s2s connection, as steps of its {@link Negotiation}: the
 * initiating server's key ({@code db:result}) and the receiving server's answer, and the checks of
 * keys ({@code db:verify}), which mostly concern another connection's stream and name it (see
 * {@link DialbackStreams}).
 */
final class DialbackSteps {
    private final Negotiation n;
    private final DialbackStreams streams;
    /** The id the receiving server last gave this stream: the one a check of its key names. */
    private String streamId;

    DialbackSteps(Negotiation n, DialbackStreams streams) {
        this.n = n;
        this.streams = streams;
    }

    /** The receiving server {@code receiver} answered this stream's header with stream id {@code id}. */
    void answered(String receiver, String id) {
        streamId = id;
        streams.opened(receiver, id, n.connection());
    }

    /** A dialback element ({@code db:result} or {@code db:verify}) from {@code d}. */
    void element(Direction d, XmlElement e, long at, String ref) {
        if (e.name().equals("verify")) {
            verify(d, e, at, ref);
            return;
        }
        String from = StepText.or(e.attribute("from"), "?");
        String to = StepText.or(e.attribute("to"), "?");
        String type = e.attribute("type");
        if (type == null) {
            n.add(d, at, "dialback-result", from + " asks " + to + " to accept it (dialback key)", "", "info", ref);
            return;
        }
        // the receiving server (from) asked the sender's domain whether the key is genuine, mostly over another connection
        Long checkedOn = streams.checkedOn(e.attribute("from"), streamId);
        String how = checkedOn == null || checkedOn == n.connection() ? ""
                : ", checked with " + to + " on connection " + checkedOn;
        if (type.equals("valid")) {
            n.bound(to + "→" + from);
            n.add(d, at, "dialback-result", from + " accepts " + to + " (dialback valid" + how + ")", "", "ok", ref);
        } else {
            String what = n.fail(from + " rejects " + to + " (dialback " + type + how + ")");
            XmlElement error = e.child("error", e.namespace());
            n.add(d, at, "dialback-result", what, type.equals("error") ? StepText.conditionSaid(error == null ? e : error) : "",
                    "failed", ref);
        }
    }

    /**
     * A dialback check ({@code db:verify}): the receiving server of another stream asks the
     * sender's domain whether the key it got there is genuine. Its outcome is that other stream's
     * (its {@code db:result} answer says it): a key found invalid fails that stream, not this one.
     */
    private void verify(Direction d, XmlElement e, long at, String ref) {
        String from = StepText.or(e.attribute("from"), "?");
        String to = StepText.or(e.attribute("to"), "?");
        String id = e.attribute("id");
        String type = e.attribute("type");
        // the stream checked is the one that asks (to, in the answer) gave this id
        String receiver = type == null ? e.attribute("from") : e.attribute("to");
        Long about = streams.connectionOf(receiver, id);
        String stream = (about == null || about == n.connection() ? "" : " on connection " + about)
                + " (stream " + StepText.or(id, "?") + ")";
        if (type == null) {
            streams.checking(receiver, id, n.connection());
            n.add(d, at, "dialback-verify", from + " asks " + to + " to confirm the dialback key it received" + stream, "", "info",
                    ref);
        } else if (type.equals("valid")) {
            n.add(d, at, "dialback-verify", from + " confirms the key" + stream + " is genuine (valid)", "", "ok", ref);
        } else {
            XmlElement error = e.child("error", e.namespace());
            n.add(d, at, "dialback-verify", from + " says the key" + stream + " is " + type + ": " + to + " must refuse that stream",
                    type.equals("error") ? StepText.conditionSaid(error == null ? e : error) : "", "warning", ref);
        }
    }
}
