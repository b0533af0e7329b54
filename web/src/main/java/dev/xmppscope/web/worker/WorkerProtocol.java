package dev.xmppscope.web.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.xmppscope.analyzer.CaptureModel;
import dev.xmppscope.analyzer.model.ConnectionView;
import dev.xmppscope.analyzer.model.GraphSnapshot;
import dev.xmppscope.analyzer.model.ModelEvent;
import dev.xmppscope.analyzer.model.NegotiationStep;
import dev.xmppscope.analyzer.model.StanzaDetail;
import dev.xmppscope.analyzer.model.StanzaPage;
import dev.xmppscope.analyzer.model.StanzaQuery;
import dev.xmppscope.analyzer.model.StanzaRoute;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the proxy and its analysis worker say to each other over the worker's socket: frames of
 * JSON (a length, then the bytes). A connection starts with a hello naming its role:
 * <ul>
 *   <li>{@code rpc}: the proxy sends {@code {"id", "method", "arg"}}, one per {@link CaptureModel}
 *       query, the worker answers {@code {"id", "result"}} or {@code {"id", "error", "badRequest", "superseded"}};
 *   <li>{@code events}: the worker sends every {@link ModelEvent} as {@code {"type", "event"}}.
 * </ul>
 * The model's records travel as Jackson writes them; both ends run the same build.
 */
final class WorkerProtocol {
    static final String RPC = "rpc";
    static final String EVENTS = "events";
    /** Frames larger than this are refused: a stanza page or detail is far smaller. */
    private static final int MAX_FRAME = 256 << 20;
    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final Map<String, Class<?>> EVENT_TYPES = Arrays.stream(ModelEvent.class.getPermittedSubclasses())
            .collect(Collectors.toMap(Class::getSimpleName, Function.identity()));

    private WorkerProtocol() {
    }

    /** A query of {@link CaptureModel}: how the worker answers it and what type the answer has. */
    enum Query {
        CONNECTIONS((m, a) -> m.connections(), t -> t.constructCollectionType(List.class, ConnectionView.class)),
        CONNECTION((m, a) -> m.connection(a.asLong()).orElse(null), t -> t.constructType(ConnectionView.class)),
        NEGOTIATION((m, a) -> m.negotiation(a.asLong()), t -> t.constructCollectionType(List.class, NegotiationStep.class)),
        STANZAS((m, a) -> m.stanzas(convert(a, StanzaQuery.class)), t -> t.constructType(StanzaPage.class)),
        STANZA((m, a) -> m.stanza(a.asText()).orElse(null), t -> t.constructType(StanzaDetail.class)),
        ROUTE((m, a) -> m.route(a.asText()).orElse(null), t -> t.constructType(StanzaRoute.class)),
        GRAPH((m, a) -> m.graph(), t -> t.constructType(GraphSnapshot.class)),
        /** The worker's heap in use after a full collection, in bytes (what the benchmarks report). */
        HEAP((m, a) -> heapUsedAfterGc(), t -> t.constructType(Long.class));

        private final BiFunction<CaptureModel, JsonNode, Object> answer;
        private final Function<TypeFactory, JavaType> resultType;

        Query(BiFunction<CaptureModel, JsonNode, Object> answer, Function<TypeFactory, JavaType> resultType) {
            this.answer = answer;
            this.resultType = resultType;
        }

        Object answer(CaptureModel model, JsonNode arg) {
            return answer.apply(model, arg);
        }

        JavaType resultType() {
            return resultType.apply(JSON.getTypeFactory());
        }
    }

    static ObjectNode hello(String role) {
        return JSON.createObjectNode().put("role", role);
    }

    static ObjectNode event(ModelEvent e) {
        ObjectNode n = JSON.createObjectNode().put("type", e.getClass().getSimpleName());
        n.set("event", JSON.valueToTree(e));
        return n;
    }

    static ModelEvent event(JsonNode n) {
        Class<?> type = EVENT_TYPES.get(n.path("type").asText());
        if (type == null) {
            throw new IllegalArgumentException("unknown model event " + n.path("type"));
        }
        return (ModelEvent) convert(n.get("event"), type);
    }

    static <T> T convert(JsonNode n, Class<T> type) {
        try {
            return JSON.treeToValue(n, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    static void write(DataOutputStream out, JsonNode message) throws IOException {
        writeUnflushed(out, message);
        out.flush();
    }

    static void writeUnflushed(DataOutputStream out, JsonNode message) throws IOException {
        byte[] b = JSON.writeValueAsBytes(message);
        out.writeInt(b.length);
        out.write(b);
    }

    /** The next frame, or null at the end of the stream. */
    static JsonNode read(DataInputStream in) throws IOException {
        int n;
        try {
            n = in.readInt();
        } catch (java.io.EOFException e) {
            return null;
        }
        if (n < 0 || n > MAX_FRAME) {
            throw new IOException("not a worker frame (length " + n + ")");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return JSON.readTree(b);
    }

    /**
     * Streams over a socket channel that one thread reads while another writes. Not
     * {@code Channels.newInputStream}: on a blocking channel its streams share one lock (JDK 17),
     * so a reader waiting for the next frame would block every writer.
     */
    static DataInputStream input(SocketChannel channel) {
        return new DataInputStream(new BufferedInputStream(new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
            }
        }, 1 << 16));
    }

    static DataOutputStream output(SocketChannel channel) {
        return new DataOutputStream(new BufferedOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        }, 1 << 16));
    }

    private static long heapUsedAfterGc() {
        System.gc();
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
