package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.StoredPayloads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan reads the stanzas' XML out of the payload file a window at a time, in whichever direction
 * it goes: a search back from the newest page (where a growing capture opens, and "Load earlier")
 * read a whole window for each stanza it met, thirty times slower than the same search forwards.
 */
class PayloadWindowTest {
    @TempDir
    Path tmp;

    @Test
    void aScanEitherWayReadsTheFileAboutOnce() throws IOException {
        List<long[]> stanzas = new ArrayList<>(); // position, length
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            String xml = "<message id='m" + i + "'><body>" + "x".repeat(i % 300) + "</body></message>";
            stanzas.add(new long[] {file.length(), xml.length()});
            file.append(xml);
        }
        byte[] bytes = file.toString().getBytes(StandardCharsets.US_ASCII);
        Path capture = tmp.resolve("capture");
        Files.write(CaptureStore.payloadFile(capture), bytes);
        try (StoredPayloads payloads = StoredPayloads.openReadOnly(capture)) {
            long[] read = {0};
            PayloadWindow.Source counted = (position, length) -> {
                byte[] b = payloads.readUpTo(position, length);
                read[0] += b.length;
                return b;
            };

            PayloadWindow forwards = new PayloadWindow(counted);
            for (long[] s : stanzas) {
                assertArrayEquals(slice(bytes, s), forwards.read(s[0], (int) s[1]));
            }
            assertTrue(read[0] < 2L * bytes.length, "forwards: " + read[0] + " bytes read for a file of " + bytes.length);

            read[0] = 0;
            PayloadWindow backwards = new PayloadWindow(counted);
            for (int i = stanzas.size() - 1; i >= 0; i--) {
                long[] s = stanzas.get(i);
                assertArrayEquals(slice(bytes, s), backwards.read(s[0], (int) s[1]), "stanza " + i);
            }
            assertTrue(read[0] < 2L * bytes.length, "backwards: " + read[0] + " bytes read for a file of " + bytes.length);

            assertNull(backwards.read(bytes.length - 10, 20), "past the end of the file");
        }
    }

    private static byte[] slice(byte[] bytes, long[] s) {
        return Arrays.copyOfRange(bytes, (int) s[0], (int) (s[0] + s[1]));
    }
}
