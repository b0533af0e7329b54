package dev.xmppscope.proxy.xmpp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.ByteSearch;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The word-at-a-time prefix check against the plain definition, at every length. */
class ByteScanTest {
    @Test
    void nameHasColonAgreesWithReadingTheNameByteByByte() {
        String[] tags = {"password>", "muc:password>", "averyverylongprefix:password/>", "x xmlns:c='a'>",
                "abcdefgh:x>", "abcdefg:x>", "abcdefghij>", "a\tb:c='d'>", "x/>", "c:x/>", "password\n>", "p:"};
        for (String t : tags) {
            byte[] tag = ("  <" + t + " trailing:bytes").getBytes(StandardCharsets.US_ASCII);
            // the caller has the name's first eight bytes: it reads a name only that far from a read's end
            for (int to = 3 + 8; to <= tag.length; to++) {
                boolean prefixed = byteByByte(tag, 3, to);
                boolean answer = ByteScan.nameHasColon(ByteSearch.word(tag, 3), tag, 3, to);
                if (prefixed) {
                    assertTrue(answer, t + " read up to " + to + ": a prefix must never be missed");
                } else if (t.indexOf('\t') < 0) {
                    assertFalse(answer, t + " read up to " + to);
                }
            }
        }
    }

    /** The definition; the word-at-a-time path may also answer true where a tab or line break ends the name. */
    private static boolean byteByByte(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == ':') {
                return true;
            }
            if (ByteScan.endsName(b[i])) {
                return false;
            }
        }
        return true;
    }
}
