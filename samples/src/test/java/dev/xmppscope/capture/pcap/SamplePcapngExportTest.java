package dev.xmppscope.capture.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.file.XscapReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Each bundled sample, exported to pcapng, decodes in the real tshark into the same stanzas. */
class SamplePcapngExportTest {
    /** The elements tshark names, and the end tags of stanzas, which may hold stanzas (a carbon holds a message). */
    private static final Pattern TOP_LEVEL = Pattern.compile(
            "<(/?stream:stream|starttls|proceed|auth|failure|/?message|/?iq|/?presence)\\b([^>]*)>");
    private static final Pattern ID = Pattern.compile("\\sid=['\"]([^'\"]+)['\"]");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"federation", "negotiation", "failures"})
    void tsharkSeesTheSameStanzas(String name) throws Exception {
        Path sample = tmp.resolve(name + ".xscap");
        try (InputStream in = getClass().getResourceAsStream("/samples/" + name + ".xscap")) {
            Files.copy(in, sample);
        }
        XscapReader reader = XscapReader.open(sample);
        Path pcapng = tmp.resolve(name + ".pcapng");
        PcapngExport.write(reader, pcapng, n -> { });

        Map<String, StringBuilder> streams = new LinkedHashMap<>();
        reader.replay(CaptureSink.ofChunks(c -> {
            if (c.layer().isXml()) {
                streams.computeIfAbsent(c.connectionId() + " " + c.direction().wireName() + " " + c.layer(), k -> new StringBuilder())
                        .append(new String(c.bytes(), StandardCharsets.UTF_8));
            }
        }));
        List<String> expected = new ArrayList<>();
        streams.forEach((key, text) -> {
            String direction = key.split(" ")[1];
            Matcher m = TOP_LEVEL.matcher(text);
            int inStanza = 0; // tshark names the top-level stanzas, not a message a carbon carries
            while (m.find()) {
                String element = m.group(1);
                boolean stanza = element.matches("/?(message|iq|presence)");
                if (stanza && element.startsWith("/")) {
                    inStanza--;
                    continue;
                }
                boolean nested = stanza && inStanza > 0;
                if (stanza && !m.group(2).endsWith("/")) {
                    inStanza++;
                }
                if (nested || element.equals("starttls") && direction.equals(Direction.TO_CLIENT.wireName())) {
                    continue; // a stanza inside a stanza, or the STARTTLS offer inside <stream:features>
                }
                String kind = element.equals("stream:stream") ? "stream" : element.equals("/stream:stream") ? "stream_end" : element;
                Matcher id = ID.matcher(m.group(2));
                expected.add(direction + " " + kind + " " + (stanza && id.find() ? id.group(1) : "-"));
            }
        });
        // SASL challenge/response/success are left out: tshark 4.0 decodes them without naming them as elements
        List<String> decoded = new ArrayList<>(Tshark.xmppElements(pcapng).stream()
                .filter(e -> !e.matches(".* (challenge|response|success) .*")).toList());
        expected.sort(null);
        decoded.sort(null);
        assertTrue(expected.size() > 20, name + ": " + expected.size() + " elements");
        assertEquals(expected, decoded);
    }
}
