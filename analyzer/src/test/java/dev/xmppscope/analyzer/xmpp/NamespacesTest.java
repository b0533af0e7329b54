package dev.xmppscope.analyzer.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamespacesTest {
    private final Namespaces ns = Namespaces.shipped();

    @Test
    void labelsCommonNamespacesWithTheirSpec() {
        assertEquals("XEP-0198 Stream Management", ns.label("urn:xmpp:sm:3"));
        assertEquals("XEP-0220 Server Dialback", ns.label("jabber:server:dialback"));
        assertEquals("RFC 6120 XMPP Core: SASL", ns.label("urn:ietf:params:xml:ns:xmpp-sasl"));
        assertEquals("XEP-0313 Message Archive Management", ns.label("urn:xmpp:mam:2"));
        assertEquals("XEP-0384 OMEMO Encryption (legacy)", ns.label("eu.siacs.conversations.axolotl"));
        assertEquals("XEP-0388 Extensible SASL Profile (SASL2)", ns.label("urn:xmpp:sasl:2"));
    }

    @Test
    void versionedFamiliesMatchByPrefixAndUnknownOnesStayAsTheyAre() {
        assertEquals("XEP-0166 Jingle", ns.label("urn:xmpp:jingle:apps:dtls:0"));
        assertEquals("urn:example:private", ns.label("urn:example:private"));
    }

    @Test
    void aSpecNumberResolvesToItsNamespaces() {
        assertEquals(List.of("urn:xmpp:sm:2", "urn:xmpp:sm:3"), ns.resolve("XEP-0198"));
        assertEquals(ns.resolve("XEP-0198"), ns.resolve("0198"));
        assertEquals(ns.resolve("XEP-0198"), ns.resolve("198"));
        assertTrue(ns.resolve("RFC 6121").contains("jabber:iq:roster"));
        assertEquals(List.of("urn:xmpp:ping"), ns.resolve("urn:xmpp:ping"));
    }
}
