package dev.xmppscope.analyzer.negotiation;

import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.SnapLengthCut;
import java.util.OptionalLong;

/**
 * The steps that say data is missing from a capture ({@code RECORDING_GAP}): each gap where it
 * happened, but the cuts a pcap's snap length made summed up, one step per stream. A small snap
 * length cuts nearly every segment, and a step each drowned the negotiation in hundreds of failures.
 */
final class GapSteps {
    private final Negotiation n;
    /** Per direction, the cuts a pcap's snap length made so far, or null. */
    private final SnapCuts[] snapCuts = new SnapCuts[2];

    GapSteps(Negotiation negotiation) {
        this.n = negotiation;
    }

    void gap(Direction d, ConnectionEvent e) {
        OptionalLong cut = SnapLengthCut.missingBytes(e.detail());
        if (cut.isEmpty()) {
            n.add(d, e.atNanos(), "gap", "Data is missing from the capture here: it is incomplete", e.detail(), "failed", null);
            return;
        }
        SnapCuts c = snapCuts[d.code()];
        boolean first = c == null;
        if (first) {
            c = snapCuts[d.code()] = new SnapCuts(n.stepCount(), e.detail());
        }
        c.count++;
        c.bytes += cut.getAsLong();
        String title = "Data is missing from the capture: " + (c.count == 1 ? "1 segment " : c.count + " segments ") + n.party(d)
                + " sent " + (c.count == 1 ? "was" : "were") + " cut short by the capture's snap length, " + c.bytes
                + (c.bytes == 1 ? " byte" : " bytes") + " missing";
        String detail = "the first: " + c.firstDetail + "; what follows each cut is read again from its next whole stanza";
        if (first) {
            n.add(d, e.atNanos(), "gap", title, detail, "failed", null);
        } else {
            n.replace(c.step, "gap", title, detail);
        }
    }

    /** A stream's snap-length cuts so far, and the step that counts them. */
    private static final class SnapCuts {
        final int step;
        final String firstDetail;
        int count;
        long bytes;

        SnapCuts(int step, String firstDetail) {
            this.step = step;
            this.firstDetail = firstDetail;
        }
    }
}
