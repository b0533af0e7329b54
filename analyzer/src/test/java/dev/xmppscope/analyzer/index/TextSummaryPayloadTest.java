package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaSummary;
import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.StoredPayloads;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block whose XML the payload file no longer holds (moved or cut short) gets no text summary:
 * once the file is whole again, a search finds what is there. A summary made of nothing ruled
 * the block out for good, while the capture stayed open.
 */
class TextSummaryPayloadTest {
    @TempDir
    Path tmp;

    @Test
    void aBlockWhoseXmlWasMissingIsSearchedOnceTheFileIsWholeAgain() throws Exception {
        Path capture = tmp.resolve("capture");
        Path payloadFile = CaptureStore.payloadFile(capture);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        MVStore mv = new MVStore.Builder().fileName(tmp.resolve("analysis.mv.db").toString()).open();
        try (StoredPayloads payloads = StoredPayloads.openReadOnly(capture)) {
            StanzaIndex index = new StanzaIndex(mv, tmp.resolve("analysis.mv.db"), false, payloads, BlockSummaries.MAX_BYTES);
            int n = 3 * BlockSummaries.BLOCK;
            int cut = 0;
            for (int i = 0; i < n; i++) {
                if (i == BlockSummaries.BLOCK) {
                    cut = payload.size(); // the file holds the first block's XML only, at first
                }
                byte[] xml = ("<message id='m-" + i + "'><body>" + (i == 5000 ? "zebra crossing" : "hello") + "</body></message>")
                        .getBytes(StandardCharsets.UTF_8);
                long pk = StanzaIndex.rowKey(1, 0, i);
                StanzaSummary summary = new StanzaSummary(StanzaIndex.ref(pk), 1, "toServer", 1_000L * i, "message", "chat",
                        "alice@a.example/r", "bob@b.example", "m-" + i, List.of("jabber:client"), List.of(), "chat", xml.length,
                        payload.size(), "ok");
                index.add(new IndexedStanza(pk, 0, summary, "alice@a.example/r", "bob@b.example", "alice@a.example",
                        "bob@b.example", 0, null, -1, null, payload.size()));
                payload.write(xml);
            }
            index.sync();
            byte[] all = payload.toByteArray();
            Files.write(payloadFile, Arrays.copyOf(all, cut));
            StanzaQuery zebra = new StanzaQuery("zebra", null, null, null, null, null, null, null, null, null, 50);

            assertEquals(List.of(), TimelinePages.forwards(index, zebra), "its XML is not there");
            assertEquals(1, index.blockTextsSummarized(), "only the block whose XML was read");

            Files.write(payloadFile, Arrays.copyOfRange(all, cut, all.length), StandardOpenOption.APPEND);
            assertEquals(List.of("1-s-5000"), TimelinePages.forwards(index, zebra), "found once the file is whole");
            index.close();
        } finally {
            mv.close();
        }
    }
}
