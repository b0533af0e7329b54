package dev.xmppscope.bench.load;

import io.netty.buffer.ByteBuf;
import java.util.function.LongConsumer;

/**
 * Finds the numeric ids of the latency probe's IQs ({@code id='q123'}) in a byte stream, however
 * TCP splits it: a tiny state machine, so neither side needs an XML parser on its hot path.
 */
public final class IqIdScanner {
    private static final byte[] PREFIX = "id='q".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private int matched;
    private long value;
    private boolean inDigits;

    /** Feeds every readable byte of {@code buf} (without consuming it); calls {@code onId} per id found. */
    public void feed(ByteBuf buf, LongConsumer onId) {
        for (int i = buf.readerIndex(), end = buf.writerIndex(); i < end; i++) {
            feed(buf.getByte(i), onId);
        }
    }

    void feed(byte b, LongConsumer onId) {
        if (inDigits) {
            if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
                return;
            }
            inDigits = false;
            if (b == '\'') {
                onId.accept(value);
            }
            matched = b == 'i' ? 1 : 0;
            return;
        }
        if (b == PREFIX[matched]) {
            if (++matched == PREFIX.length) {
                inDigits = true;
                value = 0;
                matched = 0;
            }
        } else {
            matched = b == 'i' ? 1 : 0;
        }
    }
}
