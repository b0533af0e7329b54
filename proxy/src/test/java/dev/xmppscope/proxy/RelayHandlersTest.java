package dev.xmppscope.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.capture.TlsMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The frontend/backend handlers and the wire taps, driven through Netty's EmbeddedChannel. */
class RelayHandlersTest {
    private final List<Object> recorded = new ArrayList<>();
    private final CaptureSink sink = new CaptureSink() {
        public void opened(ConnectionOpened c) { recorded.add(c); }
        public void chunk(Chunk c) { recorded.add(c); }
        public void event(ConnectionEvent e) { recorded.add(e); }
        public void closed(ConnectionClosed c) { recorded.add(c); }
    };
    private EmbeddedChannel client;
    private EmbeddedChannel server;
    private ProxiedConnection connection;

    private void wire(TlsMode mode) {
        ProxyContext ctx = new ProxyContext(sink, new TlsContexts(null, true, java.util.List.of()), new AtomicLong(7)::getAndIncrement);
        Route route = Route.parse("127.0.0.1:5222=127.0.0.2:5222", mode);
        client = new EmbeddedChannel();
        connection = new ProxiedConnection(route, ctx, client);
        client.pipeline().addLast(WireTap.NAME, new WireTap(connection, ProxiedConnection.Side.CLIENT));
        client.pipeline().addLast(new FrontendHandler(connection));
        connection.recordOpened();
        assertFalse(client.config().isAutoRead(), "no reading from the client before the upstream is there");
        server = new EmbeddedChannel();
        server.pipeline().addLast(WireTap.NAME, new WireTap(connection, ProxiedConnection.Side.SERVER));
        server.pipeline().addLast(new BackendHandler(connection));
        connection.upstreamConnected(server);
        assertTrue(client.config().isAutoRead());
    }

    @Test
    void bytesAreRelayedUnchangedAndRecordedAsPlainChunks() {
        wire(TlsMode.PASSTHROUGH);
        client.writeInbound(buf("<stream:stream to='a.example'>"));
        assertEquals("<stream:stream to='a.example'>", readOutbound(server));
        server.writeInbound(buf("<stream:stream from='a.example'>"));
        assertEquals("<stream:stream from='a.example'>", readOutbound(client));
        List<Chunk> chunks = chunks();
        assertEquals(2, chunks.size());
        assertEquals(Direction.TO_SERVER, chunks.get(0).direction());
        assertEquals(1, chunks.get(0).seq());
        assertEquals(TlsLayer.PLAIN, chunks.get(1).layer());
        assertEquals(7, chunks.get(1).connectionId());
    }

    @Test
    void passedThroughStartTlsRecordsLengthsOnlyFromTheByteAfterProceed() {
        wire(TlsMode.PASSTHROUGH);
        client.writeInbound(buf("<stream:stream to='a.example' xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"));
        readOutbound(server);
        String proceed = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
        server.writeInbound(buf("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>" + proceed + "\u0016\u0003"));
        assertTrue(readAllOutbound(client).endsWith(proceed + "\u0016\u0003"), "relayed byte for byte");
        client.writeInbound(buf("\u0016\u0003\u0001 client hello"));
        assertEquals("\u0016\u0003\u0001 client hello", readOutbound(server));
        List<Chunk> chunks = chunks();
        assertEquals(List.of(TlsLayer.PLAIN, TlsLayer.PLAIN, TlsLayer.ENCRYPTED, TlsLayer.ENCRYPTED),
                chunks.stream().map(Chunk::layer).toList());
        assertEquals(2, chunks.get(2).length());
        assertEquals(0, chunks.get(2).bytes().length, "ciphertext is never kept");
        assertEquals(1, events(EventKind.STARTTLS_PROCEED).size());
    }

    @Test
    void aClientHelloFirstIsDirectTls() {
        wire(TlsMode.PASSTHROUGH);
        client.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05}));
        assertEquals(5, ((ByteBuf) server.readOutbound()).readableBytes());
        assertEquals(1, events(EventKind.DIRECT_TLS_DETECTED).size());
        assertEquals(TlsLayer.ENCRYPTED, chunks().get(0).layer());
    }

    /** A ClientHello longer than a read (a post-quantum key share makes one over 1,500 bytes): read once its last piece comes. */
    @Test
    void aClientHelloPassedThroughInPiecesIsReadWhenWhole() throws Exception {
        wire(TlsMode.PASSTHROUGH);
        javax.net.ssl.SSLEngine engine = javax.net.ssl.SSLContext.getDefault().createSSLEngine();
        engine.setUseClientMode(true);
        javax.net.ssl.SSLParameters p = engine.getSSLParameters();
        p.setServerNames(List.of(new javax.net.ssl.SNIHostName("a.example")));
        p.setApplicationProtocols(new String[] {"xmpp-client"});
        engine.setSSLParameters(p);
        java.nio.ByteBuffer hello = java.nio.ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(java.nio.ByteBuffer.allocate(0), hello);
        hello.flip();
        byte[] record = new byte[hello.remaining()];
        hello.get(record);

        client.writeInbound(Unpooled.wrappedBuffer(record, 0, 100));
        assertEquals(List.of(), events(EventKind.TLS_CLIENT_HELLO), "not whole yet");
        client.writeInbound(Unpooled.wrappedBuffer(record, 100, record.length - 100));
        assertEquals(List.of("sni=a.example; alpn=xmpp-client"), events(EventKind.TLS_CLIENT_HELLO).stream()
                .map(ConnectionEvent::detail).toList());
        assertEquals(record.length, ((ByteBuf) server.readOutbound()).readableBytes() + ((ByteBuf) server.readOutbound()).readableBytes(),
                "relayed as it came");
    }

    @Test
    void aBusyPeerStopsReadsOnTheOtherSideUntilItDrains() {
        wire(TlsMode.PASSTHROUGH);
        server.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        server.runPendingTasks();
        assertFalse(client.config().isAutoRead(), "upstream not writable: stop reading the client");
        server.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        server.runPendingTasks();
        assertTrue(client.config().isAutoRead());
        client.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        client.runPendingTasks();
        assertFalse(server.config().isAutoRead(), "client not writable: stop reading the upstream");
    }

    @Test
    void interceptedFeaturesLoseTheirPlusMechanismsAndTheChangeIsRecorded() {
        wire(TlsMode.INTERCEPT);
        connection.clientWire = ProxiedConnection.Wire.INTERCEPTED; // as after a completed interception
        connection.serverWire = ProxiedConnection.Wire.INTERCEPTED;
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
        server.writeInbound(buf(header + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + "<mechanism>SCRAM-SHA-1-PLUS</mech"));
        server.writeInbound(buf("anism><mechanism>PLAIN</mechanism></mechanisms></stream:features>"));
        assertEquals(header + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + "<mechanism>PLAIN</mechanism></mechanisms></stream:features>", readAllOutbound(client));
        assertEquals(1, events(EventKind.PLUS_MECHANISMS_STRIPPED).size());
        assertTrue(new String(chunks().get(0).bytes(), StandardCharsets.UTF_8).contains("SCRAM-SHA-1-PLUS"),
                "the recording keeps what the server sent");
        assertEquals(TlsLayer.DECRYPTED, chunks().get(0).layer());
    }

    @Test
    void aFinFromTheClientIsRecordedAsAHalfClose() {
        wire(TlsMode.PASSTHROUGH);
        client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals(1, events(EventKind.HALF_CLOSED).size());
        assertEquals(Direction.TO_SERVER, events(EventKind.HALF_CLOSED).get(0).direction());
    }

    private List<Chunk> chunks() {
        return recorded.stream().filter(Chunk.class::isInstance).map(Chunk.class::cast).toList();
    }

    private List<ConnectionEvent> events(EventKind kind) {
        return recorded.stream().filter(ConnectionEvent.class::isInstance).map(ConnectionEvent.class::cast)
                .filter(e -> e.kind() == kind).toList();
    }

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static String readOutbound(EmbeddedChannel ch) {
        ByteBuf b = ch.readOutbound();
        try {
            return b.toString(StandardCharsets.ISO_8859_1);
        } finally {
            b.release();
        }
    }

    private static String readAllOutbound(EmbeddedChannel ch) {
        StringBuilder s = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            s.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return s.toString();
    }
}
