package dev.xmppscope.analyzer;

import dev.xmppscope.analyzer.index.IndexedStanza;
import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.xml.ElementReader;
import dev.xmppscope.analyzer.xml.XmlElement;
import dev.xmppscope.analyzer.xml.XmlParseException;
import dev.xmppscope.analyzer.xmpp.CarriedMessage;
import dev.xmppscope.analyzer.xmpp.Ns;
import dev.xmppscope.capture.ByteSearch;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The message that a carbon, an archive result or a forward carries, found among the stanzas
 * recorded before it: the earliest message with its id and its addressee, as its sender sent it.
 * Looked up when the stanza is shown, not during the analysis: an archive result may come days
 * after the message it holds, longer than the analysis keeps anything, and the index finds
 * stanzas by id.
 */
final class CarriedOriginals {
    /** The stored element's namespace context: a stanza's XML declares all but the stream's default. */
    private static final byte[] SCOPE = "<w xmlns='jabber:client'>".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FORWARD = Ns.FORWARD.getBytes(StandardCharsets.US_ASCII);

    private CarriedOriginals() {
    }

    /** The ref of the message {@code st} carries, as first recorded, or null (it carries none, or none was recorded). */
    static String find(IndexedStanza st, Function<StanzaQuery, StanzaPage> query) {
        StanzaSummary s = st.summary();
        byte[] xml = st.xmlUtf8();
        if (!"message".equals(s.kind()) || xml == null || ByteSearch.indexOf(xml, FORWARD) < 0) {
            return null;
        }
        XmlElement message;
        try {
            message = ElementReader.readElement(SCOPE, xml, 0, xml.length);
        } catch (XmlParseException e) {
            return null; // shown as it is, without the link
        }
        CarriedMessage carried = CarriedMessage.in(message);
        XmlElement inner = carried == null ? null : carried.message();
        String id = inner == null ? null : inner.attribute("id");
        if (id == null) {
            return null;
        }
        String to = inner.attribute("to");
        String party = to != null ? to : inner.attribute("from");
        String cursor = null;
        do { // a page may stop at its reads with nothing found yet (StanzaPage#searchedTo): the next goes on
            StanzaPage page = query.apply(new StanzaQuery(null, party, "message", null, null, id, null, null, s.at(), cursor, 20));
            for (StanzaSummary earlier : page.items()) {
                if (!earlier.ref().equals(s.ref())) {
                    return earlier.ref();
                }
            }
            cursor = page.next();
        } while (cursor != null);
        return null;
    }
}
