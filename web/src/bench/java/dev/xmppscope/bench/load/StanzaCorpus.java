package dev.xmppscope.bench.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Realistic c2s traffic as bytes: a client stream header, then a mix of messages (chat states,
 * receipts, markers, origin-id), presences (entity caps, idle) and IQs (PEP avatar publish,
 * disco#info, roster) the way a modern client (Conversations, Dino) writes them, with unique
 * ids. The generator cycles a pre-built block so producing load costs almost no CPU.
 */
public final class StanzaCorpus {
    private static final String[] WORDS = ("the meeting moved to three so bring the slides and the notes from "
            + "yesterday we can talk about federation routes latency and why the s2s link dropped again "
            + "ok see you there thanks").split(" ");

    private final byte[] block;
    private final int[] starts;

    private StanzaCorpus(byte[] block, int[] starts) {
        this.block = block;
        this.starts = starts;
    }

    /** About {@code approxBytes} of whole stanzas (70% message, 20% presence, 10% iq), fixed seed. */
    public static StanzaCorpus build(int approxBytes) {
        return build(approxBytes, "");
    }

    /**
     * Like {@link #build(int)}, with every stanza id starting with {@code idPrefix}: corpora with
     * different prefixes hold the same stanzas, but as different clients would send them.
     */
    public static StanzaCorpus build(int approxBytes, String idPrefix) {
        Random random = new Random(5222);
        ByteArrayOutputStream out = new ByteArrayOutputStream(approxBytes + 4096);
        java.util.List<Integer> starts = new java.util.ArrayList<>();
        int n = 0;
        while (out.size() < approxBytes) {
            int pick = random.nextInt(10);
            String id = idPrefix + n;
            String stanza = pick < 7 ? message(n, id, random) : pick < 9 ? presence(n, id, random) : iq(id, random);
            starts.add(out.size());
            out.writeBytes(stanza.getBytes(StandardCharsets.UTF_8));
            n++;
        }
        return new StanzaCorpus(out.toByteArray(), starts.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The block of whole stanzas; cycling it keeps the stream well-formed. */
    public byte[] block() {
        return block;
    }

    public int stanzaCount() {
        return starts.length;
    }

    /** Where stanza {@code i} starts in the block. */
    public int stanzaStart(int i) {
        return starts[i];
    }

    /** Where stanza {@code i} ends (exclusive) in the block. */
    public int stanzaEnd(int i) {
        return i + 1 < starts.length ? starts[i + 1] : block.length;
    }

    /** Average stanza size in bytes, to turn relayed bytes into stanzas. */
    public double bytesPerStanza() {
        return (double) block.length / starts.length;
    }

    /** What a client sends first on a c2s stream. */
    public static byte[] clientHeader(String domain) {
        return ("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " to='" + domain + "' version='1.0' xml:lang='en'>").getBytes(StandardCharsets.UTF_8);
    }

    /** What the sink answers: header and (already negotiated, so empty) features. */
    public static byte[] serverHeader(String domain, long streamId) {
        return ("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " from='" + domain + "' id='s-" + streamId + "' version='1.0' xml:lang='en'><stream:features/>")
                .getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] streamClose() {
        return "</stream:stream>".getBytes(StandardCharsets.UTF_8);
    }

    private static String message(int n, String id, Random r) {
        return "<message from='alice@a.example/phone-3f2a' to='bob" + (n % 50) + "@b.example' type='chat' id='m-" + id + "'>"
                + "<body>" + sentence(r, 8 + r.nextInt(20)) + "</body>"
                + "<active xmlns='http://jabber.org/protocol/chatstates'/>"
                + "<request xmlns='urn:xmpp:receipts'/>"
                + "<markable xmlns='urn:xmpp:chat-markers:0'/>"
                + "<origin-id xmlns='urn:xmpp:sid:0' id='" + uuid(r) + "'/>"
                + "</message>";
    }

    private static String presence(int n, String id, Random r) {
        return "<presence id='p-" + id + "'><show>" + (r.nextBoolean() ? "away" : "dnd") + "</show>"
                + "<status>" + sentence(r, 3) + "</status><priority>5</priority>"
                + "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://conversations.im'"
                + " ver='q07IKJEyjvHSyhy//CH0CxmKi8w='/>"
                + "<idle xmlns='urn:xmpp:idle:1' since='2026-11-24T21:0" + (n % 10) + ":00Z'/></presence>";
    }

    private static String iq(String id, Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> "<iq type='set' id='i-" + id + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<publish node='urn:xmpp:avatar:metadata'><item id='" + hex(r, 40) + "'>"
                    + "<metadata xmlns='urn:xmpp:avatar:metadata'><info bytes='" + (9000 + r.nextInt(9000))
                    + "' id='" + hex(r, 40) + "' height='64' width='64' type='image/png'/></metadata></item>"
                    + "</publish></pubsub></iq>";
            case 1 -> "<iq type='get' to='b.example' id='i-" + id + "'><query xmlns='http://jabber.org/protocol/disco#info'"
                    + " node='https://conversations.im#q07IKJEyjvHSyhy//CH0CxmKi8w='/></iq>";
            default -> "<iq type='get' id='i-" + id + "'><query xmlns='jabber:iq:roster' ver='ver" + r.nextInt(99) + "'/></iq>";
        };
    }

    private static String sentence(Random r, int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[r.nextInt(WORDS.length)]);
        }
        if (r.nextInt(4) == 0) {
            sb.append(" &amp; é ✓"); // escaped entity and multi-byte UTF-8, as real chats have
        }
        return sb.toString();
    }

    private static String uuid(Random r) {
        return hex(r, 8) + "-" + hex(r, 4) + "-" + hex(r, 4) + "-" + hex(r, 4) + "-" + hex(r, 12);
    }

    private static String hex(Random r, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }
}
