package dev.xmppscope.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Damage done to a stream at random, as tests of what reads streams apply it. */
public final class Damage {
    /** What may be inserted: markup characters, and characters of two and three UTF-8 bytes. */
    private static final String INSERTS = "<>/&;'\"=![]-?x \n\u00e9\u2615";

    private Damage() {
    }

    /** One to three damages: a few bytes dropped (a UTF-8 character may be cut), one inserted, a piece repeated. */
    public static byte[] of(byte[] in, Random random) {
        byte[] b = in;
        for (int k = 1 + random.nextInt(3); k > 0; k--) {
            int at = random.nextInt(b.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(b, 0, at);
            switch (random.nextInt(3)) {
                case 0 -> at = Math.min(b.length, at + 1 + random.nextInt(5));
                case 1 -> out.writeBytes(String.valueOf(INSERTS.charAt(random.nextInt(INSERTS.length())))
                        .getBytes(StandardCharsets.UTF_8));
                default -> out.write(b, Math.max(0, at - 20), Math.min(20, at));
            }
            out.write(b, at, b.length - at);
            b = out.toByteArray();
        }
        return b;
    }
}
