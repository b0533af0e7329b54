package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.index.IndexedStanza;
import dev.xmppscope.analyzer.index.StanzaIndex;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaRoute;
import dev.xmppscope.analyzer.negotiation.Durations;
import dev.xmppscope.analyzer.route.IqPairing;
import dev.xmppscope.capture.CloseReason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * What the inspector shows of a stanza beyond its index record, read against the connections'
 * lives: a route's hops that waited for their link to open, a route cut by a reset, an IQ left
 * unanswered. Shared by the analyzer and a kept analysis ({@link KeptModel}), which must answer alike.
 */
final class StanzaDetails {
    private static final long UNANSWERED_AFTER_NANOS = 30_000_000_000L;
    /** A route's last link cut by its receiver this soon after is said to have maybe lost it. */
    private static final long CUT_SOON_NANOS = 10_000_000_000L;

    /** When a connection opened, and when and why it closed (null while open). */
    record Link(long openedAt, Long closedAt, CloseReason closeReason) {
        static Link of(ConnectionView v) {
            return new Link(v.openedAt(), v.closedAt(), v.closeReason() == null ? null : CloseReason.valueOf(v.closeReason()));
        }
    }

    private StanzaDetails() {
    }

    /**
     * The detail of {@code st}: {@code route} is already {@link #annotated}, {@code iq} what IQ
     * pairing knows of it, {@code visibleUntil} how far the analysis has come, {@code links} the
     * connections by id (null for one not seen).
     */
    static StanzaDetail of(IndexedStanza st, String carries, StanzaRoute route, Optional<IqPairing.IqInfo> iq, long visibleUntil,
                           LongFunction<Link> links) {
        String partner = iq.map(IqPairing.IqInfo::partner).orElse(null);
        Long rtt = iq.map(IqPairing.IqInfo::rttNanos).orElse(null);
        boolean unanswered = iq.isPresent() && iq.get().request() && partner == null && (visibleUntil - iq.get().at()
                > UNANSWERED_AFTER_NANOS || closed(links.apply(iq.get().connection())));
        return new StanzaDetail(st.summary(), st.xml(), route, partner, rtt, unanswered, st.error(), carries);
    }

    private static boolean closed(Link link) {
        return link != null && link.closedAt() != null;
    }

    /**
     * {@code r} with each relayed hop whose connection opened after the stanza reached its sender
     * marked ({@link StanzaRoute.Hop#linkOpened}): what it was held for was mostly the link's set-up;
     * and, where a route ends on a link its receiver cut soon after (a TCP reset: a server that
     * crashed), the explanation says the stanza may never have been read there.
     */
    static StanzaRoute annotated(StanzaRoute r, LongFunction<Link> links) {
        List<StanzaRoute.Hop> hops = new ArrayList<>(r.hops());
        boolean changed = false;
        Set<Integer> continued = new HashSet<>();
        for (int i = 0; i < hops.size(); i++) {
            StanzaRoute.Hop h = hops.get(i);
            if (h.after() != null) {
                continued.add(h.after());
            }
            Link link = links.apply(h.connection());
            if (h.after() != null && h.how() == null && link != null && link.openedAt() > hops.get(h.after()).at()) {
                hops.set(i, h.withLinkOpened());
                changed = true;
            }
        }
        String explanation = r.explanation();
        for (int i = 0; i < hops.size(); i++) {
            String cut = continued.contains(i) ? null : cutAfter(hops.get(i), links.apply(hops.get(i).connection()));
            if (cut != null) {
                explanation = explanation + "; " + cut;
                changed = true;
            }
        }
        return changed ? new StanzaRoute(hops, r.confidence(), explanation) : r;
    }

    /** How soon a route's last hop {@code h} had its {@code link} cut by its receiver, when that is soon: else null. */
    private static String cutAfter(StanzaRoute.Hop h, Link link) {
        if (link == null || link.closedAt() == null) {
            return null;
        }
        boolean toServer = StanzaIndex.sentToServer(h.stanzaRef());
        CloseReason cutByReceiver = toServer ? CloseReason.SERVER_RESET : CloseReason.CLIENT_RESET;
        long after = link.closedAt() - h.at();
        if (link.closeReason() != cutByReceiver || after < 0 || after > CUT_SOON_NANOS) {
            return null;
        }
        return "the link of hop " + h.stanzaRef() + " was cut by its receiver " + Durations.words(after) + " after (a TCP reset,"
                + " as when a server or client crashes), with no hop beyond: it may never have been read there";
    }
}
