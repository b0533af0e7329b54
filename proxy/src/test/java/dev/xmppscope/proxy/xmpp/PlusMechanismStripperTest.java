package dev.xmppscope.proxy.xmpp;

import static dev.xmppscope.proxy.xmpp.WireText.bytes;
import static dev.xmppscope.proxy.xmpp.WireText.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlusMechanismStripperTest {
    private static final String HEADER = "<stream:stream from='a.example' xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
    private static final String FEATURES = "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
            + "<mechanism>SCRAM-SHA-1-PLUS</mechanism><mechanism>SCRAM-SHA-1</mechanism>"
            + "<mechanism>SCRAM-SHA-256-PLUS</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>";
    private static final String EXPECTED = "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
            + "<mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>";

    @Test
    void afterTheFirstStanzaTheStreamIsRelayedAsTheSameArrayWithoutLooking() {
        PlusMechanismStripper s = new PlusMechanismStripper();
        s.feed(bytes(HEADER + FEATURES));
        assertTrue(s.watching(), "no stanza yet");
        s.feed(bytes("<iq type='result' id='bind'/>"));
        assertFalse(s.watching());
        byte[] late = bytes(FEATURES);
        PlusMechanismStripper.Result r = s.feed(late);
        assertSame(late, r.forward(), "features after a stanza are content, passed on untouched");
        assertEquals(List.of(), r.stripped());
    }

    @Test
    void featuresCutOffByTheEndOfTheStreamAreHandedBackUnchanged() {
        PlusMechanismStripper s = new PlusMechanismStripper();
        String partial = FEATURES.substring(0, FEATURES.indexOf("<mechanism>SCRAM-SHA-1<"));
        assertEquals(HEADER, text(s.feed(bytes(HEADER + partial)).forward()), "the features element is held");
        assertEquals(partial.length(), s.heldBytes());
        assertEquals(partial, text(s.releaseHeld()), "what the server sent, -PLUS mechanism included");
        assertEquals(0, s.heldBytes());
        assertEquals(0, s.releaseHeld().length, "released once");
    }

    @Test
    void bytesOutsideFeaturesComeBackAsTheSameArray() {
        PlusMechanismStripper s = new PlusMechanismStripper();
        byte[] header = bytes(HEADER);
        assertSame(header, s.feed(header).forward());
    }

    @Test
    void plusMechanismsAreRemovedAndNamed() {
        PlusMechanismStripper s = new PlusMechanismStripper();
        PlusMechanismStripper.Result r = s.feed(bytes(HEADER + FEATURES + "<iq/>"));
        assertEquals(HEADER + EXPECTED + "<iq/>", text(r.forward()));
        assertEquals(List.of("SCRAM-SHA-1-PLUS", "SCRAM-SHA-256-PLUS"), r.stripped());
    }


    @Test
    void fastTokenMechanismsBoundToTheTlsSessionAreRemovedAndTheUnboundOneKept() {
        // SASL2 (XEP-0388) with FAST (XEP-0484) inline: HT-*-ENDP/UNIQ/EXPR bind the token to the TLS session as -PLUS does
        String sasl2 = "<stream:features><authentication xmlns='urn:xmpp:sasl:2'><mechanism>SCRAM-SHA-256-PLUS</mechanism>"
                + "<mechanism>SCRAM-SHA-256</mechanism><inline><fast xmlns='urn:xmpp:fast:0'>"
                + "<mechanism>HT-SHA-256-ENDP</mechanism><mechanism>HT-SHA-256-UNIQ</mechanism>"
                + "<mechanism>HT-SHA3-512-EXPR</mechanism><mechanism>HT-SHA-256-NONE</mechanism></fast></inline>"
                + "</authentication></stream:features>";
        PlusMechanismStripper.Result r = new PlusMechanismStripper().feed(bytes(HEADER + sasl2));
        assertEquals(HEADER + "<stream:features><authentication xmlns='urn:xmpp:sasl:2'><mechanism>SCRAM-SHA-256</mechanism>"
                + "<inline><fast xmlns='urn:xmpp:fast:0'><mechanism>HT-SHA-256-NONE</mechanism></fast></inline>"
                + "</authentication></stream:features>", text(r.forward()));
        assertEquals(List.of("SCRAM-SHA-256-PLUS", "HT-SHA-256-ENDP", "HT-SHA-256-UNIQ", "HT-SHA3-512-EXPR"), r.stripped());
    }
    @Test
    void featuresSplitAtEveryPossibleByteAreHeldUntilCompleteThenStripped() {
        String all = HEADER + FEATURES + "<message><body>after</body></message>";
        for (int cut1 = 1; cut1 < all.length() - 1; cut1 += 7) {
            int cut2 = Math.min(all.length() - 1, cut1 + 13);
            PlusMechanismStripper s = new PlusMechanismStripper();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<String> stripped = new ArrayList<>();
            for (String part : List.of(all.substring(0, cut1), all.substring(cut1, cut2), all.substring(cut2))) {
                PlusMechanismStripper.Result r = s.feed(bytes(part));
                out.writeBytes(r.forward());
                stripped.addAll(r.stripped());
            }
            assertEquals(HEADER + EXPECTED + "<message><body>after</body></message>", text(out.toByteArray()), "cut at " + cut1);
            assertEquals(2, stripped.size());
        }
    }

    @Test
    void everythingElsePassesByteForByte() {
        PlusMechanismStripper s = new PlusMechanismStripper();
        String noPlus = HEADER + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>"
                + "<message><body>&lt;mechanism&gt;X-PLUS&lt;/mechanism&gt;</body></message>";
        assertEquals(noPlus, text(s.feed(bytes(noPlus)).forward()));
        byte[] garbage = {(byte) 0xff, '<', 'x', 0, (byte) 0xc3};
        assertEquals(List.of((byte) 0xff, (byte) '<', (byte) 'x', (byte) 0, (byte) 0xc3), boxed(s.feed(garbage).forward()));
    }

    @Test
    void aFeaturesElementOutsideAStreamHeaderIsNotTouched() {
        PlusMechanismStripper s = new PlusMechanismStripper();
        String stray = "<x>" + FEATURES + "</x>";
        PlusMechanismStripper.Result r = s.feed(bytes(stray));
        assertEquals(stray, text(r.forward()));
        assertTrue(r.stripped().isEmpty());
    }

    private static List<Byte> boxed(byte[] b) {
        List<Byte> out = new ArrayList<>();
        for (byte x : b) {
            out.add(x);
        }
        return out;
    }
}
