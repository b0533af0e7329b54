package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.xmppscope.analyzer.index.StanzaIndex;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.AnalysisFile;
import dev.xmppscope.capture.ByteSearch;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.StoredPayloads;
import dev.xmppscope.capture.TlsLayer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An analysis of a stored capture keeps, for most stanzas, where their bytes are in the capture's
 * payload file instead of a copy. Whatever the index keeps, each stanza's XML is the bytes it was
 * recorded as: whole in one read, cut across reads, two in one read, inside intercepted TLS (whose
 * offsets restart at 0), with characters of several bytes; and it reads the same from a process
 * that has only the analysis file and the payload file (the live worker), and from an analysis
 * fed another capture's stored chunks (whose positions are not its own).
 */
class StoredXmlTest {
    private static final String GREETING = "<message to='bob@b.example' id='g1' type='chat'><body>h\u00e9llo \uD83D\uDE00"
            + "</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>";
    private static final String CUT = "<message to='bob@b.example' id='cut' type='chat'><body>cut in three \u00e9\u00e9"
            + "\u00e9</body></message>";
    private static final String BETWEEN = "<message from='bob@b.example/x' to='alice@a.example/y' id='between'>"
            + "<body>Meanwhile</body></message>";
    private static final String FIRST_OF_TWO = "<presence id='p1'><show>away</show></presence>";
    private static final String SECOND_OF_TWO = "<iq type='get' id='ping' to='b.example'><ping xmlns='urn:xmpp:ping'/></iq>";

    @TempDir
    Path dir;

    @Test
    void everyStanzaShowsTheBytesItWasRecordedAsWhereverTheIndexKeepsThem() throws Exception {
        Path db = dir.resolve("cap");
        Map<String, String> expected = record(db);
        try (CaptureStore store = CaptureStore.open(db)) {
            // an analysis fed this capture's stored chunks points into its payload file
            try (Analyzer analyzer = Analyzer.open(store); CaptureReader reader = store.newReader()) {
                analyzer.analyze(reader, done -> { });
                assertXml(expected, analyzer);
            }
            // one fed another capture's chunks (an export analyses a copy) keeps copies, and they are right too
            try (CaptureStore other = CaptureStore.open(dir.resolve("other"));
                 Analyzer analyzer = Analyzer.open(other); CaptureReader reader = store.newReader()) {
                reader.replay(analyzer);
                assertXml(expected, analyzer);
            }
        }
        // the live worker's view: the analysis file and the payload file, without the database
        assertXml(expected, db);

        // it is the payload file that the first analysis reads the XML from: changed there, it reads the change
        Path payloadFile = CaptureStore.payloadFile(db);
        byte[] payload = Files.readAllBytes(payloadFile);
        byte[] hello = "h\u00e9llo".getBytes(StandardCharsets.UTF_8);
        int at = ByteSearch.indexOf(payload, hello);
        payload[at] = 'H';
        Files.write(payloadFile, payload);
        Map<String, String> changed = new LinkedHashMap<>(expected);
        changed.put("g1", GREETING.replace("h\u00e9llo", "H\u00e9llo"));
        assertXml(changed, db);
        // while the other keeps its own copy of it
        assertXml(expected, dir.resolve("other"));

        // cut short since (truncated, or replaced by another's): what the analysis knows stands, the XML
        // it points at there is null (the UI says it is gone), the copy of the element cut across reads stays
        Files.write(payloadFile, new byte[0]);
        withIndex(db, index -> {
            List<StanzaSummary> all = index.query(StanzaQuery.all(100), Long.MAX_VALUE).items();
            for (String id : expected.keySet()) {
                StanzaSummary s = all.stream().filter(x -> id.equals(x.id())).findFirst().orElseThrow();
                assertEquals(id.equals("cut") ? CUT : null, index.get(s.ref(), Long.MAX_VALUE).orElseThrow().xml(),
                        "the XML of " + id);
            }
        });
    }

    /** Checks the XML as the analysis file of the capture at {@code db} and its payload file give it, as the worker reads them. */
    private static void assertXml(Map<String, String> expected, Path db) {
        withIndex(db, index -> assertXml(expected, q -> index.query(q, Long.MAX_VALUE).items(),
                ref -> index.get(ref, Long.MAX_VALUE).orElseThrow().xml()));
    }

    /** Runs {@code check} on the index of the capture at {@code db}, as the worker reads it. */
    private static void withIndex(Path db, Consumer<StanzaIndex> check) {
        String captureId;
        try (CaptureStore store = CaptureStore.open(db)) {
            captureId = store.id();
        }
        try (AnalysisFile file = AnalysisFile.open(CaptureStore.analysisFile(db), captureId);
             StoredPayloads payloads = StoredPayloads.openReadOnly(db)) {
            StanzaIndex index = new StanzaIndex(file.store(), file.file(), true, payloads);
            check.accept(index);
            index.close();
        }
    }

    private static void assertXml(Map<String, String> expected, Analyzer analyzer) {
        assertXml(expected, q -> analyzer.stanzas(q).items(), ref -> analyzer.stanza(ref).orElseThrow().xml());
    }

    /** Writes the capture; returns each stanza's id and its XML as sent. */
    private static Map<String, String> record(Path db) {
        CaptureScript script = new CaptureScript().open(1, 0, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:40000")
                .toServer(1, 1, FederationFixture.clientHeader("a.example", "alice@a.example"))
                .toClient(1, 2, FederationFixture.serverHeader("a.example", "s1") + FederationFixture.PRE_AUTH_FEATURES)
                .toServer(1, 3, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
                .toClient(1, 4, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
                .event(1, 5, null, EventKind.STARTTLS_PROCEED, "intercepted")
                .newLayer(1)
                .send(1, 6, Direction.TO_SERVER, TlsLayer.DECRYPTED, FederationFixture.clientHeader("a.example", "alice@a.example"))
                .send(1, 7, Direction.TO_CLIENT, TlsLayer.DECRYPTED, FederationFixture.serverHeader("a.example", "s2")
                        + FederationFixture.POST_AUTH_FEATURES)
                .send(1, 8, Direction.TO_SERVER, TlsLayer.DECRYPTED, GREETING);
        // cut inside the two-byte characters too
        byte[] cut = CUT.getBytes(StandardCharsets.UTF_8);
        int a = CUT.indexOf("three") + 7;
        int b = a + 12;
        script.sendBytes(1, 9, Direction.TO_SERVER, TlsLayer.DECRYPTED, Arrays.copyOfRange(cut, 0, a))
                // the other direction's read between its pieces: in the payload file too
                .send(1, 9.5, Direction.TO_CLIENT, TlsLayer.DECRYPTED, BETWEEN)
                .sendBytes(1, 10, Direction.TO_SERVER, TlsLayer.DECRYPTED, Arrays.copyOfRange(cut, a, b))
                .sendBytes(1, 11, Direction.TO_SERVER, TlsLayer.DECRYPTED, Arrays.copyOfRange(cut, b, cut.length))
                .send(1, 12, Direction.TO_SERVER, TlsLayer.DECRYPTED, FIRST_OF_TWO + SECOND_OF_TWO)
                .close(1, 13, CloseReason.CLIENT_CLOSED);
        try (CaptureStore store = CaptureStore.open(db); CaptureWriter writer = store.newWriter()) {
            script.playInto(writer);
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("g1", GREETING);
        expected.put("cut", CUT);
        expected.put("between", BETWEEN);
        expected.put("p1", FIRST_OF_TWO);
        expected.put("ping", SECOND_OF_TWO);
        return expected;
    }

    private static void assertXml(Map<String, String> expected, Function<StanzaQuery, List<StanzaSummary>> stanzas,
                                  Function<String, String> xmlOf) {
        List<StanzaSummary> all = stanzas.apply(StanzaQuery.all(100));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            StanzaSummary s = all.stream().filter(x -> e.getKey().equals(x.id())).findFirst().orElseThrow(() ->
                    new AssertionError("no stanza with id " + e.getKey() + " in " + all));
            assertEquals(e.getValue(), xmlOf.apply(s.ref()), "the XML of " + e.getKey());
        }
        // the stream headers too: each is shown as sent, in either layer
        assertEquals(4, all.stream().filter(s -> s.kind().equals("stream-header")).count(), "two each way, one per TLS layer");
        for (StanzaSummary s : all) {
            String xml = xmlOf.apply(s.ref());
            assertNotNull(xml, s.ref());
            assertEquals(s.size(), xml.getBytes(StandardCharsets.UTF_8).length, "the size of " + s.ref());
        }
        // and a search by text reads it, where it is kept and where it is pointed at
        for (String[] search : new String[][] {{"cut in three", "cut"}, {"MEANWHILE", "between"},
            {"<message from='bob@b.example/x'", "between"}, {"</presence>", "p1"}, {"H\u00c9LLO", "g1"}}) {
            assertEquals(List.of(search[1]), stanzas.apply(new StanzaQuery(search[0], null, null, null, null, null, null,
                    null, null, null, 10)).stream().map(StanzaSummary::id).toList(), search[0]);
        }
    }
}
