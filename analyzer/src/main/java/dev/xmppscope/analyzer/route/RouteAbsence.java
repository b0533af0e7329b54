package dev.xmppscope.analyzer.route;

import dev.xmppscope.analyzer.negotiation.Durations;
import dev.xmppscope.analyzer.xml.ElementReader;
import dev.xmppscope.analyzer.xml.StreamHeader;
import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xml.XmlParseException;
import dev.xmppscope.analyzer.xmpp.Ns;
import java.nio.charset.StandardCharsets;

/**
 * Why a stanza has no route, in words, from what it is: {@code show --stanza}, the API and the
 * inspector say it where they would show the route. What {@link RouteCorrelator} cannot follow
 * soundly is said as such, not as a stanza that crossed no other link.
 */
public final class RouteAbsence {
    private RouteAbsence() {
    }

    /**
     * The reason a stanza of {@code kind} and {@code type}, with {@code id} (or null), recorded as
     * {@code xml} (or null if unknown), is on no route; null for what is not a stanza.
     */
    public static String reason(String kind, String type, String id, String xml) {
        if (!"message".equals(kind) && !"presence".equals(kind) && !"iq".equals(kind)) {
            return null;
        }
        if (id == null && xml != null && Boolean.FALSE.equals(hasPayload(xml))) {
            if (!kind.equals("presence")) {
                return "It carries neither an id nor a payload: a " + kind + " is not followed by its addresses alone,"
                        + " since nothing would tell its copies on other links from others alike.";
            }
            return "It carries neither an id nor a payload"
                    + ("probe".equals(type) ? " (a probe is answered by the server it is sent to, so it mostly crosses one link)" : "")
                    + ": such a presence is followed by its type and its full sender and addressee alone, each hop within "
                    + Durations.words(RouteCorrelator.UNMARKED_WINDOW_NANOS) + " of the last, and not at all where another"
                    + " alike was on its way at the same time (nothing tells them apart) or where a chat room copied it"
                    + " (its copies name the occupant, not what they copy).";
        }
        return "No other recorded link carried the same stanza (its id, type, addresses and payload) within the route window ("
                + Durations.words(RouteCorrelator.DEFAULT_WINDOW_NANOS) + " unless set otherwise) of the hop it would continue;"
                + " or it fitted two routes equally and joined neither.";
    }

    /**
     * Whether the correlator finds a payload in the stanza {@code xml}: a child that servers do not
     * add or swap in transit ({@link PayloadDigest}); null when the XML does not parse alone.
     */
    static Boolean hasPayload(String xml) {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        try {
            XmlElement e = ElementReader.readElement(StreamHeader.assumedScope(Ns.CLIENT), bytes, 0, bytes.length);
            return PayloadDigest.of(e) != PayloadDigest.EMPTY;
        } catch (XmlParseException e) {
            return null;
        }
    }
}
