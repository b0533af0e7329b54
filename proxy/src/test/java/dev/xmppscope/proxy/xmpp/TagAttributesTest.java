package dev.xmppscope.proxy.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
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
    void referencesAreResolvedOnceAsTheServersParserDoes() {
        assertEquals("text-private", TagAttributes.unescape("text&#x2d;private"));
        assertEquals("PLAIN", TagAttributes.unescape("PL&#65;IN"));
        assertEquals("a<b>\"c'&", TagAttributes.unescape("a&lt;b&gt;&quot;c&apos;&amp;"));
        assertEquals("&#65; and &lt;", TagAttributes.unescape("&amp;#65; and &amp;lt;"), "an escaped '&' starts no reference");
        assertEquals("a & b &unknown; &#xZZ; &#1114112; &", TagAttributes.unescape("a & b &unknown; &#xZZ; &#1114112; &"),
                "what is no reference stays as written");
        assertEquals("\uD83D\uDE00", TagAttributes.unescape("&#x1F600;"));
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
    void aTagWithManyAttributesKeepsThemAllInOrderWithTheLastValueOfARepeatedName() {
        StringBuilder tag = new StringBuilder();
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            tag.append(" xmlns:p").append(i).append("='urn:").append(i).append('\'');
            expected.put("xmlns:p" + i, "urn:" + i);
        }
        tag.append(" xmlns:p3='urn:again' xmlns:p30='urn:again too'");
        expected.put("xmlns:p3", "urn:again");
        expected.put("xmlns:p30", "urn:again too");
        TagAttributes attrs = TagAttributes.parse(tag.toString());
        assertEquals(expected, attrs);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(attrs.keySet()));
        Map<String, String> declared = attrs.declarations();
        assertEquals(40, declared.size());
        assertEquals("urn:again too", declared.get("p30"));
    }

    @Test
    void namespaceDeclarationsAreFoundByPrefix() {
        assertEquals(Map.of("", "jabber:client", "stream", "http://etherx.jabber.org/streams"),
                TagAttributes.parse(" xmlns='jabber:client' to='a' xmlns:stream='http://etherx.jabber.org/streams'").declarations());
        assertEquals(Map.of("muc", "http://jabber.org/protocol/muc"), TagAttributes.parse(" xmlns:muc='http://jabber.org/protocol/muc'").declarations());
        assertEquals(Map.of(), TagAttributes.parse(" xmlnsx='a' to='b'").declarations());
    }
}
