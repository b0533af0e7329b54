package dev.xmppscope.proxy.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagAttributesTest {
    @Test
    void attributesAreParsedWithEitherQuoteAndEntities() {
        var attrs = TagAttributes.parse(" to=\"a.example\" from='b&amp;c' x = 'y' broken");
        assertEquals("a.example", attrs.get("to"));
        assertEquals("b&c", attrs.get("from"));
        assertEquals("y", attrs.get("x"));
        assertNull(attrs.get("broken"));
        assertEquals(3, attrs.size());
    }

    @Test
    void theyBehaveAsAMapInTheirOrderAndARepeatedNameKeepsItsLastValue() {
        var attrs = TagAttributes.parse(" id='1' type='get' id='2'");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("id", "2");
        expected.put("type", "get");
        assertEquals(expected, attrs);
        assertEquals(expected.toString(), attrs.toString());
        assertEquals(Map.of(), TagAttributes.parse("  "));
    }

    @Test
    void namespaceDeclarationsAreFoundByPrefix() {
        assertEquals(Map.of("", "jabber:client", "stream", "http://etherx.jabber.org/streams"),
                TagAttributes.parse(" xmlns='jabber:client' to='a' xmlns:stream='http://etherx.jabber.org/streams'").declarations());
        assertEquals(Map.of("muc", "http://jabber.org/protocol/muc"), TagAttributes.parse(" xmlns:muc='http://jabber.org/protocol/muc'").declarations());
        assertEquals(Map.of(), TagAttributes.parse(" xmlnsx='a' to='b'").declarations());
    }
}
