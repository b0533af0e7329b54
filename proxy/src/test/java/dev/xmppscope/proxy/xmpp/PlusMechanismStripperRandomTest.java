package dev.xmppscope.proxy.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xmppscope.testing.Damage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The stripper is the one place xmppscope changes what it relays. Whatever a server sends
 * (damaged at random here: bytes dropped, inserted, repeated) and wherever its reads end, the
 * client gets exactly those bytes, minus the mechanism elements the stripper says it removed,
 * and it removes the same ones wherever the reads end.
 */
class PlusMechanismStripperRandomTest {
    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='a.example' id='x1' version='1.0'>";
    private static final String SERVER = HEADER + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
            + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1-PLUS</mechanism>"
            + "<mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms><!-- c --><sm xmlns='urn:xmpp:sm:3'/>"
            + "</stream:features><success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>" + HEADER + "<stream:features>"
            + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
            + "<mechanism>X-PLUS</mechanism></mechanisms></stream:features><iq type='result' id='b'/>"
            + "<stream:features><mechanisms><mechanism>LATE-PLUS</mechanism></mechanisms></stream:features>";

    @Test
    void whateverTheServerSendsTheClientGetsItMinusWhatWasStrippedWhereverReadsEnd() {
        for (int seed = 0; seed < 2000; seed++) {
            Random random = new Random(seed);
            byte[] sent = seed == 0 ? SERVER.getBytes(StandardCharsets.UTF_8) : Damage.of(SERVER.getBytes(StandardCharsets.UTF_8), random);
            Relayed whole = relay(sent, random, 0);
            if (seed == 0) {
                assertEquals(List.of("SCRAM-SHA-1-PLUS", "X-PLUS"), whole.stripped, "none after the first stanza");
            }
            for (int max : new int[] {1, 7, 100}) {
                Relayed pieces = relay(sent, random, max);
                int s = seed;
                assertEquals(whole.stripped, pieces.stripped, () -> "seed " + s + ", reads of at most " + max + " bytes");
                assertEquals(minus(sent, pieces.stripped), pieces.text, () -> "seed " + s + ", reads of at most " + max + " bytes");
            }
            assertEquals(minus(sent, whole.stripped), whole.text);
        }
    }

    private record Relayed(String text, List<String> stripped) {
    }

    /** {@code sent} through a stripper in reads of at most {@code max} bytes (0: one read), then what it still held. */
    private static Relayed relay(byte[] sent, Random random, int max) {
        PlusMechanismStripper s = new PlusMechanismStripper();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> stripped = new ArrayList<>();
        for (int at = 0; at < sent.length; ) {
            int end = max == 0 ? sent.length : Math.min(sent.length, at + 1 + random.nextInt(max));
            PlusMechanismStripper.Result r = s.feed(Arrays.copyOfRange(sent, at, end));
            out.writeBytes(r.forward());
            stripped.addAll(r.stripped());
            at = end;
        }
        out.writeBytes(s.releaseHeld());
        return new Relayed(out.toString(StandardCharsets.ISO_8859_1), stripped);
    }

    /** {@code sent} without the first remaining element of each mechanism named, as Latin-1 text (any bytes compare). */
    private static String minus(byte[] sent, List<String> mechanisms) {
        String text = new String(sent, StandardCharsets.ISO_8859_1);
        for (String m : mechanisms) {
            Matcher e = Pattern.compile("<(?:[A-Za-z0-9_.-]+:)?mechanism(?:\\s[^>]*)?>\\s*" + Pattern.quote(m)
                    + "\\s*</(?:[A-Za-z0-9_.-]+:)?mechanism\\s*>").matcher(text);
            assertEquals(true, e.find(), m + " was reported stripped");
            text = text.substring(0, e.start()) + text.substring(e.end());
        }
        return text;
    }
}
