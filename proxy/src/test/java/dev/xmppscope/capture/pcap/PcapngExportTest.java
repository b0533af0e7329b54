package dev.xmppscope.capture.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureStore;
import dev.xmppscope.capture.CaptureWriter;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.CloseReason;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import dev.xmppscope.capture.file.CaptureFiles;
import dev.xmppscope.capture.file.CollectingSink;
import dev.xmppscope.capture.file.ProgressBar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapngExportTest {
    private static final Pattern TOP_LEVEL = Pattern.compile(
            "<(/?stream:stream|starttls|proceed|message|iq|presence)\\b([^>]*)>");
    private static final Pattern ID = Pattern.compile("\\bid=['\"]([^'\"]+)['\"]");

    @TempDir
    Path tmp;

    /** A c2s stream that turns to intercepted TLS after STARTTLS, and the s2s stream it federates over. */
    static final List<Object[]> CONVERSATION = List.of(
            new Object[] {1L, Direction.TO_SERVER, TlsLayer.PLAIN, "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' to='a.example' version='1.0'>"},
            new Object[] {1L, Direction.TO_CLIENT, TlsLayer.PLAIN, "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' id='s1' from='a.example' version='1.0'><stream:features>"
                    + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>"},
            new Object[] {1L, Direction.TO_SERVER, TlsLayer.PLAIN, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"},
            new Object[] {1L, Direction.TO_CLIENT, TlsLayer.PLAIN, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"},
            new Object[] {1L, Direction.TO_SERVER, TlsLayer.DECRYPTED, "<stream:stream xmlns='jabber:client' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' to='a.example' version='1.0'>"},
            new Object[] {1L, Direction.TO_CLIENT, TlsLayer.DECRYPTED, "<stream:stream xmlns='jabber:client' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' id='s2' from='a.example' version='1.0'>"
                    + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>"},
            new Object[] {1L, Direction.TO_SERVER, TlsLayer.DECRYPTED, "<iq type='set' id='bind1'><bind "
                    + "xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>phone</resource></bind></iq>"},
            new Object[] {1L, Direction.TO_CLIENT, TlsLayer.DECRYPTED, "<iq type='result' id='bind1'><bind "
                    + "xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@a.example/phone</jid></bind></iq>"},
            new Object[] {1L, Direction.TO_SERVER, TlsLayer.DECRYPTED, "<presence id='p1'/><message id='m1' "
                    + "to='bob@b.example' type='chat'><body>" + "hello bob, ".repeat(3000) + "</body></message>"},
            new Object[] {2L, Direction.TO_SERVER, TlsLayer.PLAIN, "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' from='a.example' "
                    + "to='b.example' version='1.0'>"},
            new Object[] {2L, Direction.TO_CLIENT, TlsLayer.PLAIN, "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' id='s3' "
                    + "from='b.example' to='a.example' version='1.0'><stream:features/>"},
            new Object[] {2L, Direction.TO_SERVER, TlsLayer.PLAIN, "<message id='m1' from='alice@a.example/phone' "
                    + "to='bob@b.example' type='chat'><body>hello</body></message>"},
            new Object[] {1L, Direction.TO_SERVER, TlsLayer.DECRYPTED, "</stream:stream>"},
            new Object[] {1L, Direction.TO_CLIENT, TlsLayer.DECRYPTED, "</stream:stream>"});

    static void recordConversation(CaptureStore store) {
        long t = 1_764_000_000_123_456_789L;
        try (CaptureWriter w = store.newWriter()) {
            w.opened(new ConnectionOpened(1, "127.0.0.12:5222=127.0.0.2:5222", "127.0.0.12:5222", "127.0.0.1:41000",
                    "127.0.0.2:5222", TlsMode.INTERCEPT, t));
            w.opened(new ConnectionOpened(2, "127.0.0.13:5269=127.0.0.3:5269", "127.0.0.13:5269", "127.0.0.1:41001",
                    "127.0.0.3:5269", TlsMode.INTERCEPT, t + 1000));
            long[] offsets = new long[8];
            long seq = 0;
            for (Object[] c : CONVERSATION) {
                long conn = (Long) c[0];
                Direction d = (Direction) c[1];
                TlsLayer layer = (TlsLayer) c[2];
                byte[] bytes = ((String) c[3]).getBytes(StandardCharsets.UTF_8);
                int slot = (int) ((conn - 1) * 4 + d.code() * 2 + layer.code());
                t += 1_000_000;
                w.chunk(Chunk.of(conn, ++seq, d, t, layer, offsets[slot], bytes));
                offsets[slot] += bytes.length;
            }
            w.closed(new ConnectionClosed(1, t + 1_000_000, CloseReason.CLIENT_CLOSED, "", 0, 0));
        }
    }

    @Test
    void tsharkDecodesTheExportedPcapngIntoTheSameStanzasInBothDirections() throws Exception {
        Path pcapng = tmp.resolve("out.pcapng");
        try (CaptureStore store = CaptureStore.open(tmp.resolve("db"))) {
            recordConversation(store);
            long frames = CaptureFiles.export(store, pcapng, Map.of(), ProgressBar.NONE);
            assertTrue(frames > 20, "handshakes, data and FINs: " + frames);
        }
        List<String> expected = new ArrayList<>();
        for (Object[] c : CONVERSATION) {
            Matcher m = TOP_LEVEL.matcher((String) c[3]);
            while (m.find()) {
                if (m.group(1).equals("starttls") && c[1] == Direction.TO_CLIENT) {
                    continue; // the offer inside <stream:features>, which tshark shows nested in the stream header
                }
                String name = switch (m.group(1)) {
                    case "stream:stream" -> "stream";
                    case "/stream:stream" -> "stream_end";
                    default -> m.group(1);
                };
                Matcher id = ID.matcher(m.group(2));
                boolean stanza = Set3.STANZAS.contains(name);
                expected.add(((Direction) c[1]).wireName() + " " + name + " " + (stanza && id.find() ? id.group(1) : "-"));
            }
        }
        assertEquals(expected, Tshark.xmppElements(pcapng));
    }

    @Test
    void theExportReadsBackThroughThePcapImporterWithTheSameBytes() throws Exception {
        Path pcapng = tmp.resolve("out.pcapng");
        try (CaptureStore store = CaptureStore.open(tmp.resolve("db"))) {
            recordConversation(store);
            CaptureFiles.export(store, pcapng, Map.of(), ProgressBar.NONE);
        }
        CollectingSink sink = new CollectingSink();
        new PcapImporter(pcapng).replay(sink);
        StringBuilder toServer = new StringBuilder();
        for (Object[] c : CONVERSATION) {
            if (c[0].equals(2L) && c[1] == Direction.TO_SERVER) {
                toServer.append((String) c[3]);
            }
        }
        // three TCP conversations: c2s before TLS, c2s inside TLS (its own conversation), s2s
        assertEquals(3, sink.lines.stream().filter(l -> l.startsWith("ConnectionOpened")).count(), String.join("\n", sink.lines));
        assertTrue(sink.lines.stream().anyMatch(l -> l.contains("server=127.0.0.3:5269")), "s2s on the standard port");
        assertTrue(sink.lines.stream().anyMatch(l -> l.contains("EventKind") || l.contains("STARTTLS_PROCEED")),
                "the importer sees STARTTLS proceed on the first conversation");
    }

    /**
     * Who ended a connection, and how, survives the round trip: the side that closed first sends
     * the first FIN, a reset is an RST from the side that reset it, which is how a pcap's reader
     * (xmppscope's importer among them) tells them. Every conversation used to end with the
     * client's FIN first, so a server's close, or any reset, read back as the client's close.
     */
    @Test
    void whoEndedAConnectionAndHowReadBack() {
        for (CloseReason reason : List.of(CloseReason.SERVER_CLOSED, CloseReason.CLIENT_CLOSED, CloseReason.SERVER_RESET,
                CloseReason.CLIENT_RESET)) {
            Path db = tmp.resolve("closed-" + reason);
            Path pcapng = tmp.resolve(reason + ".pcapng");
            try (CaptureStore store = CaptureStore.open(db)) {
                long t = 1_764_000_000_123_456_789L;
                try (CaptureWriter w = store.newWriter()) {
                    w.opened(new ConnectionOpened(1, "127.0.0.12:5222=127.0.0.2:5222", "127.0.0.12:5222", "127.0.0.1:41000",
                            "127.0.0.2:5222", TlsMode.PASSTHROUGH, t));
                    byte[] header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='a.example'>"
                            .getBytes(StandardCharsets.UTF_8);
                    w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, t + 1_000, TlsLayer.PLAIN, 0, header));
                    w.closed(new ConnectionClosed(1, t + 2_000_000, reason, "", header.length, 0));
                }
                CaptureFiles.export(store, pcapng, Map.of(), ProgressBar.NONE);
            }
            CollectingSink sink = new CollectingSink();
            new PcapImporter(pcapng).replay(sink);
            List<String> closes = sink.lines.stream().filter(l -> l.startsWith("ConnectionClosed")).toList();
            assertEquals(1, closes.size(), String.join("\n", sink.lines));
            assertTrue(closes.get(0).contains("reason=" + reason), reason + " read back as " + closes.get(0));
        }
    }

    /**
     * A connection over IPv6 (a proxy listening on [::1]) is exported as an IPv6 conversation,
     * with its addresses: it used to be written as 127.0.0.1 ↔ 127.0.0.2. Beside an IPv4 upstream,
     * the upstream is written IPv4-mapped. tshark decodes both; the importer reads them back.
     */
    @Test
    void ipv6ConnectionsAreExportedAsIpv6Conversations() throws Exception {
        Path pcapng = tmp.resolve("v6.pcapng");
        byte[] message = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='a.example'>"
                .concat("<message id='v6' to='bob@a.example'><body>over IPv6</body></message>").getBytes(StandardCharsets.UTF_8);
        try (CaptureStore store = CaptureStore.open(tmp.resolve("v6"))) {
            long t = 1_764_000_000_123_456_789L;
            try (CaptureWriter w = store.newWriter()) {
                w.opened(new ConnectionOpened(1, "[::1]:5222=[::1]:15222", "[::1]:5222", "[::1]:41000", "[::1]:15222",
                        TlsMode.PASSTHROUGH, t));
                w.opened(new ConnectionOpened(2, "[::1]:5222=127.0.0.2:5222", "[::1]:5222", "[::1]:41002", "127.0.0.2:5222",
                        TlsMode.PASSTHROUGH, t));
                w.chunk(Chunk.of(1, 1, Direction.TO_SERVER, t + 1_000, TlsLayer.PLAIN, 0, message));
                w.chunk(Chunk.of(2, 2, Direction.TO_SERVER, t + 2_000, TlsLayer.PLAIN, 0, message));
            }
            CaptureFiles.export(store, pcapng, Map.of(), ProgressBar.NONE);
        }
        assertEquals(List.of("toServer stream -", "toServer message v6", "toServer stream -", "toServer message v6"),
                Tshark.xmppElements(pcapng));
        CollectingSink sink = new CollectingSink();
        new PcapImporter(pcapng).replay(sink);
        List<String> opened = sink.lines.stream().filter(l -> l.startsWith("ConnectionOpened")).toList();
        assertEquals(2, opened.size(), String.join("\n", sink.lines));
        assertTrue(opened.get(0).contains("client=[::1]:41000") && opened.get(0).contains("server=[::1]:5222"), opened.get(0));
        assertTrue(opened.get(1).contains("client=[::1]:41002") && opened.get(1).contains("server=127.0.0.2:5222"), opened.get(1));
    }

    /** Elements whose id tshark reports. */
    private static final class Set3 {
        static final java.util.Set<String> STANZAS = java.util.Set.of("message", "iq", "presence");
    }
}
