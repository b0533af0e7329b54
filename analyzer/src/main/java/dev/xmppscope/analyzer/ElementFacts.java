package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.route.OfflineStorage;
import dev.xmppscope.analyzer.route.PayloadDigest;
import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xmpp.ElementKind;
import java.util.List;

/**
 * What the model needs of a top-level element that follows from the element alone: its kind, for
 * a stanza its payload's digest, and for a message who stamped its delays. Worked out where the
 * element was parsed: in a bulk analysis that is the reading thread, whose core still holds the
 * element's tree in its cache. The model's thread, coming to each tree later from the other core,
 * spent about 40% of its time walking trees it had not built (JFR: {@code ElementKind.of},
 * {@code PayloadDigest.of}, {@code OfflineStorage}). A bug met here is met as a parse failure.
 *
 * @param digest       {@link PayloadDigest#of} of a message, presence or iq; 0 for anything else
 * @param serverStamps {@link OfflineStorage#serverStamps} of a message or presence; empty for anything else
 */
record ElementFacts(ElementKind kind, long digest, List<String> serverStamps) {
    static ElementFacts of(XmlElement e) {
        ElementKind k = ElementKind.of(e);
        return new ElementFacts(k, isStanza(k) ? PayloadDigest.of(e) : 0,
                k.kind().equals("message") || k.kind().equals("presence") ? OfflineStorage.serverStamps(e) : List.of());
    }

    static boolean isStanza(ElementKind k) {
        return k.kind().equals("message") || k.kind().equals("presence") || k.kind().equals("iq");
    }
}
