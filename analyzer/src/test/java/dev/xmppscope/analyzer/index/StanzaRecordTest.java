package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.analyzer.xmpp.Namespaces;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stanza comes back from its stored record as it was indexed, whichever addresses it has. */
class StanzaRecordTest {
    private final Namespaces namespaces = Namespaces.shipped();
    @TempDir
    Path tmp;
    private MVStore mv;
    private NamespaceIds nsIds;

    @BeforeEach
    void openTheAnalysisFile() {
        mv = new MVStore.Builder().fileName(tmp.resolve("analysis.mv.db").toString()).open();
        nsIds = new NamespaceIds(mv.openMap("namespaces"));
    }

    @AfterEach
    void closeIt() {
        mv.close();
    }

    @Test
    void addressesComeBackWhetherTheyWereSentAsComparedOrNot() {
        // as sent and as compared alike
        roundTrip("alice@a.example/phone", "bob@b.example", "alice@a.example/phone", "bob@b.example");
        // case-folded for comparison, and a c2s stanza without 'from' (from the stream's bound JID)
        roundTrip("Alice@A.example/Phone", null, "alice@a.example/Phone", null);
        roundTrip(null, "b.example", "carol@a.example/laptop", "b.example");
        // no addresses at all (a stream header, a nonza)
        roundTrip(null, null, null, null);
    }

    private void roundTrip(String from, String to, String fromKey, String toKey) {
        long pk = StanzaIndex.rowKey(3, 1, 41);
        StanzaSummary summary = new StanzaSummary("3-c-41", 3, "toClient", 1234L, "message", "chat", from, to, "m1",
                List.of("jabber:client", "urn:xmpp:receipts"), List.of(namespaces.label("jabber:client"),
                namespaces.label("urn:xmpp:receipts")), "chat: hi", 60, 900, "ok");
        byte[] xml = "<message id='m1'><body>hi</body></message>".getBytes(StandardCharsets.UTF_8);
        IndexedStanza s = new IndexedStanza(pk, 1, summary, fromKey, toKey, bare(fromKey), bare(toKey), 2, null, 77, xml, -1);

        IndexedStanza back = StanzaRecord.decode(StanzaRecord.encode(s, new RecordBytes.Writer(), nsIds), true, namespaces,
                nsIds);

        assertEquals(summary, back.summary());
        assertEquals(fromKey, back.fromKey());
        assertEquals(toKey, back.toKey());
        assertEquals(bare(fromKey), back.fromBare());
        assertEquals(bare(toKey), back.toBare());
        assertEquals(2, back.layer());
        assertEquals(77, back.routeFirst());
        assertArrayEquals(xml, back.xmlUtf8());
        assertNull(StanzaRecord.decode(StanzaRecord.encode(s, new RecordBytes.Writer(), nsIds), false, namespaces, nsIds)
                .xmlUtf8());
    }

    private static String bare(String full) {
        return full == null ? null : full.split("/", 2)[0];
    }
}
