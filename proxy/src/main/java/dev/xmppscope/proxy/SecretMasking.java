package dev.xmppscope.proxy;

import dev.xmppscope.capture.CaptureSink;
import dev.xmppscope.capture.Chunk;
import dev.xmppscope.capture.ConnectionClosed;
import dev.xmppscope.capture.ConnectionEvent;
import dev.xmppscope.capture.ConnectionOpened;
import dev.xmppscope.capture.Direction;
import dev.xmppscope.capture.EventKind;
import dev.xmppscope.capture.TlsLayer;
import dev.xmppscope.proxy.xmpp.SecretRedactor;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Masks secrets in the chunks of a capture as they are produced, with a {@link SecretRedactor}
 * per stream (a direction of one TLS layer of a connection), and says what it masked with a
 * {@code SECRET_REDACTED} event beside the chunk. The proxy's recorder masks what it records;
 * importing a pcap masks what the file holds, so that the database, the UI and what is exported
 * from them show no password whichever way the bytes came in.
 */
public final class SecretMasking {
    private static final Logger LOG = LoggerFactory.getLogger(SecretMasking.class);
    /** Between the kinds of secret and where they were masked, in a SECRET_REDACTED event's detail. */
    private static final String MASKED = " masked ";
    /**
     * Marks a stream whose redactor failed. Its state is lost, and a fresh one could miss a
     * secret it is already inside of, so the rest of that stream is masked whole (saying so
     * once, with the chunk that failed).
     */
    private static final StreamRedactor FAILED = bytes -> maskedWhole(bytes, Set.of());
    private static final String FAILED_KIND = "everything from here on this stream (the secret redactor failed: a bug,"
            + " see the log; --keep-secrets keeps it unmasked)";

    /**
     * Masks the secrets in one stream's next bytes, keeping state between calls
     * ({@link SecretRedactor#redact}); returns the very array it was given when nothing was masked.
     */
    @FunctionalInterface
    interface StreamRedactor {
        SecretRedactor.Result redact(byte[] bytes);
    }

    private final boolean keepSecrets;
    private final Supplier<StreamRedactor> newRedactor;
    /** Where the masking happens and what still holds the secret, for the events: "in the recording", "the relayed bytes". */
    private final String where;
    private final String unchanged;
    // each stream is used by one thread at a time (a connection's event loop), but the map is shared by all of them
    private final Map<StreamKey, StreamRedactor> redactors = new ConcurrentHashMap<>();
    private final AtomicBoolean reportedFailure = new AtomicBoolean();

    private SecretMasking(boolean keepSecrets, Supplier<StreamRedactor> newRedactor, String where, String unchanged) {
        this.keepSecrets = keepSecrets;
        this.newRedactor = newRedactor;
        this.where = where;
        this.unchanged = unchanged;
    }

    /** What the proxy records: masked unless {@code keepSecrets}. */
    static SecretMasking ofRecording(boolean keepSecrets, Supplier<StreamRedactor> newRedactor) {
        return new SecretMasking(keepSecrets, newRedactor, "in the recording", "the relayed bytes are unchanged");
    }

    /** What is imported from {@code source} (a pcap file, say): masked unless {@code keepSecrets}. */
    public static SecretMasking ofImport(String source, boolean keepSecrets) {
        return new SecretMasking(keepSecrets, () -> new SecretRedactor()::redact, "on import", source + " is unchanged");
    }

    /** One recorded stream: a direction of one TLS layer of a connection. */
    private record StreamKey(long connection, Direction direction, TlsLayer layer) {
    }

    /**
     * The chunk's bytes with its secrets masked, or null when its stream is not masked (kept
     * secrets, ciphertext). Never throws: the proxy calls this in the relay's handlers, where an
     * exception would close the connection over a recording problem.
     */
    private SecretRedactor.Result redact(Chunk c) {
        if (keepSecrets || !c.layer().isXml()) {
            return null;
        }
        StreamKey key = new StreamKey(c.connectionId(), c.direction(), c.layer());
        StreamRedactor redactor = redactors.computeIfAbsent(key, k -> newRedactor.get());
        try {
            return redactor.redact(c.bytes());
        } catch (RuntimeException | StackOverflowError e) {
            redactors.put(key, FAILED);
            if (reportedFailure.compareAndSet(false, true)) {
                LOG.error("the secret redactor failed on connection {} ({}); the rest of that stream is masked whole {},"
                        + " {}. Please report this with the stack trace.", c.connectionId(), c.direction(), where, unchanged, e);
            } else {
                LOG.warn("the secret redactor failed on connection {} ({}): {}", c.connectionId(), c.direction(), e.toString());
            }
            return maskedWhole(c.bytes(), Set.of(FAILED_KIND));
        }
    }

    private static SecretRedactor.Result maskedWhole(byte[] bytes, Set<String> kinds) {
        byte[] masked = new byte[bytes.length];
        Arrays.fill(masked, (byte) '*');
        return new SecretRedactor.Result(masked, kinds);
    }

    /** Drops a closed connection's redactors: by key, not by scanning, as thousands may close at once. */
    private void forget(long connection) {
        for (Direction d : Direction.values()) {
            for (TlsLayer layer : TlsLayer.values()) {
                redactors.remove(new StreamKey(connection, d, layer));
            }
        }
    }

    private ConnectionEvent redactedEvent(Chunk c, SecretRedactor.Result masked) {
        return redactedEvent(c, masked.kinds(), where, unchanged);
    }

    /**
     * The {@code SECRET_REDACTED} event that says what ({@code kinds}) was masked in chunk {@code c},
     * {@code where} ("in the recording"), and what still holds it ({@code unchanged}). It shares the
     * chunk's seq: events and chunks are separate tables, and the event sits with its chunk.
     */
    public static ConnectionEvent redactedEvent(Chunk c, Set<String> kinds, String where, String unchanged) {
        return new ConnectionEvent(c.connectionId(), c.seq(), c.atNanos(), c.direction(), EventKind.SECRET_REDACTED,
                String.join(", ", kinds) + MASKED + where + " (" + c.layer().name().toLowerCase(Locale.ROOT)
                        + " chunk " + c.seq() + "); " + unchanged);
    }

    /** What a {@link #redactedEvent} says was masked: its kinds, as one text ("SASL PLAIN password (the username is kept)"). */
    public static String maskedKinds(ConnectionEvent e) {
        int cut = e.detail().indexOf(MASKED);
        return cut < 0 ? e.detail() : e.detail().substring(0, cut);
    }

    /** {@code next} fed masked chunks, each with its {@code SECRET_REDACTED} event after it. */
    public CaptureSink masking(CaptureSink next) {
        return new CaptureSink() {
            @Override
            public void opened(ConnectionOpened connection) {
                next.opened(connection);
            }

            @Override
            public void chunk(Chunk chunk) {
                SecretRedactor.Result masked = redact(chunk);
                if (masked == null || masked.bytes() == chunk.bytes()) {
                    next.chunk(chunk);
                    return;
                }
                next.chunk(chunk.withBytes(masked.bytes(), true));
                if (masked.redacted()) {
                    next.event(redactedEvent(chunk, masked));
                }
            }

            @Override
            public void event(ConnectionEvent event) {
                next.event(event);
            }

            @Override
            public void closed(ConnectionClosed connection) {
                forget(connection.id());
                next.closed(connection);
            }

            @Override
            public void flushed() {
                next.flushed();
            }

            @Override
            public boolean takesChunks() {
                return next.takesChunks();
            }
        };
    }
}
