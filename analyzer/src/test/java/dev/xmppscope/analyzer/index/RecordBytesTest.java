package dev.xmppscope.analyzer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordBytesTest {

    @Test
    void stringsComeBackAsWrittenWhateverTheirCharacters() {
        List<String> values = java.util.Arrays.asList("message", "", null, "alice@a.example/phone",
                "h\u00e9llo \uD83D\uDE00 & co", "\u00ff", "\uD800 unpaired", "x".repeat(300),
                "y".repeat(5000) + "\u00e9", "z".repeat(3000));
        RecordBytes.Writer w = new RecordBytes.Writer();
        for (String v : values) {
            w.string(v);
        }
        RecordBytes.Reader r = new RecordBytes.Reader(w.toArray());
        for (String v : values) {
            String back = r.string();
            if (v == null) {
                assertNull(back);
            } else {
                // as String.getBytes(UTF_8) encodes it: an unpaired surrogate becomes '?'
                assertEquals(new String(v.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        java.nio.charset.StandardCharsets.UTF_8), back);
            }
        }
    }
}
