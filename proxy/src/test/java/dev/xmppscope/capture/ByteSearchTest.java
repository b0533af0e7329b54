package dev.xmppscope.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time search against the plain definition, at every start, end and alignment. */
class ByteSearchTest {
    @Test
    void aByteIsFoundWhereALoopFindsItWhateverSurroundsIt() {
        Random random = new Random(5222);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                // few values, high ones among them: a word's borrow must not report a byte that is not there
                b[i] = (byte) new int[] {'<', '>', 0x00, 0x01, 0x3b, 0x3d, 0x7f, 0x80, 0xbc, 0xff}[random.nextInt(10)];
            }
            byte wanted = (byte) (random.nextBoolean() ? '<' : 0xbc);
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            assertEquals(loop(b, wanted, from, to), ByteSearch.indexOf(b, wanted, from, to), "trial " + trial);
        }
    }

    @Test
    void eitherOfTwoBytesIsFoundWhereALoopFindsTheFirst() {
        Random random = new Random(5269);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) new int[] {'a', 'A', 'b', 0x00, 0x01, 0x40, 0x60, 0x80, 0xc1, 0xff}[random.nextInt(10)];
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int a = loop(b, (byte) 'a', from, to);
            int upper = loop(b, (byte) 'A', from, to);
            int first = a < 0 ? upper : upper < 0 ? a : Math.min(a, upper);
            assertEquals(first, ByteSearch.indexOfEither(b, (byte) 'a', (byte) 'A', from, to), "trial " + trial);
        }
    }

    @Test
    void aPartIsFoundAtItsFirstWholeOccurrence() {
        byte[] part = "<proceed".getBytes();
        assertEquals(-1, ByteSearch.indexOf("<procee".getBytes(), part), "cut short");
        assertEquals(-1, ByteSearch.indexOf("<<<proceeD <proceed".getBytes(), "<proceedX".getBytes()));
        assertEquals(2, ByteSearch.indexOf("<<<proceed/>".getBytes(), part), "after false starts");
        assertEquals(11, ByteSearch.indexOf("xxxxxxxxxxx<proceed".getBytes(), part), "at the very end");
    }

    private static int loop(byte[] b, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
