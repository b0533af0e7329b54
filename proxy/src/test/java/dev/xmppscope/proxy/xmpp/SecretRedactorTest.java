package dev.xmppscope.proxy.xmpp;

import static dev.xmppscope.proxy.xmpp.WireText.CLIENT_HEADER;
import static dev.xmppscope.proxy.xmpp.WireText.bytes;
import static dev.xmppscope.proxy.xmpp.WireText.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashSet;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    @Test
    void saslPlainKeepsTheUsernameAndMasksThePasswordInTheSameNumberOfBytes() {
        // base64 of "\0alice\0secret", then of "\0alice\0******"
        String auth = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>";
        SecretRedactor.Result r = new SecretRedactor().redact(bytes(CLIENT_HEADER + auth));
        assertEquals(CLIENT_HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlACoqKioqKg==</auth>",
                text(r.bytes()));
        assertEquals(Set.of("SASL PLAIN password (the username is kept)"), r.kinds());
    }

    @Test
    void saslPlainThatIsNotCanonicalBase64OrSplitAcrossReadsIsMaskedWhole() {
        String odd = CLIENT_HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNl AHNlY3JldA==</auth>";
        assertEquals(odd.replace("AGFsaWNl AHNlY3JldA==", "*".repeat(21)), text(new SecretRedactor().redact(bytes(odd)).bytes()));
        String noNul = CLIENT_HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>c2VjcmV0</auth>";
        assertEquals(noNul.replace("c2VjcmV0", "********"), text(new SecretRedactor().redact(bytes(noNul)).bytes()));
        String commented = CLIENT_HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNl<!---->Y3JldA==</auth>";
        assertEquals(commented.replace("AGFsaWNlAHNl", "*".repeat(12)).replace("Y3JldA==", "*".repeat(8)),
                text(new SecretRedactor().redact(bytes(commented)).bytes()), "pieces of a payload are not re-encoded alone");
        String all = CLIENT_HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>";
        int cut = all.indexOf("AHNl");
        SecretRedactor r = new SecretRedactor();
        String masked = text(r.redact(bytes(all.substring(0, cut))).bytes()) + text(r.redact(bytes(all.substring(cut))).bytes());
        assertEquals(all.replace("AGFsaWNlAHNlY3JldA==", "*".repeat(20)), masked,
                "a part already passed on cannot be re-encoded with the rest: all of it is masked");
    }

    @Test
    void aSecretSplitAcrossChunksIsMaskedInEveryChunkAndOffsetsStayTrue() {
        String all = CLIENT_HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='X-OAUTH2'>dG9rZW4tdG9rZW4=</auth>"
                + "<iq type='set' id='r1'><query xmlns='jabber:iq:register'><username>bob</username>"
                + "<password>hunter2</password></query></iq>"
                + "<iq type='set' id='a1'><query xmlns='jabber:iq:auth'><username>bob</username>"
                + "<password>p&amp;ss</password><resource>r</resource></query></iq>";
        for (int step = 1; step <= 17; step += 4) {
            SecretRedactor redactor = new SecretRedactor();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Set<String> kinds = new LinkedHashSet<>();
            byte[] b = bytes(all);
            for (int i = 0; i < b.length; i += step) {
                byte[] part = java.util.Arrays.copyOfRange(b, i, Math.min(b.length, i + step));
                SecretRedactor.Result r = redactor.redact(part);
                assertEquals(part.length, r.bytes().length);
                out.writeBytes(r.bytes());
                kinds.addAll(r.kinds());
            }
            String masked = text(out.toByteArray());
            assertEquals(all.length(), masked.length());
            assertFalse(masked.contains("dG9rZW4"), masked);
            assertFalse(masked.contains("hunter2"), masked);
            assertFalse(masked.contains("p&amp;ss"), masked);
            assertTrue(masked.contains("<username>bob</username>"), "only secrets are masked");
            assertEquals(3, kinds.size(), kinds.toString());
        }
    }

    @Test
    void plainResponsesAfterAnEmptyAuthAndRegistrationFormsAreMasked() {
        String s = CLIENT_HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'/>"
                + "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>AGFsaWNlAHNlY3JldA==</response>"
                + "<iq type='set'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='username'><value>carol</value></field>"
                + "<field var='password'><value>form-secret</value></field></x></query></iq>";
        String masked = text(new SecretRedactor().redact(bytes(s)).bytes());
        assertTrue(masked.contains(">AGFsaWNlACoqKioqKg==<"), "the response's password masked, its username kept: " + masked);
        assertFalse(masked.contains("form-secret"), masked);
        assertTrue(masked.contains("<value>carol</value>"), masked);
    }

    @Test
    void sasl2InitialResponseIsMaskedAndTheRestOfTheAuthenticateElementKept() {
        String auth = "<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>"
                + "<user-agent id='d4565fa7'><software>AwesomeXMPP</software><device>Kiva's Phone</device></user-agent>"
                + "<initial-response>AGFsaWNlAHNlY3JldA==</initial-response></authenticate>";
        SecretRedactor.Result r = new SecretRedactor().redact(bytes(CLIENT_HEADER + auth));
        assertEquals(CLIENT_HEADER + auth.replace("AGFsaWNlAHNlY3JldA==", "AGFsaWNlACoqKioqKg=="), text(r.bytes()));
        assertEquals(Set.of("SASL PLAIN password (the username is kept)"), r.kinds());
    }

    @Test
    void fastTokensHandedOutAndTheLoginsMadeWithThemAreMasked() {
        // XEP-0484: the server hands out a token in SASL2's <success>; the client logs in with an HMAC of it later
        String success = "<success xmlns='urn:xmpp:sasl:2'><authorization-identifier>juliet@capulet.example/Balcony</authorization-identifier>"
                + "<token xmlns='urn:xmpp:fast:0' expiry='2026-12-24T00:00:00Z' token='WXZzciBwYmFmdmZnZiBqdmd1'/></success>";
        SecretRedactor.Result handedOut = new SecretRedactor().redact(bytes(CLIENT_HEADER + success));
        assertEquals(CLIENT_HEADER + success.replace("WXZzciBwYmFmdmZnZiBqdmd1", "*".repeat(24)), text(handedOut.bytes()));
        assertEquals(Set.of("FAST token (XEP-0484: it logs in as a password does)"), handedOut.kinds());

        String login = "<authenticate xmlns='urn:xmpp:sasl:2' mechanism='HT-SHA-256-NONE'><initial-response>"
                + "anVsaWV0AJTzoTS0mbxN6kKH2UNl7eEh</initial-response><fast xmlns='urn:xmpp:fast:0' count='2'/></authenticate>";
        SecretRedactor.Result loggedIn = new SecretRedactor().redact(bytes(CLIENT_HEADER + login));
        assertEquals(CLIENT_HEADER + login.replace("anVsaWV0AJTzoTS0mbxN6kKH2UNl7eEh", "*".repeat(32)), text(loggedIn.bytes()));
        assertEquals(Set.of("SASL HT-SHA-256-NONE credentials"), loggedIn.kinds());

        String elsewhere = CLIENT_HEADER + "<iq type='result'><tokens><token id='a' name='token'/></tokens></iq>";
        assertEquals(elsewhere, text(new SecretRedactor().redact(bytes(elsewhere)).bytes()), "only the token attribute is secret");
    }

    /** A mechanism is read as a server reads it (whitespace around it, any case); one not known to keep the password out is masked. */
    @Test
    void mechanismsAreReadAsAServerReadsThemAndUnknownOnesMasked() {
        for (String mech : new String[] {" PLAIN ", "PLAIN\t", "plain", "\nPlain"}) {
            String auth = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='" + mech + "'>AGJvYgBzM2NyZXRCb2JQVw==</auth>";
            String masked = text(new SecretRedactor().redact(bytes(CLIENT_HEADER + auth)).bytes());
            assertFalse(masked.contains("AGJvYgBzM2NyZXRCb2JQVw=="), "mechanism '" + mech + "': " + masked);
        }
        String unknown = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='X-SOMETHING-NEW'>c2VjcmV0LXRva2Vu</auth>";
        SecretRedactor.Result r = new SecretRedactor().redact(bytes(CLIENT_HEADER + unknown));
        assertEquals(CLIENT_HEADER + unknown.replace("c2VjcmV0LXRva2Vu", "*".repeat(16)), text(r.bytes()));
        assertEquals(Set.of("SASL X-SOMETHING-NEW credentials"), r.kinds());
        for (String kept : new String[] {"SCRAM-SHA-512-PLUS", "DIGEST-MD5", "EXTERNAL", "ANONYMOUS"}) {
            String s = CLIENT_HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='" + kept + "'>YWJj</auth>";
            assertEquals(s, text(new SecretRedactor().redact(bytes(s)).bytes()), kept + " sends no password");
        }
    }

    @Test
    void challengeResponseMechanismsAndOrdinaryStanzasAreLeftAlone() {
        String s = CLIENT_HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>biwsbj1hbGljZSxyPXh5eg==</auth>"
                + "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>Yz1iaXdzLHI9eHl6</response>"
                + "<message to='b@b.example'><body>my password is &lt;password&gt;not-an-iq&lt;/password&gt;</body></message>";
        SecretRedactor.Result r = new SecretRedactor().redact(bytes(s));
        assertEquals(s, text(r.bytes()));
        assertFalse(r.redacted());
    }

    @Test
    void aPrivateFieldOfAnyFormIsMaskedAndItsOtherFieldsKept() {
        // an ad-hoc command (XEP-0050) changing a password: not registration, still a secret
        String s = CLIENT_HEADER + "<iq type='set' id='c1'><command xmlns='http://jabber.org/protocol/commands' node='passwd'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='user'><value>bob</value></field>"
                + "<field var='new' type='text-private'><value>s3cret</value><value>again</value></field>"
                + "<field var='password'><value>old-one</value></field><field var='note'><value>kept</value></field></x>"
                + "</command></iq>";
        SecretRedactor.Result r = new SecretRedactor().redact(bytes(s));
        assertEquals(s.replace("s3cret", "******").replace(">again<", ">*****<").replace("old-one", "*******"), text(r.bytes()));
        assertEquals(Set.of("private data form field (text-private, or a password)"), r.kinds());
    }

    @Test
    void markersWrittenWithCharacterReferencesAreRecognisedAsTheServerReadsThem() {
        String auth = CLIENT_HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PL&#65;IN'>AGFsaWNlAHNlY3JldA==</auth>";
        assertEquals(auth.replace("AHNlY3JldA==", "ACoqKioqKg=="), text(new SecretRedactor().redact(bytes(auth)).bytes()));
        String form = CLIENT_HEADER + "<iq type='set' id='c1'><command xmlns='http://jabber.org/protocol/commands'>"
                + "<x xmlns='jabber:x:data' type='submit'><field type='text&#x2d;private' var='pin'><value>1234</value></field>"
                + "<field var='pass&#119;ord'><value>hunter2</value></field></x></command></iq>";
        assertEquals(form.replace(">1234<", ">****<").replace(">hunter2<", ">*******<"),
                text(new SecretRedactor().redact(bytes(form)).bytes()));
    }

    /**
     * Past 4 KiB of attributes what decides is no longer read: such a field's values, such an
     * auth's payload are masked rather than guessed at (no client writes them; padding must not
     * let a password through).
     */
    @Test
    void tagsWhoseAttributesRunPastWhatIsKeptAreTakenForSecretOnes() {
        String pad = "x".repeat(5000);
        String form = CLIENT_HEADER + "<iq type='set' id='c3'><command xmlns='http://jabber.org/protocol/commands'>"
                + "<x xmlns='jabber:x:data' type='submit'><field label='" + pad + "' var='password'><value>s3cret</value></field>"
                + "<field var='note'><value>kept</value></field></x></command></iq>";
        SecretRedactor.Result r = new SecretRedactor().redact(bytes(form));
        assertEquals(form.replace(">s3cret<", ">******<"), text(r.bytes()));
        assertEquals(Set.of("data form field whose attributes ran past 4 KiB (masked to be safe)"), r.kinds());

        String auth = CLIENT_HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' pad='" + pad + "' mechanism='PLAIN'>"
                + "AGFsaWNlAHNlY3JldA==</auth>";
        r = new SecretRedactor().redact(bytes(auth));
        assertEquals(auth.replace("AGFsaWNlAHNlY3JldA==", "*".repeat(20)), text(r.bytes()));

        String header = "<stream:stream to='a.example' xmlns='jabber:client' pad='" + pad + "'"
                + " xmlns:sasl='urn:ietf:params:xml:ns:xmpp-sasl' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
        String prefixed = header + "<sasl:auth mechanism='X-OAUTH2'>dG9rZW4=</sasl:auth>";
        assertEquals(prefixed.replace("dG9rZW4=", "********"), text(new SecretRedactor().redact(bytes(prefixed)).bytes()));
    }

    @Test
    void aFieldIsRecognisedByAnAttributeAfterKilobytesOfOthersInSmallReads() {
        String label = "x".repeat(3000);
        String s = CLIENT_HEADER + "<iq type='set' id='c2'><command xmlns='http://jabber.org/protocol/commands' node='passwd'>"
                + "<x xmlns='jabber:x:data' type='submit'><field label='" + label + "' var='password'><value>s3cret</value>"
                + "</field><field label='" + label + "' var='note'><value>kept</value></field></x></command></iq>";
        byte[] in = bytes(s);
        SecretRedactor redactor = new SecretRedactor();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < in.length; i += 100) {
            out.append(text(redactor.redact(Arrays.copyOfRange(in, i, Math.min(in.length, i + 100))).bytes()));
        }
        assertEquals(s.replace("s3cret", "******"), out.toString());
    }

    @Test
    void saslElementsArePrefixedAsTheStreamHeaderDeclaresAndOnlySaslOnesAreMasked() {
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns:sasl='urn:ietf:params:xml:ns:xmpp-sasl' xmlns:o='urn:example:other'>";
        String s = header + "<sasl:auth mechanism='X-OAUTH2'>dG9rZW4=</sasl:auth>"
                + "<o:auth mechanism='PLAIN'>kept</o:auth><auth mechanism='PLAIN'>kept too</auth>"
                + "<sasl:response>dG9rZW4y</sasl:response><o:response>kept</o:response>";
        SecretRedactor.Result r = new SecretRedactor().redact(bytes(s));
        assertEquals(s.replace("dG9rZW4=", "********").replace("dG9rZW4y", "********"), text(r.bytes()),
                "an <auth> of the stream's own namespace (jabber:client) or another is not SASL's");
        assertEquals(Set.of("SASL X-OAUTH2 credentials"), r.kinds());
    }

    @Test
    void aPasswordIsNamedAfterTheQueryItIsInAndOnlyWhileThatQueryIsOpen() {
        SecretRedactor r = new SecretRedactor();
        r.redact(bytes(CLIENT_HEADER));
        String change = "<iq type='set' id='c1'><query xmlns='jabber:iq:register'><username>bob</username>"
                + "<password>n3w</password></query></iq>";
        assertEquals(Set.of("in-band registration (jabber:iq:register) password"), r.redact(bytes(change)).kinds());
        String join = "<presence to='room@muc.a.example/bob'><x xmlns='http://jabber.org/protocol/muc'>"
                + "<password>r00m</password></x></presence>";
        assertEquals(Set.of("password in a stanza (MUC: joining a room, an invitation)"), r.redact(bytes(join)).kinds(),
                "the registration query ended before it");
    }
}
