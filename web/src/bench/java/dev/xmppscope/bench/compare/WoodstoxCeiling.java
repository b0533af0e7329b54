package dev.xmppscope.bench.compare;

import com.ctc.wstx.stax.WstxInputFactory;
import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.CaptureStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The ceiling for analysis: Woodstox pulling every event of each recorded direction as one
 * document, touching only the name of each stanza. Nothing an analyzer can do with the same
 * parser is cheaper.
 */
final class WoodstoxCeiling {
    private static final XMLInputFactory FACTORY = factory();
    private static volatile long blackhole;

    private WoodstoxCeiling() {
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = new WstxInputFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        return f;
    }

    /** Parses one direction of one stream; returns its stanzas (children of the stream root). */
    static long parseStream(byte[] bytes) {
        try {
            XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(bytes));
            long stanzas = 0;
            int depth = 0;
            int names = 0;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    if (++depth == 2) {
                        names += r.getLocalName().length();
                        stanzas++;
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            r.close();
            blackhole += names; // keeps the name reads from being optimised away
            return stanzas;
        } catch (XMLStreamException e) {
            throw new IllegalStateException("the synthetic capture is not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** Replays the capture database and parses each direction's bytes: store read + parse. */
    static long parseFromStore(Path db) {
        Map<String, ByteArrayOutputStream> sides = new LinkedHashMap<>();
        try (CaptureStore store = CaptureStore.open(db); var reader = store.newReader()) {
            reader.replay(CaptureSink.ofChunks(c -> {
                sides.computeIfAbsent(c.connectionId() + "/" + c.direction(), k -> new ByteArrayOutputStream(1 << 20))
                        .writeBytes(c.bytes());
            }));
        }
        long stanzas = 0;
        for (ByteArrayOutputStream side : sides.values()) {
            stanzas += parseStream(side.toByteArray());
        }
        return stanzas;
    }
}
