package dev.xmppscope.capture.file;

import dev.xmppscope.capture.TlsLayer;
import java.util.Locale;

/** Spellings of enum values in capture files, kept apart from Java's constant names. */
final class XscapNames {
    private XscapNames() {
    }

    static String layer(TlsLayer layer) {
        return layer.name().toLowerCase(Locale.ROOT);
    }

    static TlsLayer layer(String name) {
        for (TlsLayer l : TlsLayer.values()) {
            if (layer(l).equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown layer '" + name + "' (expected plain, decrypted or encrypted)");
    }
}
