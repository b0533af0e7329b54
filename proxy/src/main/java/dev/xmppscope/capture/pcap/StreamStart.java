package dev.xmppscope.capture.pcap;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Whether a direction's first bytes are where an XMPP connection begins: an XML declaration or a
 * stream header (any prefix), or a TLS handshake record (a Direct TLS ClientHello or ServerHello).
 */
final class StreamStart {
    /** A byte order mark (read as ISO-8859-1), whitespace, then {@code <?xml} or {@code <stream} / {@code <p:stream}. */
    private static final Pattern XML_START = Pattern.compile(
            "\\A(\u00ef\u00bb\u00bf)?[ \\t\\r\\n]*<(\\?xml[ \\t\\r\\n?]|([A-Za-z_][-\\w.]*:)?stream[ \\t\\r\\n>/])");
    private static final int TLS_HANDSHAKE = 0x16;

    private StreamStart() {
    }

    static boolean isStart(byte[] data) {
        if (data.length >= 2 && data[0] == TLS_HANDSHAKE && data[1] == 0x03) {
            return true;
        }
        return XML_START.matcher(new String(data, 0, Math.min(data.length, 128), StandardCharsets.ISO_8859_1)).find();
    }
}
