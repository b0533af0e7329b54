package dev.xmppscope.analyzer.negotiation;

import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.Ns;
import dev.xmppscope.capture.Direction;
import java.util.Map;

/**
 * Stream management (XEP-0198) on one connection, as steps of its {@link Negotiation}: enabling
 * it, each ack against the counts of what the other side sent ({@link StanzaCounts}), a
 * resumption and what each side must send again, a refusal, and at the end the stanzas never
 * acknowledged.
 */
final class StreamManagementSteps {
    private static final int MAX_ACK_STEPS = 20;

    private final Negotiation n;
    /** Resumable stream-management sessions of the whole capture, by server domain and id. */
    private final Map<String, ResumableSession> resumableSessions;
    private final StanzaCounts counts = new StanzaCounts();
    private int acks;
    private String resumeId;
    /** The client's h in its {@code <resume/>}: where the server's stanzas count on from once it has resumed. */
    private long resumeHandled;

    StreamManagementSteps(Negotiation n, Map<String, ResumableSession> resumableSessions) {
        this.n = n;
        this.resumableSessions = resumableSessions;
    }

    /** A stanza (message, presence or iq) from {@code d}: it counts once stream management is on. */
    void stanza(Direction d, String ref) {
        counts.stanza(d, ref);
    }

    /**
     * The connection ended: the stanzas each side sent that the other never acknowledged, if any.
     * Not if {@code cutShort}, the capture having ended first (a killed proxy): its last stanzas
     * and acks may be missing from it, and the peers would be blamed for the capture's gap.
     */
    void connectionEnded(long at, boolean closedCleanly, boolean cutShort) {
        if (cutShort) {
            counts.cutShort();
            return;
        }
        for (Direction d : Direction.values()) {
            unacknowledged(d, at, closedCleanly);
        }
    }

    /** A stream management element from {@code d}. */
    void element(Direction d, XmlElement e, long at, String ref) {
        String resume = "true".equals(e.attribute("resume")) || "1".equals(e.attribute("resume")) ? " (resumable)" : "";
        switch (e.name()) {
            case "enable" -> {
                counts.start(d, 0); // the sender's stanzas count from its <enable/>
                n.add(d, at, "sm-enable", n.who(d) + " enables stream management" + resume, "", "info", ref);
            }
            case "enabled" -> {
                counts.start(d, 0); // the answerer's from its <enabled/>
                if (!resume.isEmpty() && e.attribute("id") != null) {
                    carries(e.attribute("id"));
                }
                n.add(d, at, "sm-enabled", n.who(d) + " enabled stream management" + resume,
                        StepText.attrs(e, "id", "max", "location"), "ok", ref);
            }
            case "resume" -> {
                resumeId = e.attribute("previd");
                resumeHandled = handled(e);
                ResumableSession previous = resumeId == null ? null : resumableSessions.get(n.sessionKey(resumeId));
                n.add(d, at, "sm-resume", n.who(d) + " resumes session " + StepText.or(resumeId, "?"),
                        "h=" + e.attribute("h") + toSendAgain(previous, d.reverse(), resumeHandled), "info", ref);
            }
            case "resumed" -> {
                String previd = e.attribute("previd") != null ? e.attribute("previd") : resumeId;
                ResumableSession previous = previd == null ? null : resumableSessions.get(n.sessionKey(previd));
                if (previous != null) {
                    n.adoptIdentity(previous.identity);
                }
                long handled = handled(e);
                // what each side sends again counts on from what its peer handled
                counts.start(d, Math.max(0, resumeHandled));
                counts.start(d.reverse(), Math.max(0, handled));
                if (previd != null) {
                    carries(previd);
                }
                n.established();
                n.add(d, at, "sm-resumed", n.who(d) + " resumed the session", "h=" + e.attribute("h")
                        + (n.identity() == null ? "" : ", bound to " + n.identity()) + toSendAgain(previous, d.reverse(), handled), "ok", ref);
            }
            case "failed" -> {
                counts.stop();
                String condition = StepText.condition(e, Ns.STANZA_ERRORS);
                // after a <resume/>, item-not-found is the session itself: gone since the connection dropped
                String detail = resumeId != null && condition.equals("item-not-found")
                        ? "the server no longer holds session " + resumeId + " (it expired, or never existed): the client"
                        + " binds a new one, and what the old one had not acknowledged is bounced or lost"
                        : StepText.conditionSaid(e);
                n.add(d, at, "sm-failed", n.who(d) + " refuses " + (resumeId != null ? "to resume the session: " : "stream management: ")
                        + condition, detail, "failed", ref);
            }
            case "a" -> ack(d, e, at, ref);
            default -> {
                if (acks++ < MAX_ACK_STEPS) {
                    n.add(d, at, "sm-ack", e.name().equals("r") ? n.who(d) + " asks for an ack" : n.who(d) + " sends SM " + e.name(),
                            acks == MAX_ACK_STEPS ? "further acks are not listed" : "", "info", ref);
                }
            }
        }
    }

    /** This connection now carries the resumable session {@code id}: a stream that resumes it finds it here. */
    private void carries(String id) {
        resumableSessions.put(n.sessionKey(id), new ResumableSession(n.identity(), n.connection(), counts));
    }

    /**
     * An ack from {@code d}: h counts every stanza of the other side it handled since stream
     * management was enabled, not those since the last ack. One that counts more than was sent
     * (XEP-0198's handled-count-too-high) is always listed.
     */
    private void ack(Direction d, XmlElement e, long at, String ref) {
        Direction of = d.reverse();
        long h = handled(e);
        long unacked = counts.counting(of) && h >= 0 ? counts.ack(of, h) : 0;
        if (unacked < 0) {
            n.add(d, at, "sm-ack", n.who(d) + " acks " + StepText.stanzas(h) + ", but " + n.party(of) + " sent only " + counts.sent(of),
                    "a count too high (XEP-0198: handled-count-too-high)", "failed", ref);
        } else if (acks++ < MAX_ACK_STEPS) {
            String detail = acks == MAX_ACK_STEPS ? "further acks are not listed"
                    : !counts.counting(of) || h < 0 ? ""
                    : unacked == 0 ? "all " + counts.sent(of) + " of " + n.party(of) + "'s stanzas"
                    : unacked + " of " + n.party(of) + "'s " + counts.sent(of) + " stanzas not acknowledged yet";
            n.add(d, at, "sm-ack", n.who(d) + " acks: " + StepText.handled(e.attribute("h")), detail, "info", ref);
        }
    }

    /** At the connection's end: the stanzas of {@code d} its peer never acknowledged, if any. */
    private void unacknowledged(Direction d, long at, boolean closedCleanly) {
        long unacked = counts.counting(d) ? counts.unacked(d) : 0;
        if (unacked > 0) {
            String first = counts.firstUnacked(d);
            String title = StepText.capitalized(n.party(d.reverse())) + " never acknowledged " + n.party(d) + "'s last "
                    + StepText.stanzas(unacked) + " (h=" + counts.acked(d) + " of " + counts.sent(d) + ")";
            n.warn(title);
            // a clean close ends the session (XEP-0198 §5): nothing resumes it, and the server settles what is open
            String fate = !closedCleanly ? "they may be lost, unless a resumed session sends them again"
                    : d == Direction.TO_CLIENT ? "the stream closed cleanly, which ends the session: " + n.party(d) + " treats them"
                    + " as undelivered (a message goes to offline storage, or back to its sender as an error)"
                    : "the stream closed cleanly: they reached " + n.party(d.reverse()) + ", which never confirmed handling them";
            n.add(d, at, "sm-unacked", title, fate + (first == null ? "" : "; the first is " + first), "warning", first);
        }
    }

    /**
     * "; 4 of the 6 stanzas the server sent on connection 1: it sends the other 2 again": what
     * {@code sender} sent on the session's previous connection beyond the {@code handled} its peer reports.
     */
    private String toSendAgain(ResumableSession previous, Direction sender, long handled) {
        if (previous == null || handled < 0 || !previous.counts.counting(sender)) {
            return "";
        }
        long sent = previous.counts.sent(sender);
        String theSent = "the " + StepText.stanzas(sent) + " " + n.party(sender) + " sent on connection " + previous.connection;
        if (previous.counts.isCutShort()) {
            return "; " + theSent + " as far as its capture goes (it ended before the connection did): the count cannot be checked";
        }
        return handled > sent ? "; more than " + theSent + " (a count too high)"
                : handled == sent ? "; all " + theSent + ": none to send again"
                : "; " + handled + " of " + theSent + ": it sends the other " + StepText.stanzas(sent - handled) + " again";
    }

    /** The {@code h} of an ack or resumption, or -1 when missing or not a count. */
    private static long handled(XmlElement e) {
        try {
            return Long.parseLong(e.attribute("h"));
        } catch (NumberFormatException ex) { // missing (null) or not a count
            return -1;
        }
    }
}
