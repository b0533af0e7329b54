package dev.xmppscope.analyzer.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JidTest {

    @Test
    void splitsAFullJid() {
        Jid j = Jid.parse("alice@a.example/phone/with/slashes");
        assertEquals("alice", j.local());
        assertEquals("a.example", j.domain());
        assertEquals("phone/with/slashes", j.resource());
        assertTrue(j.isValid());
        assertEquals("", j.flags());
    }

    @Test
    void anAtSignInTheResourceDoesNotStartALocalpart() {
        Jid j = Jid.parse("a.example/res@thing");
        assertNull(j.local());
        assertEquals("res@thing", j.resource());
        assertTrue(j.isValid());
    }

    @Test
    void comparisonFoldsCaseAndDropsTheTrailingDotButKeepsResourceCase() {
        Jid shouty = Jid.parse("Alice@A.Example./Phone");
        Jid plain = Jid.parse("alice@a.example/Phone");
        assertEquals(plain, shouty);
        assertEquals("alice@a.example", shouty.bareKey());
        assertFalse(Jid.parse("alice@a.example/phone").equals(plain));
        assertTrue(shouty.isValid());
        assertTrue(shouty.flags().contains("trailing dot"), shouty.flags());
        assertTrue(shouty.flags().contains("localpart not case-folded"), shouty.flags());
    }

    @Test
    void forbiddenLocalpartCharactersMakeItInvalid() {
        for (String bad : new String[] {"a\"b@x", "a&b@x", "a'b@x", "a:b@x", "a<b@x", "a>b@x", "a b@x"}) {
            assertFalse(Jid.parse(bad).isValid(), bad);
        }
        assertTrue(Jid.parse("a:b@x").flags().startsWith("invalid JID: forbidden character ':'"));
    }

    @Test
    void partsAreLimitedTo1023Bytes() {
        String longLocal = "\u00e9".repeat(512); // 1024 bytes in UTF-8, 512 characters
        assertEquals("localpart longer than 1023 bytes", Jid.parse(longLocal + "@x").problems().get(0));
        assertTrue(Jid.parse("a".repeat(1023) + "@x").isValid());
        assertFalse(Jid.parse("x/" + "r".repeat(1024)).isValid());
    }

    @Test
    void ipv6DomainsMustBeBracketed() {
        assertTrue(Jid.parse("alice@[::1]/r").isValid());
        assertEquals("[::1]", Jid.parse("alice@[::1]").domain());
        assertFalse(Jid.parse("alice@::1").isValid());
        assertFalse(Jid.parse("alice@[nonsense]").isValid());
    }

    @Test
    void emptyPartsAreInvalid() {
        assertFalse(Jid.parse("@a.example").isValid());
        assertFalse(Jid.parse("alice@").isValid());
        assertFalse(Jid.parse("alice@a.example/").isValid());
        assertFalse(Jid.parse("a..example").isValid());
    }
}
