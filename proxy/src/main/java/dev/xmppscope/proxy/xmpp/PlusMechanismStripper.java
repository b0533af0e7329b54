package dev.xmppscope.proxy.xmpp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes SASL channel-binding mechanisms ({@code SCRAM-SHA-1-PLUS} and the like, and FAST's
 * {@code HT-*-ENDP}, {@code -UNIQ} and {@code -EXPR}, XEP-0484) from the server's
 * {@code <stream:features>} on an intercepted stream (sans-io). Channel binding ties
 * authentication to the TLS session, and an intercepting proxy runs two different sessions, so
 * a client choosing such a mechanism would fail; removing them is the one change xmppscope
 * makes to a stream, and the caller records it.
 *
 * <p>A features element split across reads is held back until it is complete (bounded: one
 * larger than {@value #MAX_HELD_BYTES} bytes is relayed unchanged). Everything else passes
 * through byte for byte, as the very array it came in. Mechanisms are only offered before
 * authentication, so once the first stanza has gone by the stripper stops looking at the stream.
 */
public final class PlusMechanismStripper {
    static final int MAX_HELD_BYTES = 1 << 20;
    private static final Pattern PLUS_MECHANISM = Pattern.compile(
            "<(?:[A-Za-z0-9_.-]+:)?mechanism(?:\\s[^>]*)?>\\s*([A-Za-z0-9_-]+-PLUS|HT-[A-Za-z0-9_-]+-(?:ENDP|UNIQ|EXPR))\\s*"
            + "</(?:[A-Za-z0-9_.-]+:)?mechanism\\s*>");

    /**
     * What to relay now, and which mechanisms were removed from it. {@code forward} is the array
     * that was fed when it passes unchanged, so the caller can relay its original buffer instead.
     */
    public record Result(byte[] forward, List<String> stripped) {
    }

    private final XmlStreamTracker tracker = new XmlStreamTracker();
    private ByteArrayOutputStream held;
    /**
     * A features element has started and not yet ended, as of the tag just reported (where
     * {@link #held} changes only once the read's tags are all in): no halting inside one, which
     * would leave its held bytes behind, and the same decision wherever the reads end.
     */
    private boolean featuresOpen;
    private boolean gaveUpOnCurrent;

    public Result feed(byte[] bytes) {
        if (tracker.halted()) {
            return new Result(bytes, List.of());
        }
        long base = tracker.offset();
        List<XmlStreamTracker.Tag> marks = new ArrayList<>();
        tracker.feed(bytes, tag -> {
            // only the real thing: a features element directly inside a stream header
            if (tag.depth() == 1 && tag.is("features", XmlStreamTracker.STREAMS_NS)
                    && tag.ancestors().get(0).localName().equals("stream")) {
                marks.add(tag);
                featuresOpen = tag.kind() == XmlStreamTracker.TagKind.START;
            } else if (tag.depth() == 1 && tag.kind() != XmlStreamTracker.TagKind.END && !featuresOpen && isStanza(tag)) {
                tracker.halt(); // past authentication: no more mechanisms will be offered
            }
        });
        if (marks.isEmpty() && held == null) {
            return new Result(bytes, List.of());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        List<String> stripped = new ArrayList<>();
        int pos = 0;
        for (XmlStreamTracker.Tag tag : marks) {
            int start = clamp(tag.start() - base, bytes.length);
            int end = clamp(tag.end() - base, bytes.length);
            switch (tag.kind()) {
                case START -> {
                    if (held == null) {
                        out.write(bytes, pos, start - pos);
                        held = new ByteArrayOutputStream();
                        gaveUpOnCurrent = false;
                        pos = start;
                    }
                }
                case END -> {
                    if (held != null) {
                        held.write(bytes, pos, end - pos);
                        byte[] rewritten = strip(held.toByteArray(), stripped);
                        out.write(rewritten, 0, rewritten.length);
                        held = null;
                        pos = end;
                    }
                }
                case EMPTY -> {
                    // <stream:features/> offers nothing to strip
                }
                default -> throw new IllegalStateException();
            }
        }
        if (held != null) {
            held.write(bytes, pos, bytes.length - pos);
            if (held.size() > MAX_HELD_BYTES) {
                out.write(held.toByteArray(), 0, held.size());
                held = null;
                gaveUpOnCurrent = true;
            }
        } else {
            out.write(bytes, pos, bytes.length - pos);
        }
        return new Result(out.toByteArray(), stripped);
    }

    /** Whether the stripper still examines the stream (false once the first stanza went by). */
    public boolean watching() {
        return !tracker.halted();
    }

    private static boolean isStanza(XmlStreamTracker.Tag tag) {
        String local = tag.localName();
        return local.equals("message") || local.equals("presence") || local.equals("iq");
    }

    /** Whether the last features element was too large to hold and went through unchanged. */
    public boolean gaveUp() {
        return gaveUpOnCurrent;
    }

    /**
     * Hands back, unchanged, the bytes of a features element still waiting for its end, and stops
     * holding it: when the server's side ends mid-element, what it did send must still reach the
     * client. Empty if nothing is held.
     */
    public byte[] releaseHeld() {
        if (held == null) {
            return new byte[0];
        }
        byte[] out = held.toByteArray();
        held = null;
        return out;
    }

    /** Bytes of a features element waiting for its end. */
    public int heldBytes() {
        return held == null ? 0 : held.size();
    }

    private static byte[] strip(byte[] features, List<String> stripped) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(features)).toString();
        } catch (CharacterCodingException e) {
            return features; // not UTF-8: not something we can safely rewrite, relay it as it came
        }
        Matcher m = PLUS_MECHANISM.matcher(text);
        StringBuilder b = new StringBuilder();
        boolean any = false;
        while (m.find()) {
            any = true;
            stripped.add(m.group(1));
            m.appendReplacement(b, "");
        }
        if (!any) {
            return features;
        }
        m.appendTail(b);
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int clamp(long v, int max) {
        return (int) Math.max(0, Math.min(max, v));
    }
}
