package dev.xmppscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.capture.CaptureReader;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.CloseReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long capture's analysis (each stanza's summary, JIDs, ids and XML, in a real H2 file) takes
 * less disk than the bytes it indexes: its records say where each stanza is in the payload file
 * (when they carried the XML itself, uncompressed, it took twice as much).
 */
class AnalysisFileSizeTest {
    private static final String[] WORDS = ("the meeting moved to three so bring the slides and the notes from yesterday"
            + " about routes latency federation dropped talk why you we there can ok again thanks link").split(" ");

    @TempDir
    Path dir;

    @Test
    void theAnalysisOfAChatTakesLessDiskThanTheChatItself() throws IOException {
        int messages = 4000;
        CaptureScript chat = chat(messages, new Random(7));
        Path db = dir.resolve("cap");
        try (CaptureStore store = CaptureStore.open(db)) {
            try (CaptureWriter writer = store.newWriter()) {
                chat.playInto(writer);
            }
            try (Analyzer analyzer = Analyzer.open(store); CaptureReader reader = store.newReader()) {
                reader.replay(analyzer);
                assertEquals(messages + 3, analyzer.connections().stream().mapToLong(ConnectionView::stanzaCount).sum(),
                        "two stream headers, the features and every message");
                String last = analyzer.stanzas(new StanzaQuery("number " + (messages - 1) + " ", null, null, null, null,
                        null, null, null, null, null, 5)).items().get(0).ref();
                assertTrue(analyzer.stanza(last).orElseThrow().xml().contains("number " + (messages - 1) + " "),
                        "the stanza's XML is kept, as it was");
            }
        }
        long capture = Files.size(CaptureStore.payloadFile(db));
        long analysis = Files.size(CaptureStore.analysisFile(db));
        assertTrue(analysis < capture, "analysis " + analysis + " bytes for a capture of " + capture + " bytes");
    }

    /** Alice chats with fifty contacts: messages with chat states, receipts and ids, both ways, one per read. */
    private static CaptureScript chat(int messages, Random r) {
        CaptureScript s = new CaptureScript().open(1, 0, "127.0.0.1:5222=127.0.0.2:5222", "127.0.0.1:40000")
                .toServer(1, 1, FederationFixture.clientHeader("a.example", "alice@a.example"))
                .toClient(1, 2, FederationFixture.serverHeader("a.example", "s1") + FederationFixture.POST_AUTH_FEATURES);
        for (int i = 0; i < messages; i++) {
            String contact = "contact" + r.nextInt(50) + "@b.example";
            StringBuilder body = new StringBuilder("number ").append(i).append(' ');
            for (int w = 8 + r.nextInt(20); w > 0; w--) {
                body.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
            }
            String payload = "<body>" + body + "</body><active xmlns='http://jabber.org/protocol/chatstates'/>"
                    + "<request xmlns='urn:xmpp:receipts'/><origin-id xmlns='urn:xmpp:sid:0' id='" + new UUID(r.nextLong(), r.nextLong()) + "'/>";
            double at = 10 + i * 2;
            if (i % 2 == 0) {
                s.toServer(1, at, "<message to='" + contact + "' type='chat' id='m" + i + "'>" + payload + "</message>");
            } else {
                s.toClient(1, at, "<message from='" + contact + "/phone' to='alice@a.example/phone' type='chat' id='m" + i + "'>"
                        + payload + "</message>");
            }
        }
        return s.close(1, 10 + messages * 2, CloseReason.CLIENT_CLOSED);
    }
}
